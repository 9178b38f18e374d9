//! Chapter 6 · Applications (大语言模型应用): prompts and chat templates, agents, reasoning
//! strategies, distillation and emergence, each run on the course's own models.

pub mod language_model;
// §6.1
pub mod chain;
pub mod chat_template;
pub mod gpt_model;
pub mod output_parser;
pub mod prompt_template;
pub mod prompts;
