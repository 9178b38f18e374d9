//! Chapter 4 · Training LLMs (训练).

pub mod lora;
pub mod memory;
pub mod pipeline;
pub mod ring_allreduce;
