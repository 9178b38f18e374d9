//! Chapter 5 · Inference and decoding (推理).

pub mod repetition;
