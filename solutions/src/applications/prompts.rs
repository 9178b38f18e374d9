//! §6.1 Prompts, chat templates and chains (提示模板、对话模板与链): the section's
//! exercises, each defined in its own file and gathered here.
//!
//! - [`render_template`] (`prompt_template.rs`): a template's `{variables}` filled in, with
//!   `{{`/`}}` escapes, and every missing or unused variable a named error (LangChain's
//!   `PromptTemplate`).
//! - [`parse_list`] (`output_parser.rs`): a numbered, bulleted or comma-separated list out
//!   of a model's reply, or an error saying what was expected and what was found
//!   (LangChain's list output parsers).
//!
//! The rest of the section: `chat_template.rs` (Hugging Face's chat templates on
//! minijinja), `chain.rs` (steps composed), `gpt_model.rs` (the tiny GPT as a model).

pub use crate::applications::output_parser::parse_list;
pub use crate::applications::prompt_template::render_template;
