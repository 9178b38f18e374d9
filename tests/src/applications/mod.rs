//! Graded suites for chapter 6, applications, one file per library module.

pub mod distillation;
