//! One module per CLI command (or small family of commands).

pub mod figures;
pub mod progress;
