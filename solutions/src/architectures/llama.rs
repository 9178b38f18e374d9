//! §3.3 The Llama block (LLaMA 架构): RMSNorm, SwiGLU, RoPE and grouped-query attention.
//!
//! Papers: Touvron et al. 2023, *LLaMA* (arXiv 2302.13971) and *Llama 2* (arXiv
//! 2307.09288). Against GPT-2 (§3.2): RMSNorm instead of LayerNorm (§1.8), no biases
//! anywhere, RoPE on q and k instead of a learned position table (§1.4), a SwiGLU MLP
//! ([`swiglu`](crate::architectures::swiglu)), grouped-query attention
//! ([`repeat_kv`](crate::architectures::gqa)) and an LM head separate from the embedding.
//! Hugging Face: `transformers.LlamaForCausalLM`, whose weights this model loads under the
//! same names (`model.layers.0.self_attn.q_proj.weight`, ...) and whose logits it
//! reproduces (see `llama/tests.rs`).

mod parts;
pub mod rope_half;

pub use parts::{linear, Attention, Block, Mlp, RmsNorm};

use crate::architectures::gpt::Stream;
use crate::architectures::lm_masks::{additive, causal_mask};
use crate::architectures::param_count::LlamaDims;
use crate::architectures::params::{filled, keep, mat, normal, Matrix, Stack, BUILD_UNSUPPORTED};
use crate::Dev;
use dfdx::nn::tensor_collection::{ModuleVisitor, TensorCollection};
use dfdx::prelude::*;
use serde::{Deserialize, Serialize};
use std::cell::Cell;

/// The shape of a Llama-style model (Hugging Face's `LlamaConfig`: `vocab_size`,
/// `hidden_size`, `num_hidden_layers`, `num_attention_heads`, `num_key_value_heads`,
/// `intermediate_size`, `rope_theta`, `rms_norm_eps`, `max_position_embeddings`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LlamaConfig {
    pub vocab: usize,
    /// The longest sequence the model is meant for (RoPE itself has no table).
    pub context: usize,
    pub d_model: usize,
    pub layers: usize,
    pub heads: usize,
    /// Key/value heads: `heads` for MHA, fewer for GQA, 1 for MQA.
    pub kv_heads: usize,
    /// The SwiGLU hidden width.
    pub d_ff: usize,
    pub rope_base: f64,
    pub rms_norm_eps: f64,
}

impl LlamaConfig {
    /// The same shape in the parameter-count formula's terms.
    pub fn dims(&self) -> LlamaDims {
        LlamaDims {
            vocab: self.vocab as u64,
            d_model: self.d_model as u64,
            layers: self.layers as u64,
            d_ff: self.d_ff as u64,
            heads: self.heads as u64,
            kv_heads: self.kv_heads as u64,
        }
    }
}

/// A Llama: token embedding, `layers` pre-norm blocks, a final RMSNorm, an untied head.
#[derive(Debug, Clone)]
pub struct Llama {
    pub config: LlamaConfig,
    /// (V, C)
    pub embed_tokens: Matrix,
    pub layers: Vec<Block>,
    pub norm: RmsNorm,
    /// (V, C), separate from `embed_tokens`.
    pub lm_head: Matrix,
}

impl Llama {
    /// A fresh model, every matrix N(0, 0.02²) from `dev`'s seeded RNG, norm gains 1.
    pub fn new(dev: &Dev, config: LlamaConfig) -> Self {
        let (c, v) = (config.d_model, config.vocab);
        assert!(
            c.is_multiple_of(config.heads),
            "width {c} is not divisible by {} heads",
            config.heads
        );
        assert!(
            config.heads.is_multiple_of(config.kv_heads),
            "{} query heads cannot be grouped over {} key/value heads",
            config.heads,
            config.kv_heads
        );
        Self {
            config,
            embed_tokens: normal(dev, v, c, 0.02),
            layers: (0..config.layers).map(|_| Block::new(dev, &config)).collect(),
            norm: RmsNorm { weight: filled(dev, c, 1.0), eps: config.rms_norm_eps as f32 },
            lm_head: normal(dev, v, c, 0.02),
        }
    }

    // ANCHOR: forward
    /// Logits (B, T, V) for tokens (B, T); the tape rides on the tokens, as for [`Gpt`].
    ///
    /// [`Gpt`]: crate::architectures::gpt::Gpt
    pub fn forward<T: Tape<f32, Dev>>(
        &self,
        tokens: Tensor<(usize, usize), usize, Dev, T>,
    ) -> Tensor<(usize, usize, usize), f32, Dev, T> {
        let (b, t) = *tokens.shape();
        let dev = tokens.device().clone();
        let (tokens, tape) = tokens.split_tape();
        let ids = dev.tensor_from_vec(tokens.as_vec(), (b * t,));
        // No position table: RoPE inside each attention layer carries the positions.
        let mut x: Stream<T> = mat::<NoneTape>(&self.embed_tokens).put_tape(tape).gather(ids);
        let mask = additive(&dev, &vec![causal_mask(t); b]);
        for layer in &self.layers {
            x = layer.forward(x, &mask);
        }
        let logits = linear(self.norm.forward(x), &self.lm_head); // (N, V)
        logits.reshape_like(&(b, t, self.config.vocab))
    }
}

// ANCHOR_END: forward
impl TensorCollection<f32, Dev> for Llama {
    type To<E2: Dtype, D2: Device<E2>> = Self;

    fn iter_tensors<V: ModuleVisitor<Self, f32, Dev>>(
        visitor: &mut V,
    ) -> Result<Option<Self::To<V::E2, V::D2>>, V::Err> {
        // As for Gpt: the first field records the number of layers for the `Stack`.
        let layers = Cell::new(0);
        visitor.visit_fields(
            (
                Self::tensor(
                    "model.embed_tokens.weight",
                    |s| {
                        layers.set(s.layers.len());
                        &s.embed_tokens
                    },
                    |s| {
                        layers.set(s.layers.len());
                        &mut s.embed_tokens
                    },
                    keep(),
                ),
                Stack {
                    prefix: "model.layers",
                    len: &layers,
                    get: |s: &Self| &s.layers[..],
                    get_mut: |s| &mut s.layers[..],
                },
                Self::module("model.norm", |s| &s.norm, |s| &mut s.norm),
                Self::tensor("lm_head.weight", |s| &s.lm_head, |s| &mut s.lm_head, keep()),
            ),
            |_| unreachable!("{BUILD_UNSUPPORTED}"),
        )
    }
}

#[cfg(test)]
mod tests;
