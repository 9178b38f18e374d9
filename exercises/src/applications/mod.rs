pub mod react;
