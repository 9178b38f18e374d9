//! Graded suites for chapter 6, applications, one file per library module.

pub mod distillation;
pub mod output_parser;
pub mod prompt_template;
pub mod prompts;
pub mod react;
pub mod self_consistency;
pub mod tree_of_thoughts;
