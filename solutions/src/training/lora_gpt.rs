//! §4.5 The tiny GPT with LoRA adapters (给小 GPT 加上 LoRA).
//!
//! Paper: Hu et al. 2021, arXiv 2106.09685, §4.2 (LoRA applied to the attention weights of
//! a Transformer; the MLP, the embeddings and the norms stay frozen). Hugging Face:
//! `peft.get_peft_model(GPT2LMHeadModel, LoraConfig(r, lora_alpha, target_modules=["c_attn",
//! "attn.c_proj"], fan_in_fan_out=True))`, then `model.merge_and_unload()`.
//!
//! [`LoraGpt`] is chapter 3's [`Gpt`] (learned positions) whose attention projections are
//! [`LoraLinear`]s: [`TARGET_MODULES`] are `attn.c_attn` (the fused q, k, v projection)
//! and `attn.c_proj` (the output projection) of every block. Every pre-trained tensor is
//! visited as frozen, so dfdx's `alloc_grads`, the course's AdamW, gradient clipping and
//! the checkpoint see the trainable A and B apart from the frozen rest, as PEFT's
//! `print_trainable_parameters()` does. It implements the training loop's
//! [`LanguageModel`], so §3.5's `train_step` and `evaluate` train it unchanged, and
//! [`LoraGpt::merge`] gives back a plain [`Gpt`] that generation and checkpoints understand.

use super::adamw_groups::{AdamW, AdamWConfig};
use super::lora::{frozen, lora_forward, lora_merge, LoraConfig, LoraLinear};
use super::named_params::named_params;
use super::train_loop::{LanguageModel, Logits, Tokens, Traced};
use crate::architectures::gpt::{Attention, Block, Gpt, GptConfig, LayerNorm, Mlp, Positions};
use crate::architectures::params::{mat, Matrix, Stack, BUILD_UNSUPPORTED};
use crate::kernels::attention::causal_self_attention;
use crate::Dev;
use dfdx::nn::tensor_collection::{ModuleVisitor, TensorCollection};
use dfdx::prelude::*;
use serde::{Deserialize, Serialize};
use std::cell::Cell;

/// The projections that get adapters, in PEFT's `target_modules` spelling.
pub const TARGET_MODULES: [&str; 2] = ["attn.c_attn", "attn.c_proj"];

/// One block: chapter 3's [`Block`] with its two attention projections adapted.
#[derive(Debug, Clone)]
pub struct LoraBlock {
    pub ln_1: LayerNorm,
    /// `attn.c_attn`, C → 3C (q, k, v side by side).
    pub c_attn: LoraLinear,
    /// `attn.c_proj`, C → C.
    pub c_proj: LoraLinear,
    pub heads: usize,
    pub ln_2: LayerNorm,
    pub mlp: Mlp,
}

/// A GPT with LoRA on [`TARGET_MODULES`]; everything else is the frozen base model.
#[derive(Debug, Clone)]
pub struct LoraGpt {
    pub config: GptConfig,
    pub lora: LoraConfig,
    /// Token embedding (V, C), also the LM head; frozen.
    pub wte: Matrix,
    /// Learned positions (context, C); frozen.
    pub wpe: Matrix,
    pub h: Vec<LoraBlock>,
    pub ln_f: LayerNorm,
}

impl LoraGpt {
    /// Wraps a copy of `base` (which is left as it is) with fresh adapters: A random from
    /// `dev`'s seeded RNG, B zero, so the new model computes exactly what `base` computes.
    /// Panics for RoPE and ALiBi models: only GPT-2's learned positions are wired here.
    pub fn new(dev: &Dev, base: &Gpt, lora: LoraConfig) -> Self {
        let wpe = match (&base.wpe, base.config.positions) {
            (Some(wpe), Positions::Learned) => wpe.clone(),
            _ => panic!("LoraGpt supports GPT-2's learned positions, not {:?}", base.config),
        };
        let h = base
            .h
            .iter()
            .map(|b| LoraBlock {
                ln_1: b.ln_1.clone(),
                c_attn: LoraLinear::new(dev, b.attn.c_attn.clone(), lora),
                c_proj: LoraLinear::new(dev, b.attn.c_proj.clone(), lora),
                heads: b.attn.heads,
                ln_2: b.ln_2.clone(),
                mlp: b.mlp.clone(),
            })
            .collect();
        let (wte, ln_f) = (base.wte.clone(), base.ln_f.clone());
        Self { config: base.config, lora, wte, wpe, h, ln_f }
    }

    /// Logits (B, T, V) for tokens (B, T): `Gpt::forward` with [`lora_forward`] in place
    /// of the two attention projections (the same operations in the same order, so with
    /// B = 0 the logits are the base model's bit for bit; tested).
    // ANCHOR: forward
    pub fn forward<T: Tape<f32, Dev>>(
        &self,
        tokens: Tensor<(usize, usize), usize, Dev, T>,
    ) -> Tensor<(usize, usize, usize), f32, Dev, T> {
        let (b, t) = *tokens.shape();
        let c = self.config.d_model;
        let dev = tokens.device().clone();
        let (tokens, tape) = tokens.split_tape();
        let ids = dev.tensor_from_vec(tokens.as_vec(), (b * t,));
        let tok = mat::<NoneTape>(&self.wte).put_tape(tape).gather(ids); // (N, C)
        let pos = mat::<T>(&self.wpe).slice((0..t, ..)).broadcast_like::<_, Axis<0>>(&(b, t, c));
        let mut x = tok + pos.reshape_like(&(b * t, c)); // (N, C)
        for block in &self.h {
            // §3.2's pre-norm wiring; attention is the fused causal kernel between the two
            // adapted projections.
            let qkv = lora_forward(&block.c_attn, block.ln_1.forward(x.retaped::<T>())); // (N, 3C)
            let y = causal_self_attention(qkv, b, block.heads, None); // (N, C)
            x = x + lora_forward(&block.c_proj, y);
            x = x.retaped::<T>() + block.mlp.forward(block.ln_2.forward(x));
        }
        let x = self.ln_f.forward(x);
        let logits = x.matmul(mat::<T>(&self.wte).permute::<_, Axes2<1, 0>>()); // (N, V)
        logits.reshape_like(&(b, t, self.config.vocab))
    }
    // ANCHOR_END: forward

    /// The plain GPT with every adapter merged into its weight ([`lora_merge`]): PEFT's
    /// `merge_and_unload()`. It computes the same logits (within 1e-5, tested) at the base
    /// model's cost.
    pub fn merge(&self) -> Gpt {
        let block = |b: &LoraBlock| Block {
            ln_1: b.ln_1.clone(),
            attn: Attention {
                c_attn: lora_merge(&b.c_attn),
                c_proj: lora_merge(&b.c_proj),
                heads: b.heads,
                positions: Positions::Learned,
            },
            ln_2: b.ln_2.clone(),
            mlp: b.mlp.clone(),
        };
        Gpt {
            config: self.config,
            wte: self.wte.clone(),
            wpe: Some(self.wpe.clone()),
            h: self.h.iter().map(block).collect(),
            ln_f: self.ln_f.clone(),
        }
    }
}

/// What fine-tuning a model trains and what its optimizer holds: PEFT's
/// `print_trainable_parameters()` ("trainable params: … || all params: …"), plus AdamW's
/// memory as the course's AdamW allocates it (m and v, f32, for each trainable scalar).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainableCount {
    pub trainable: usize,
    pub total: usize,
    /// Bytes of AdamW's two moments, counted from the optimizer's own state vectors.
    pub adamw_bytes: usize,
}

/// Counts `model`'s trainable and total scalars from its `TensorCollection`, and AdamW's
/// state by building the optimizer for it.
// ANCHOR: trainable_count
pub fn trainable_count<M: TensorCollection<f32, Dev>>(model: &M) -> TrainableCount {
    let params = named_params(model);
    let total = params.iter().map(|p| p.numel()).sum();
    let trainable = params.iter().filter(|p| p.trainable).map(|p| p.numel()).sum();
    let opt = AdamW::new(model, AdamWConfig::nanogpt());
    let moments: usize = opt.params().iter().map(|p| p.m.len() + p.v.len()).sum();
    TrainableCount { trainable, total, adamw_bytes: moments * std::mem::size_of::<f32>() }
}
// ANCHOR_END: trainable_count

// The names are PEFT's for GPT-2 without its `base_model.model.` prefix, e.g.
// `transformer.h.0.attn.c_attn.lora_A.weight`. Everything but A and B is `frozen()`.

impl TensorCollection<f32, Dev> for LoraBlock {
    type To<E2: Dtype, D2: Device<E2>> = Self;
    fn iter_tensors<V: ModuleVisitor<Self, f32, Dev>>(
        v: &mut V,
    ) -> Result<Option<Self::To<V::E2, V::D2>>, V::Err> {
        v.visit_fields(
            // dfdx 0.13 visits tuples of at most 6 fields: two groups.
            (
                (
                    Self::tensor(
                        "ln_1.weight",
                        |s| &s.ln_1.weight,
                        |s| &mut s.ln_1.weight,
                        frozen(),
                    ),
                    Self::tensor("ln_1.bias", |s| &s.ln_1.bias, |s| &mut s.ln_1.bias, frozen()),
                    Self::module("attn.c_attn", |s| &s.c_attn, |s| &mut s.c_attn),
                    Self::module("attn.c_proj", |s| &s.c_proj, |s| &mut s.c_proj),
                ),
                (
                    Self::tensor(
                        "ln_2.weight",
                        |s| &s.ln_2.weight,
                        |s| &mut s.ln_2.weight,
                        frozen(),
                    ),
                    Self::tensor("ln_2.bias", |s| &s.ln_2.bias, |s| &mut s.ln_2.bias, frozen()),
                    Self::tensor(
                        "mlp.c_fc.weight",
                        |s| &s.mlp.c_fc.weight,
                        |s| &mut s.mlp.c_fc.weight,
                        frozen(),
                    ),
                    Self::tensor(
                        "mlp.c_fc.bias",
                        |s| &s.mlp.c_fc.bias,
                        |s| &mut s.mlp.c_fc.bias,
                        frozen(),
                    ),
                    Self::tensor(
                        "mlp.c_proj.weight",
                        |s| &s.mlp.c_proj.weight,
                        |s| &mut s.mlp.c_proj.weight,
                        frozen(),
                    ),
                    Self::tensor(
                        "mlp.c_proj.bias",
                        |s| &s.mlp.c_proj.bias,
                        |s| &mut s.mlp.c_proj.bias,
                        frozen(),
                    ),
                ),
            ),
            |_| unreachable!("{BUILD_UNSUPPORTED}"),
        )
    }
}

impl TensorCollection<f32, Dev> for LoraGpt {
    type To<E2: Dtype, D2: Device<E2>> = Self;
    fn iter_tensors<V: ModuleVisitor<Self, f32, Dev>>(
        v: &mut V,
    ) -> Result<Option<Self::To<V::E2, V::D2>>, V::Err> {
        // Subtle: as in `Gpt`, the first field records the number of blocks for the
        // `Stack` visited next (`iter_tensors` cannot see the model; see params.rs).
        let layers = Cell::new(0);
        v.visit_fields(
            (
                Self::tensor(
                    "transformer.wte.weight",
                    |s| {
                        layers.set(s.h.len());
                        &s.wte
                    },
                    |s| {
                        layers.set(s.h.len());
                        &mut s.wte
                    },
                    frozen(),
                ),
                Self::tensor("transformer.wpe.weight", |s| &s.wpe, |s| &mut s.wpe, frozen()),
                Stack {
                    prefix: "transformer.h",
                    len: &layers,
                    get: |s: &Self| &s.h[..],
                    get_mut: |s| &mut s.h[..],
                },
                Self::tensor(
                    "transformer.ln_f.weight",
                    |s| &s.ln_f.weight,
                    |s| &mut s.ln_f.weight,
                    frozen(),
                ),
                Self::tensor(
                    "transformer.ln_f.bias",
                    |s| &s.ln_f.bias,
                    |s| &mut s.ln_f.bias,
                    frozen(),
                ),
            ),
            |_| unreachable!("{BUILD_UNSUPPORTED}"),
        )
    }
}

/// What §3.5's training loop drives.
impl LanguageModel for LoraGpt {
    fn forward_traced(&self, tokens: Tokens<Traced>) -> Logits<Traced> {
        self.forward(tokens)
    }
    fn forward_logits(&self, tokens: Tokens) -> Logits {
        self.forward(tokens)
    }
}

#[cfg(test)]
mod tests;
