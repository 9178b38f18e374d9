pub mod beam_search;
pub mod kv_cache;
pub mod repetition;
pub mod temperature;
pub mod truncation;
