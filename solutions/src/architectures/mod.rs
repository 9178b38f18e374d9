//! Chapter 3 · LLM architectures (大语言模型基础).

pub mod kv_cache;
pub mod param_count;
