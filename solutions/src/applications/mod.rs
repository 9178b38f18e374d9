//! Chapter 6 · Applications (大语言模型应用): prompts and chat templates, agents, reasoning
//! strategies, distillation and emergence, each run on the course's own models.

pub mod chain;
pub mod chat_template;
pub mod distil_gpt;
pub mod distillation;
pub mod emergence;
pub mod fine_tune_cot;
pub mod game24;
pub mod gpt_model;
pub mod language_model;
pub mod output_parser;
pub mod prompt_template;
pub mod prompts;
pub mod react;
pub mod self_consistency;
pub mod tools;
pub mod tot_simulation;
pub mod tree_of_thoughts;
