//! Graded suites for §4.5, one file per library concept, gathered under the section's
//! module as the library gathers the exercises (`solutions::training::peft`).

pub use super::soft_prompt::check_soft_prompt;
