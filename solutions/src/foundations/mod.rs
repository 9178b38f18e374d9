//! Chapter 1 · Deep-learning foundations (深度学习基础).

pub mod alibi;
pub mod normalization;
pub mod optimizers;
pub mod positional_encoding;
pub mod residual_norm;
pub mod rope;
pub mod rope_scaling;
pub mod score_scaling;
pub mod self_attention;
