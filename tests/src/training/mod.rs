//! Graded suites for §3.5, the pieces of a training run, one file per library module.

pub mod data_loader;
