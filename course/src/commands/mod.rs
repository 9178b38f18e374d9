//! One module per CLI command (or small family of commands).

pub mod book;
pub mod figures;
pub mod notebook;
pub mod progress;
pub mod start;
pub mod tools;
