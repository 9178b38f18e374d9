//! §3.4 Where the GPT's positions come from (位置编码方案): a learned table, RoPE or ALiBi.
//!
//! Papers: Radford et al. 2019 (GPT-2, a learned table `wpe`); Su et al. 2021, *RoFormer*,
//! arXiv 2104.09864 (RoPE, §1.4); Press, Smith and Lewis 2022, *Train Short, Test Long*,
//! arXiv 2108.12409 (ALiBi, §1.5). Hugging Face: `GPT2Model.wpe`, `LlamaAttention`'s
//! `apply_rotary_pos_emb`, BLOOM's `build_alibi_tensor`.
//!
//! The three schemes touch the model in three different places:
//! - **learned**: a (context, C) table added to the token embeddings, before block 0;
//! - **RoPE**: nothing is added; every attention layer rotates its queries and keys;
//! - **ALiBi**: nothing is added; every attention layer adds a per-head bias
//!   $-m_h (i - j)$ to its scores.
//!
//! This file reuses §1.4's `apply_rope` and §1.5's `alibi_bias` as they are, and holds the
//! dfdx plumbing that lets the position table be absent.

use crate::architectures::params::{keep, Dyn, Matrix};
use crate::foundations::alibi::alibi_bias;
use crate::foundations::rope::apply_rope;
use crate::foundations::self_attention::{scaled_dot_product_attention, Mask};
use crate::Dev;
use dfdx::nn::tensor_collection::{ModuleFields, ModuleVisitor, TensorCollection};
use dfdx::prelude::*;
use serde::{Deserialize, Serialize};
use std::cell::Cell;

// ANCHOR: positions
/// How the model knows where a token is. Saved in the config as `"learned"`, `"rope"` or
/// `"alibi"`; a config without the field (every checkpoint older than §3.4) is learned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Positions {
    /// GPT-2's table `wpe` of `context` learned vectors: no position past it exists.
    #[default]
    Learned,
    /// Rotary embeddings on q and k in every layer (§1.4); no parameters.
    Rope,
    /// A linear distance penalty on the scores in every layer (§1.5); no parameters.
    Alibi,
}
// ANCHOR_END: positions

impl Positions {
    /// The three schemes, in the order of the book's table and figure.
    pub const ALL: [Positions; 3] = [Positions::Learned, Positions::Rope, Positions::Alibi];

    /// The name used in configs, tables and figure legends.
    pub fn name(self) -> &'static str {
        match self {
            Positions::Learned => "learned",
            Positions::Rope => "RoPE",
            Positions::Alibi => "ALiBi",
        }
    }
}

/// Queries, keys or values split into heads: (B, H, T, D).
pub type Heads<T> = Tensor<(usize, usize, usize, usize), f32, Dev, T>;

/// RoPE's base, Llama's and RoFormer's 10000.
pub const ROPE_BASE: f64 = 10_000.0;

// ANCHOR: rotate_qk
/// RoPE's part of attention: q and k (B, H, T, D) rotated by their positions 0..T; the
/// other schemes leave them alone.
///
/// Subtle: §1.4's convention (adjacent pairs 2i, 2i+1, Meta's Llama code), not Hugging
/// Face's `rotate_half` of §3.3. Both compute the same scores up to a fixed permutation
/// of W_q and W_k's rows, and a model trained from scratch has no outside weights to match,
/// so the course's own §1.4 function is used as it is.
pub fn rotate_qk<T: Tape<f32, Dev>>(
    positions: Positions,
    q: Heads<T>,
    k: Heads<T>,
) -> [Heads<T>; 2] {
    match positions {
        Positions::Rope => [apply_rope(q, 0, ROPE_BASE), apply_rope(k, 0, ROPE_BASE)],
        Positions::Learned | Positions::Alibi => [q, k],
    }
}
// ANCHOR_END: rotate_qk

// ANCHOR: alibi_attention
/// Attention with §1.5's ALiBi bias added to the scores, on top of `mask` (B, T, T).
/// q, k, v are (B, H, T, D); the result is (B, H, T, D).
///
/// §1.1's attention takes one mask for all heads, but ALiBi's bias differs per head (its
/// slope). Folding the heads into the batch, (B, H, …) -> (B·H, 1, …), gives every head a
/// mask of its own: $\text{mask}_b + \text{bias}_h$, (B·H, T, T).
pub fn alibi_attention<T: Tape<f32, Dev>>(
    q: Heads<T>,
    k: Heads<T>,
    v: Heads<T>,
    mask: &Mask<usize, usize, usize>,
) -> Heads<T> {
    let shape = *q.shape();
    let (b, h, t, d) = shape;
    let dev = q.device().clone();
    let full = (b, h, t, t);
    // alibi_bias is (H, T, T) and already -∞ above the diagonal; the mask adds the rest.
    let bias = alibi_bias(&dev, h, t).broadcast_like::<_, Axis<0>>(&full)
        + mask.clone().broadcast_like::<_, Axis<1>>(&full);
    let bias = bias.reshape_like(&(b * h, t, t)); // (B·H, T, T)
    let fold = |x: Heads<T>| {
        x.reshape_like(&(b * h, 1usize, t, d)) // (B·H, 1, T, D)
    };
    let y = scaled_dot_product_attention(fold(q), fold(k), fold(v), Some(&bias));
    y.reshape_like(&shape)
}
// ANCHOR_END: alibi_attention

/// A model's matrix that only some configurations have, e.g. `transformer.wpe.weight`,
/// which RoPE and ALiBi models lack. When absent it is not visited at all: the parameter
/// count, the optimizer and the safetensors file then do not contain it, rather than
/// holding an empty (0, C) tensor under a misleading name.
///
/// Like [`crate::architectures::params::Stack`], it reads whether the matrix is present
/// from a cell that the model's first field set when the visitor looked at it, because
/// `iter_tensors` cannot see the model.
pub struct OptionalMatrix<'c, Mod> {
    pub name: &'static str,
    pub present: &'c Cell<bool>,
    pub get: fn(&Mod) -> Option<&Matrix>,
    pub get_mut: fn(&mut Mod) -> Option<&mut Matrix>,
}

impl<Mod: TensorCollection<f32, Dev>> ModuleFields<Mod, f32, Dev> for OptionalMatrix<'_, Mod> {
    type Options<E2: Dtype, D2: Device<E2>> = Option<Tensor<(Dyn, Dyn), E2, D2>>;
    type Output<E2: Dtype, D2: Device<E2>> = Option<Tensor<(Dyn, Dyn), E2, D2>>;

    fn visit_fields<V: ModuleVisitor<Mod, f32, Dev>>(
        self,
        visitor: &mut V,
    ) -> Result<Self::Options<V::E2, V::D2>, V::Err> {
        if !self.present.get() {
            return Ok(None);
        }
        let (get, get_mut) = (self.get, self.get_mut);
        visitor.visit_tensor(
            self.name,
            move |m| get(m).expect("the cell said the matrix is present"),
            move |m| get_mut(m).expect("the cell said the matrix is present"),
            keep(),
        )
    }

    fn handle_options<E2: Dtype, D2: Device<E2>>(
        options: Self::Options<E2, D2>,
    ) -> Option<Self::Output<E2, D2>> {
        Some(options)
    }
}

#[cfg(test)]
mod tests;
