pub mod data_loader;
pub mod memory;
pub mod number_formats;
pub mod ring_allreduce;
pub mod sft_data;
