//! §4.5 Parameter-efficient fine-tuning (参数高效微调): the section's exercises, each defined
//! in its own file and gathered here.
//!
//! - [`soft_prompt`] (`soft_prompt.rs`): prompt tuning's virtual tokens prepended to the
//!   embedded input of the frozen GPT (Lester et al. 2021, arXiv 2104.08691; `peft`'s
//!   `PromptTuningConfig`).

pub use crate::training::soft_prompt::soft_prompt;
