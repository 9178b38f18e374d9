//! Chapter 1 · Deep-learning foundations (深度学习基础).

pub mod self_attention;
