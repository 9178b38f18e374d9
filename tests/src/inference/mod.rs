//! Graded suites for chapter 5, inference and decoding, one file per library module.

pub mod beam_search;
pub mod reference;
pub mod repetition;
pub mod temperature;
pub mod truncation;
