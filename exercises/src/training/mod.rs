pub mod data_loader;
pub mod dpo;
pub mod memory;
pub mod number_formats;
pub mod pipeline;
pub mod ring_allreduce;
pub mod sft_data;
pub mod tensor_parallel;
