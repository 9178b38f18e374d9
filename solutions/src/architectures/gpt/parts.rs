//! The parts of a GPT-2 block, in candle's order: LayerNorm and the `Conv1D` projection,
//! then causal self-attention, the MLP, and the pre-norm block that wires them.
//!
//! Hugging Face: `transformers.models.gpt2.modeling_gpt2` (`GPT2Attention`, `GPT2MLP`,
//! `GPT2Block`); nanoGPT's `model.py` (`CausalSelfAttention`, `MLP`, `Block`). Every
//! activation here is (N, C) with N = B·T tokens: all but attention treat tokens alike,
//! so they run as one matrix product over the whole batch.

use super::positions::{alibi_attention, rotate_qk};
use super::{GptConfig, Positions};
use crate::architectures::params::{filled, keep, mat, normal, vector, Matrix, Vector};
use crate::foundations::alibi::alibi_slopes;
use crate::foundations::self_attention::{
    merge_heads, scaled_dot_product_attention, split_heads, Mask,
};
use crate::{kernels, Dev};
use dfdx::nn::tensor_collection::{ModuleVisitor, TensorCollection};
use dfdx::prelude::*;

/// Tokens × features, the residual stream: (N, C) with N = B·T.
pub type Stream<T> = Tensor<(usize, usize), f32, Dev, T>;

/// GPT-2's LayerNorm epsilon (`layer_norm_epsilon`).
pub const LAYER_NORM_EPS: f32 = 1e-5;

/// LayerNorm with a learned gain and bias (§1.8), over the features of each token.
#[derive(Debug, Clone)]
pub struct LayerNorm {
    pub weight: Vector,
    pub bias: Vector,
}

impl LayerNorm {
    pub fn new(dev: &Dev, c: usize) -> Self {
        Self { weight: filled(dev, c, 1.0), bias: filled(dev, c, 0.0) }
    }

    /// (N, C) -> (N, C), with γ and β on the tape: the fused kernel, tested equal to
    /// [`Self::forward_reference`].
    pub fn forward<T: Tape<f32, Dev>>(&self, x: Stream<T>) -> Stream<T> {
        kernels::layer_norm::layer_norm(x, &self.weight, &self.bias, LAYER_NORM_EPS)
    }

    /// (N, C) -> (N, C): §1.8's `layer_norm` composed from dfdx ops, the readable version.
    pub fn forward_reference<T: Tape<f32, Dev>>(&self, x: Stream<T>) -> Stream<T> {
        let shape = *x.shape();
        let mean = x.retaped::<T>().mean::<_, Axis<1>>().broadcast_like::<_, Axis<1>>(&shape);
        let centered = x - mean;
        let var = centered
            .retaped::<T>()
            .square()
            .mean::<_, Axis<1>>()
            .broadcast_like::<_, Axis<1>>(&shape);
        let normed = centered / (var + LAYER_NORM_EPS).sqrt();
        normed * vector::<T>(&self.weight).broadcast_like::<_, Axis<0>>(&shape)
            + vector::<T>(&self.bias).broadcast_like::<_, Axis<0>>(&shape)
    }
}

/// A linear layer as GPT-2 stores it: Hugging Face's `Conv1D`, whose weight is
/// (in, out), the transpose of `nn.Linear`'s, so that `y = x W + b` needs no transpose.
#[derive(Debug, Clone)]
pub struct Conv1D {
    /// (in, out)
    pub weight: Matrix,
    /// (out,)
    pub bias: Vector,
}

impl Conv1D {
    /// GPT-2's initialisation: weights N(0, std²), bias zero.
    pub fn new(dev: &Dev, d_in: usize, d_out: usize, std: f32) -> Self {
        Self { weight: normal(dev, d_in, d_out, std), bias: filled(dev, d_out, 0.0) }
    }

    /// (N, in) -> (N, out): one gemm for every token of the batch, starting from the bias
    /// (the fused kernel, tested equal to [`Self::forward_reference`]).
    pub fn forward<T: Tape<f32, Dev>>(&self, x: Stream<T>) -> Stream<T> {
        kernels::linear::linear(x, &self.weight, &self.bias)
    }

    /// (N, in) -> (N, out): `x W + b` composed from dfdx ops, the readable version.
    pub fn forward_reference<T: Tape<f32, Dev>>(&self, x: Stream<T>) -> Stream<T> {
        let y = x.matmul(mat::<T>(&self.weight));
        let shape = *y.shape();
        y + vector::<T>(&self.bias).broadcast_like::<_, Axis<0>>(&shape)
    }
}

// ANCHOR: attention
/// Causal multi-head self-attention with a fused QKV projection (`c_attn`, C -> 3C).
#[derive(Debug, Clone)]
pub struct Attention {
    pub c_attn: Conv1D,
    pub c_proj: Conv1D,
    pub heads: usize,
    /// RoPE rotates q and k here, ALiBi biases the scores here; learned positions were
    /// added to the input before block 0 (§3.4).
    pub positions: Positions,
}

impl Attention {
    /// (N, C) -> (N, C) for a batch of `b` sequences of `t` tokens, under `mask` (B, T, T).
    pub fn forward<T: Tape<f32, Dev>>(
        &self,
        x: Stream<T>,
        mask: &Mask<usize, usize, usize>,
    ) -> Stream<T> {
        let b = mask.shape().0;
        let fused = match self.positions {
            Positions::Learned => Some(None),
            Positions::Alibi => Some(Some(alibi_slopes(self.heads))),
            // Subtle: RoPE rotates q and k per head first; it takes the general path.
            Positions::Rope => None,
        };
        match fused {
            // Fast path: all heads in one fused op, tested equal to `forward_reference`.
            Some(slopes) if is_causal(mask) => {
                let qkv = self.c_attn.forward(x); // (N, 3C)
                let y = kernels::attention::causal_self_attention(
                    qkv,
                    b,
                    self.heads,
                    slopes.as_deref(),
                );
                self.c_proj.forward(y)
            }
            _ => self.forward_reference(x, mask),
        }
    }

    /// The same attention written with §1.1's functions, for any mask: what the fused
    /// kernel computes, and what the book shows.
    pub fn forward_reference<T: Tape<f32, Dev>>(
        &self,
        x: Stream<T>,
        mask: &Mask<usize, usize, usize>,
    ) -> Stream<T> {
        let (b, t, _) = *mask.shape();
        let c = x.shape().1;
        // One gemm makes queries, keys and values for every token: (N, 3C) -> (B, T, 3C).
        let qkv = self.c_attn.forward(x).reshape_like(&(b, t, 3 * c));
        let part = |r: std::ops::Range<usize>| {
            split_heads(qkv.retaped::<T>().slice((.., .., r)), self.heads) // (B, H, T, D)
        };
        let [q, k] = rotate_qk(self.positions, part(0..c), part(c..2 * c));
        let v = split_heads(qkv.slice((.., .., 2 * c..3 * c)), self.heads);
        let y = match self.positions {
            Positions::Alibi => alibi_attention(q, k, v, mask),
            Positions::Learned | Positions::Rope => {
                scaled_dot_product_attention(q, k, v, Some(mask))
            }
        }; // (B, H, T, D)
        let y = merge_heads(y).reshape_like(&(b * t, c)); // (N, C)
        self.c_proj.forward(y)
    }
}

// ANCHOR_END: attention
/// True when `mask` is exactly the causal mask (0 on and below the diagonal, −∞ above) for
/// every sequence: only then may the fused kernel, which builds that mask itself, replace it.
fn is_causal(mask: &Mask<usize, usize, usize>) -> bool {
    let (_, t, _) = *mask.shape();
    let m = kernels::values(mask);
    // Row i of each (T, T) matrix: 0 for keys 0..=i, −∞ after (row by row, no divisions).
    m.chunks_exact(t).enumerate().all(|(r, row)| {
        let (seen, masked) = row.split_at(r % t + 1);
        seen.iter().all(|&v| v == 0.0) && masked.iter().all(|&v| v == f32::NEG_INFINITY)
    })
}

// ANCHOR: mlp
/// The MLP: C -> 4C, GELU (tanh approximation, GPT-2's `gelu_new`), 4C -> C.
#[derive(Debug, Clone)]
pub struct Mlp {
    pub c_fc: Conv1D,
    pub c_proj: Conv1D,
}

impl Mlp {
    pub fn forward<T: Tape<f32, Dev>>(&self, x: Stream<T>) -> Stream<T> {
        // Subtle: dfdx's `fast_gelu` is 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))), GPT-2's
        // gelu_new; the exact erf GELU (`accurate_gelu`) differs by up to ~1e-3.
        // `gelu_tanh` is that formula as one fused op, tested equal to `fast_gelu`, and
        // `linear_gelu` fuses it into c_fc: `gelu_tanh(self.c_fc.forward(x))`, one op.
        let hidden = kernels::linear::linear_gelu(x, &self.c_fc.weight, &self.c_fc.bias);
        self.c_proj.forward(hidden)
    }
}

// ANCHOR_END: mlp
/// A pre-norm Transformer block: `x + attn(ln_1(x))`, then `x + mlp(ln_2(x))`.
#[derive(Debug, Clone)]
pub struct Block {
    pub ln_1: LayerNorm,
    pub attn: Attention,
    pub ln_2: LayerNorm,
    pub mlp: Mlp,
}

impl Block {
    // ANCHOR: init
    /// GPT-2's initialisation. The two projections that write into the residual stream
    /// (`c_proj`) get std 0.02/√(2·layers): each block adds two of them, so the variance
    /// of the stream then grows like 2·layers · std² and stays O(0.02²) at any depth.
    pub fn new(dev: &Dev, cfg: &GptConfig) -> Self {
        let (c, std) = (cfg.d_model, 0.02);
        let residual_std = std / (2.0 * cfg.layers as f32).sqrt();
        Self {
            ln_1: LayerNorm::new(dev, c),
            attn: Attention {
                c_attn: Conv1D::new(dev, c, 3 * c, std),
                c_proj: Conv1D::new(dev, c, c, residual_std),
                heads: cfg.heads,
                positions: cfg.positions,
            },
            ln_2: LayerNorm::new(dev, c),
            mlp: Mlp {
                c_fc: Conv1D::new(dev, c, 4 * c, std),
                c_proj: Conv1D::new(dev, 4 * c, c, residual_std),
            },
        }
    }

    // ANCHOR_END: init
    /// (N, C) -> (N, C): [`block_forward`], the wiring of §3.2's exercise.
    pub fn forward<T: Tape<f32, Dev>>(
        &self,
        x: Stream<T>,
        mask: &Mask<usize, usize, usize>,
    ) -> Stream<T> {
        block_forward(self, x, mask)
    }
}

// ANCHOR: block_forward
/// One pre-norm GPT-2 block on the residual stream x (N, C), N = B·T tokens, under the
/// attention `mask` (B, T, T): `x + attn(ln_1(x))`, then `x + mlp(ln_2(x))`, and the
/// result is (N, C) again.
///
/// The stream `x` passes through untouched; each sub-layer reads a normalised copy of it
/// and adds its output back, and the MLP reads the stream *after* attention has written
/// into it. Worked example, with stand-ins for the sub-layers: if every LayerNorm were the
/// identity, attention doubled its input and the MLP added 1, then x = 1 would become
/// 1 + 2·1 = 3 after attention and 3 + (3 + 1) = 7 after the MLP.
pub fn block_forward<T: Tape<f32, Dev>>(
    block: &Block,
    x: Stream<T>,
    mask: &Mask<usize, usize, usize>,
) -> Stream<T> {
    // Subtle: x is used twice. The stream keeps a copy with an empty tape (`retaped`), x
    // carries its tape into the branch, and `+` merges the tapes again, so the gradient
    // reaches x both through the branch and straight along the stream.
    let x = x.retaped::<T>() + block.attn.forward(block.ln_1.forward(x), mask);
    x.retaped::<T>() + block.mlp.forward(block.ln_2.forward(x))
}
// ANCHOR_END: block_forward

// The parameter names below are Hugging Face's, so that a checkpoint reads like theirs.
// `To` is Self: these are built by `new`, never by dfdx's BuildModule (see params.rs).

impl TensorCollection<f32, Dev> for LayerNorm {
    type To<E2: Dtype, D2: Device<E2>> = Self;
    fn iter_tensors<V: ModuleVisitor<Self, f32, Dev>>(
        v: &mut V,
    ) -> Result<Option<Self::To<V::E2, V::D2>>, V::Err> {
        v.visit_fields(
            (
                Self::tensor("weight", |s| &s.weight, |s| &mut s.weight, keep()),
                Self::tensor("bias", |s| &s.bias, |s| &mut s.bias, keep()),
            ),
            |_| unreachable!("{}", crate::architectures::params::BUILD_UNSUPPORTED),
        )
    }
}

impl TensorCollection<f32, Dev> for Conv1D {
    type To<E2: Dtype, D2: Device<E2>> = Self;
    fn iter_tensors<V: ModuleVisitor<Self, f32, Dev>>(
        v: &mut V,
    ) -> Result<Option<Self::To<V::E2, V::D2>>, V::Err> {
        v.visit_fields(
            (
                Self::tensor("weight", |s| &s.weight, |s| &mut s.weight, keep()),
                Self::tensor("bias", |s| &s.bias, |s| &mut s.bias, keep()),
            ),
            |_| unreachable!("{}", crate::architectures::params::BUILD_UNSUPPORTED),
        )
    }
}

impl TensorCollection<f32, Dev> for Block {
    type To<E2: Dtype, D2: Device<E2>> = Self;
    fn iter_tensors<V: ModuleVisitor<Self, f32, Dev>>(
        v: &mut V,
    ) -> Result<Option<Self::To<V::E2, V::D2>>, V::Err> {
        v.visit_fields(
            (
                Self::module("ln_1", |s| &s.ln_1, |s| &mut s.ln_1),
                Self::module("attn.c_attn", |s| &s.attn.c_attn, |s| &mut s.attn.c_attn),
                Self::module("attn.c_proj", |s| &s.attn.c_proj, |s| &mut s.attn.c_proj),
                Self::module("ln_2", |s| &s.ln_2, |s| &mut s.ln_2),
                Self::module("mlp.c_fc", |s| &s.mlp.c_fc, |s| &mut s.mlp.c_fc),
                Self::module("mlp.c_proj", |s| &s.mlp.c_proj, |s| &mut s.mlp.c_proj),
            ),
            |_| unreachable!("{}", crate::architectures::params::BUILD_UNSUPPORTED),
        )
    }
}
