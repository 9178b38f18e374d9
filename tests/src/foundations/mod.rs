//! Graded suites for chapter 1, deep-learning foundations, one file per library module.

pub mod alibi;
pub mod normalization;
pub mod optimizers;
pub mod positional_encoding;
pub mod residual_norm;
pub mod rope;
pub mod rope_scaling;
pub mod score_scaling;
pub mod self_attention;
