//! The parts of a Llama block, in candle's order: RMSNorm and the bias-free projection,
//! then grouped-query attention with RoPE, the SwiGLU MLP, and the pre-norm block.
//!
//! Hugging Face: `transformers.models.llama.modeling_llama` (`LlamaRMSNorm`,
//! `LlamaAttention`, `LlamaMLP`, `LlamaDecoderLayer`). Activations are (N, C), N = B·T.

use super::rope_half::apply_rope_half;
use super::LlamaConfig;
use crate::architectures::gpt::Stream;
use crate::architectures::gqa::repeat_kv;
use crate::architectures::params::{filled, keep, mat, normal, vector, Matrix, Vector};
use crate::architectures::swiglu::swiglu;
use crate::foundations::self_attention::{
    merge_heads, scaled_dot_product_attention, split_heads, Mask,
};
use crate::Dev;
use dfdx::nn::tensor_collection::{ModuleVisitor, TensorCollection};
use dfdx::prelude::*;

// ANCHOR: rms_norm
/// RMSNorm with a learned gain (§1.8's `rms_norm`, with γ on the tape).
#[derive(Debug, Clone)]
pub struct RmsNorm {
    pub weight: Vector,
    pub eps: f32,
}

impl RmsNorm {
    /// (N, C) -> (N, C): $x / \sqrt{\mathrm{mean}(x^2) + \epsilon} \odot \gamma$.
    pub fn forward<T: Tape<f32, Dev>>(&self, x: Stream<T>) -> Stream<T> {
        let shape = *x.shape();
        let ms =
            x.retaped::<T>().square().mean::<_, Axis<1>>().broadcast_like::<_, Axis<1>>(&shape);
        x / (ms + self.eps).sqrt() * vector::<T>(&self.weight).broadcast_like::<_, Axis<0>>(&shape)
    }
}

// ANCHOR_END: rms_norm
/// `x Wᵀ` with W stored (out, in), as `nn.Linear(bias=False)` stores it.
pub fn linear<T: Tape<f32, Dev>>(x: Stream<T>, w: &Matrix) -> Stream<T> {
    // The transpose is free: gemm reads W with swapped strides.
    x.matmul(mat::<T>(w).permute::<_, Axes2<1, 0>>())
}

// ANCHOR: gqa_attention
/// Grouped-query attention: `heads` query heads share `kv_heads` key/value heads.
#[derive(Debug, Clone)]
pub struct Attention {
    /// (heads·D, C)
    pub q_proj: Matrix,
    /// (kv_heads·D, C): the only projections GQA shrinks.
    pub k_proj: Matrix,
    /// (kv_heads·D, C)
    pub v_proj: Matrix,
    /// (C, heads·D)
    pub o_proj: Matrix,
    pub heads: usize,
    pub kv_heads: usize,
    pub rope_base: f64,
}

impl Attention {
    /// (N, C) -> (N, C) under `mask` (B, T, T).
    pub fn forward<T: Tape<f32, Dev>>(
        &self,
        x: Stream<T>,
        mask: &Mask<usize, usize, usize>,
    ) -> Stream<T> {
        let (b, t, _) = *mask.shape();
        let heads = |x: Stream<T>, n: usize| {
            let width = x.shape().1;
            split_heads(x.reshape_like(&(b, t, width)), n) // (B, n, T, D)
        };
        let q = heads(linear(x.retaped::<T>(), &self.q_proj), self.heads);
        let k = heads(linear(x.retaped::<T>(), &self.k_proj), self.kv_heads);
        let v = heads(linear(x, &self.v_proj), self.kv_heads);
        // Positions enter here and only here: q and k are rotated, v is not.
        let q = apply_rope_half(q, 0, self.rope_base);
        let k = apply_rope_half(k, 0, self.rope_base);
        // Each K/V head serves heads / kv_heads query heads.
        let group = self.heads / self.kv_heads;
        let (k, v) = (repeat_kv(k, group), repeat_kv(v, group));
        let y = scaled_dot_product_attention(q, k, v, Some(mask)); // (B, H, T, D)
        let width = y.shape().1 * y.shape().3;
        linear(merge_heads(y).reshape_like(&(b * t, width)), &self.o_proj)
    }
}

// ANCHOR_END: gqa_attention
/// The SwiGLU MLP: `down(swiglu(gate(x), up(x)))`, C -> d_ff -> C.
#[derive(Debug, Clone)]
pub struct Mlp {
    pub gate_proj: Matrix,
    pub up_proj: Matrix,
    pub down_proj: Matrix,
}

impl Mlp {
    pub fn forward<T: Tape<f32, Dev>>(&self, x: Stream<T>) -> Stream<T> {
        let gate = linear(x.retaped::<T>(), &self.gate_proj);
        linear(swiglu(gate, linear(x, &self.up_proj)), &self.down_proj)
    }
}

// ANCHOR: block
/// A pre-norm Llama block: `x + attn(norm(x))`, then `x + mlp(norm(x))`.
#[derive(Debug, Clone)]
pub struct Block {
    pub input_layernorm: RmsNorm,
    pub self_attn: Attention,
    pub post_attention_layernorm: RmsNorm,
    pub mlp: Mlp,
}

impl Block {
    /// Weights N(0, 0.02²) (Hugging Face's `initializer_range`), RMSNorm gains 1.
    pub fn new(dev: &Dev, cfg: &LlamaConfig) -> Self {
        let (c, f) = (cfg.d_model, cfg.d_ff);
        let kv = cfg.kv_heads * (c / cfg.heads);
        let norm = || RmsNorm { weight: filled(dev, c, 1.0), eps: cfg.rms_norm_eps as f32 };
        Self {
            input_layernorm: norm(),
            self_attn: Attention {
                q_proj: normal(dev, c, c, 0.02),
                k_proj: normal(dev, kv, c, 0.02),
                v_proj: normal(dev, kv, c, 0.02),
                o_proj: normal(dev, c, c, 0.02),
                heads: cfg.heads,
                kv_heads: cfg.kv_heads,
                rope_base: cfg.rope_base,
            },
            post_attention_layernorm: norm(),
            mlp: Mlp {
                gate_proj: normal(dev, f, c, 0.02),
                up_proj: normal(dev, f, c, 0.02),
                down_proj: normal(dev, c, f, 0.02),
            },
        }
    }

    pub fn forward<T: Tape<f32, Dev>>(
        &self,
        x: Stream<T>,
        mask: &Mask<usize, usize, usize>,
    ) -> Stream<T> {
        let h = self.self_attn.forward(self.input_layernorm.forward(x.retaped::<T>()), mask);
        let x = x + h;
        let h = self.mlp.forward(self.post_attention_layernorm.forward(x.retaped::<T>()));
        x + h
    }
}

// ANCHOR_END: block
impl TensorCollection<f32, Dev> for RmsNorm {
    type To<E2: Dtype, D2: Device<E2>> = Self;
    fn iter_tensors<V: ModuleVisitor<Self, f32, Dev>>(
        v: &mut V,
    ) -> Result<Option<Self::To<V::E2, V::D2>>, V::Err> {
        v.visit_fields(Self::tensor("weight", |s| &s.weight, |s| &mut s.weight, keep()), |_| {
            unreachable!("{}", crate::architectures::params::BUILD_UNSUPPORTED)
        })
    }
}

impl TensorCollection<f32, Dev> for Block {
    type To<E2: Dtype, D2: Device<E2>> = Self;
    fn iter_tensors<V: ModuleVisitor<Self, f32, Dev>>(
        v: &mut V,
    ) -> Result<Option<Self::To<V::E2, V::D2>>, V::Err> {
        // Hugging Face's names, e.g. `model.layers.0.self_attn.q_proj.weight`.
        v.visit_fields(
            (
                Self::module("input_layernorm", |s| &s.input_layernorm, |s| &mut s.input_layernorm),
                (
                    Self::tensor(
                        "self_attn.q_proj.weight",
                        |s| &s.self_attn.q_proj,
                        |s| &mut s.self_attn.q_proj,
                        keep(),
                    ),
                    Self::tensor(
                        "self_attn.k_proj.weight",
                        |s| &s.self_attn.k_proj,
                        |s| &mut s.self_attn.k_proj,
                        keep(),
                    ),
                    Self::tensor(
                        "self_attn.v_proj.weight",
                        |s| &s.self_attn.v_proj,
                        |s| &mut s.self_attn.v_proj,
                        keep(),
                    ),
                    Self::tensor(
                        "self_attn.o_proj.weight",
                        |s| &s.self_attn.o_proj,
                        |s| &mut s.self_attn.o_proj,
                        keep(),
                    ),
                ),
                Self::module(
                    "post_attention_layernorm",
                    |s| &s.post_attention_layernorm,
                    |s| &mut s.post_attention_layernorm,
                ),
                (
                    Self::tensor(
                        "mlp.gate_proj.weight",
                        |s| &s.mlp.gate_proj,
                        |s| &mut s.mlp.gate_proj,
                        keep(),
                    ),
                    Self::tensor(
                        "mlp.up_proj.weight",
                        |s| &s.mlp.up_proj,
                        |s| &mut s.mlp.up_proj,
                        keep(),
                    ),
                    Self::tensor(
                        "mlp.down_proj.weight",
                        |s| &s.mlp.down_proj,
                        |s| &mut s.mlp.down_proj,
                        keep(),
                    ),
                ),
            ),
            |_| unreachable!("{}", crate::architectures::params::BUILD_UNSUPPORTED),
        )
    }
}
