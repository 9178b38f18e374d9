//! Graded suites for chapter 6, applications, one file per library module.

// §6.1
pub mod output_parser;
pub mod prompt_template;
pub mod prompts;
