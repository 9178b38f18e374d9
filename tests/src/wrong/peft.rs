//! §4.5: plausible wrong LoRA layers and merges.

use crate::gradient::Tr;
use crate::wrong::through_vec;
use dfdx::prelude::*;
use solutions::architectures::gpt::Conv1D;
use solutions::architectures::params::Dyn;
use solutions::training::lora::{lora_forward, lora_merge, LoraLinear};
use solutions::Dev;

type S<T = Tr> = Tensor<(usize, usize), f32, Dev, T>;

/// The layer's matrix as a (usize, usize) tensor on tape `T`.
fn m<T: Tape<f32, Dev>>(t: &solutions::architectures::params::Matrix) -> S<T> {
    let (r, c) = *t.shape();
    t.retaped::<T>().reshape_like(&(r.0, c.0))
}

/// α/r left out: W₀x + b + BAx.
pub fn lora_forward_unscaled(layer: &LoraLinear, x: S) -> S {
    let frozen = layer.base.forward(x.retaped::<Tr>());
    let a_t = m::<Tr>(&layer.lora_a).permute::<_, Axes2<1, 0>>();
    let b_t = m::<Tr>(&layer.lora_b).permute::<_, Axes2<1, 0>>();
    frozen + x.matmul(a_t).matmul(b_t)
}

/// Scaled by α instead of α/r.
pub fn lora_forward_alpha_only(layer: &LoraLinear, x: S) -> S {
    let frozen = layer.base.forward(x.retaped::<Tr>());
    let a_t = m::<Tr>(&layer.lora_a).permute::<_, Axes2<1, 0>>();
    let b_t = m::<Tr>(&layer.lora_b).permute::<_, Axes2<1, 0>>();
    frozen + x.matmul(a_t).matmul(b_t) * layer.alpha
}

/// The study guides' mix-up: B treated as the down-projection and A as the up-projection,
/// i.e. x·(BA) in place of x·(BA)ᵀ (shape-valid only for square layers).
pub fn lora_forward_swapped(layer: &LoraLinear, x: S) -> S {
    let s = layer.alpha / layer.rank() as f32;
    let frozen = layer.base.forward(x.retaped::<Tr>());
    frozen + x.matmul(m::<Tr>(&layer.lora_b)).matmul(m::<Tr>(&layer.lora_a)) * s
}

/// Only the update: the frozen layer's output forgotten.
pub fn lora_forward_no_base(layer: &LoraLinear, x: S) -> S {
    let s = layer.alpha / layer.rank() as f32;
    let a_t = m::<Tr>(&layer.lora_a).permute::<_, Axes2<1, 0>>();
    let b_t = m::<Tr>(&layer.lora_b).permute::<_, Axes2<1, 0>>();
    x.matmul(a_t).matmul(b_t) * s
}

/// The right values, copied out and back in: no gradient reaches x, A or B.
pub fn lora_forward_through_vec(layer: &LoraLinear, x: S) -> S {
    through_vec(lora_forward(layer, x))
}

/// ΔW = BA added without its transpose to Conv1D's (k, d) weight.
pub fn lora_merge_untransposed(layer: &LoraLinear) -> Conv1D {
    let (k, d) = *layer.base.weight.shape();
    let s = layer.alpha / layer.rank() as f32;
    let ba = m::<NoneTape>(&layer.lora_b).matmul(m::<NoneTape>(&layer.lora_a)) * s; // (d, k)
    let w = m::<NoneTape>(&layer.base.weight) + ba.reshape_like(&(k.0, d.0));
    Conv1D { weight: w.reshape_like(&(Dyn(k.0), Dyn(d.0))), bias: layer.base.bias.clone() }
}

/// α/r left out of the merge.
pub fn lora_merge_unscaled(layer: &LoraLinear) -> Conv1D {
    let mut once = layer.clone();
    once.alpha = layer.rank() as f32;
    lora_merge(&once)
}

/// The adapters ignored: the base layer returned as it was.
pub fn lora_merge_base_only(layer: &LoraLinear) -> Conv1D {
    layer.base.clone()
}
