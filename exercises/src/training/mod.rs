pub mod data_loader;
