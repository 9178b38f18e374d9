//! Chapter 5 · Inference and decoding (推理).

pub mod beam_search;
pub mod cached_forward;
pub mod generation_speed;
pub mod greedy;
pub mod kv_cache;
pub mod processors;
pub mod repetition;
pub mod sampling;
pub mod temperature;
pub mod truncation;
