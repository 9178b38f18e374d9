//! Graded suites for chapter 3, LLM architectures, one file per library module.

pub mod block_forward;
pub mod gqa;
pub mod lm_masks;
pub mod param_count;
