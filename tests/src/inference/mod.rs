//! Graded suites for chapter 5, inference and decoding, one file per library module.

pub mod beam_search;
pub mod kv_cache;
pub mod reference;
pub mod repetition;
pub mod temperature;
pub mod truncation;
