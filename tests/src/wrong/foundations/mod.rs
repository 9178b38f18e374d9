//! Chapter 1's wrong variants, one file per section, named after the library module.

pub mod alibi;
pub mod normalization;
pub mod optimizers;
pub mod positional_encoding;
pub mod residual_norm;
pub mod rope;
pub mod rope_scaling;
pub mod score_scaling;
pub mod self_attention;
