//! Chapter 3 · LLM architectures (大语言模型基础).

pub mod gpt;
pub mod gqa;
pub mod kv_cache;
pub mod length_extrapolation;
pub mod llama;
pub mod lm_masks;
pub mod param_count;
pub mod params;
pub mod swiglu;
pub mod zoo;
