pub mod self_attention;
pub mod score_scaling;
pub mod positional_encoding;
pub mod rope;
pub mod alibi;
pub mod residual_norm;
pub mod optimizers;
