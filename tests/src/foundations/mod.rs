//! Graded suites for chapter 1, deep-learning foundations.

pub mod self_attention;
