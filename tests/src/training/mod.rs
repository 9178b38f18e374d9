//! Graded suites for chapter 4 and §3.5's pieces of a training run, one file per library
//! module.

pub mod chat_labels;
pub mod data_loader;
pub mod dpo;
pub mod lora;
pub mod memory;
pub mod minhash;
pub mod number_formats;
pub mod packing;
pub mod peft;
pub mod pipeline;
pub mod ppo;
pub mod ring_allreduce;
pub mod sft_data;
pub mod soft_prompt;
pub mod tensor_parallel;
