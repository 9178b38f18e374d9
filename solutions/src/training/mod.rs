//! Chapter 4 · Training LLMs (训练).
//!
//! §3.5's pieces of a training run live here too, each generic over any dfdx model that
//! implements `TensorCollection`: [`named_params`], [`lr_schedule`], [`grad_clip`],
//! [`adamw_groups`], [`token_stream`], [`data_loader`], [`checkpoint`], [`train_loop`] and
//! [`sample`].

pub mod adamw_groups;
pub mod chat_labels;
pub mod checkpoint;
pub mod cluster;
pub mod data_loader;
pub mod data_parallel;
pub mod ddp;
pub mod dedup;
pub mod dpo;
pub mod dpo_finetune;
pub mod grad_clip;
pub mod lora;
pub mod lora_finetune;
pub mod lora_gpt;
pub mod loss_scaling;
pub mod lr_schedule;
pub mod memory;
pub mod minhash;
pub mod named_params;
pub mod number_formats;
pub mod p_tuning;
pub mod packing;
pub mod peft;
pub mod pet;
pub mod pipeline;
pub mod pipeline_clock;
pub mod pipeline_gpt;
pub mod ppo;
pub mod ppo_finetune;
pub mod ppo_rollout;
pub mod ppo_vs_dpo;
pub mod prompt_methods;
pub mod ring_allreduce;
pub mod sample;
pub mod sft_data;
pub mod soft_prompt;
pub mod tensor_parallel;
#[cfg(test)]
pub(crate) mod test_model;
pub mod token_stream;
pub mod train_loop;
pub mod zero;
