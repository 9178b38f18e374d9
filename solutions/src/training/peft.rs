//! §4.5 Parameter-efficient fine-tuning (参数高效微调): the section's exercises, each
//! defined in its own file and gathered here.
//!
//! - [`lora_forward`] and [`lora_merge`] (`lora.rs`): a frozen linear layer with a
//!   trainable low-rank update $\frac{\alpha}{r}BA$, and the plain layer it merges into
//!   (Hu et al. 2021, arXiv 2106.09685; Hugging Face `peft`'s `LoraLayer`).
//! - [`soft_prompt`] (`soft_prompt.rs`): prompt tuning's virtual tokens prepended to the
//!   embedded input of the frozen GPT (Lester et al. 2021, arXiv 2104.08691; `peft`'s
//!   `PromptTuningConfig`).

pub use crate::training::lora::{lora_forward, lora_merge};
pub use crate::training::soft_prompt::soft_prompt;
