//! Graded suites for §4.5, one file per library concept, gathered under the section's
//! module as the library gathers the exercises (`solutions::training::peft`).

pub use super::lora::{check_lora_forward, check_lora_merge};
pub use super::soft_prompt::check_soft_prompt;
