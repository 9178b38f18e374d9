pub mod data_loader;
pub mod memory;
pub mod number_formats;
pub mod pipeline;
pub mod ring_allreduce;
