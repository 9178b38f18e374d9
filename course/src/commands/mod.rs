//! One module per CLI command (or small family of commands).

pub mod bench;
pub mod book;
pub mod corpus;
pub mod drill;
pub mod exercise;
pub mod figures;
pub mod finetune;
pub mod generate;
pub mod grade;
pub mod linkcheck;
pub mod notebook;
pub mod pages;
pub mod progress;
pub mod start;
pub mod tokenize;
pub mod tools;
pub mod tot;
pub mod train;
mod train_config;
mod train_plot;
pub mod watch;
