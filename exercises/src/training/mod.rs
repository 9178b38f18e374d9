pub mod data_loader;
pub mod number_formats;
