//! §4.5 LoRA: low-rank adaptation (低秩适配).
//!
//! Paper: Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models",
//! arXiv 2106.09685, §4.1. A frozen weight $W_0 \in \mathbb R^{d\times k}$ is adapted as
//! $W_0 + \frac{\alpha}{r} BA$ with $A \in \mathbb R^{r\times k}$ and
//! $B \in \mathbb R^{d\times r}$: $h = W_0 x + b + \frac{\alpha}{r} B(Ax)$. $A$ meets $x$
//! first, so it is the down-projection (to $r$ dimensions), initialised at random; $B$ is
//! the up-projection, initialised to zero so that training starts from $W_0$ exactly.
//! (A common trap: some study guides swap the two names.) Hugging Face: `peft.LoraConfig`
//! with `r`, `lora_alpha` and `target_modules`, and `peft.tuners.lora.Linear`, whose
//! `lora_A` is a `Linear(in_features, r)` (weight (r, k), Kaiming-uniform) and `lora_B` a
//! `Linear(r, out_features)` (weight (d, r), zeros). PEFT's names are kept here:
//! `base_layer.weight`, `lora_A.weight`, `lora_B.weight`.
//!
//! The frozen layer is GPT-2's `Conv1D` (§3.2), which stores $W_0^\top$, (in, out); so a
//! merge adds $(\frac{\alpha}{r}BA)^\top$, as PEFT does for GPT-2 with `fan_in_fan_out=True`.
//! The whole tiny GPT with adapters is [`super::lora_gpt`].

use crate::architectures::gpt::{Conv1D, Stream};
use crate::architectures::params::{keep, mat, Dyn, Matrix};
use crate::Dev;
use dfdx::nn::tensor_collection::{ModuleVisitor, TensorCollection, TensorOptions};
use dfdx::prelude::*;

/// The adapters' shape: PEFT's `LoraConfig(r=rank, lora_alpha=alpha)`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LoraConfig {
    /// r, the rank of the update BA.
    pub rank: usize,
    /// α; the update is scaled by α/r.
    pub alpha: f32,
}

impl LoraConfig {
    /// α/r, PEFT's `scaling`.
    pub fn scaling(&self) -> f32 {
        self.alpha / self.rank as f32
    }
}

/// A frozen linear layer with a trainable low-rank update (PEFT's `lora.Linear`).
#[derive(Debug, Clone)]
pub struct LoraLinear {
    /// The pre-trained layer, frozen: $W_0^\top$ (k, d) and the bias (d,).
    pub base: Conv1D,
    /// A (r, k): the down-projection, applied to x first; random at the start.
    pub lora_a: Matrix,
    /// B (d, r): the up-projection; zero at the start.
    pub lora_b: Matrix,
    /// α; the update is scaled by α/r, with r the rows of A.
    pub alpha: f32,
}

impl LoraLinear {
    /// Wraps `base` (in k, out d) with rank-`cfg.rank` adapters: A drawn as PEFT's default
    /// (`kaiming_uniform_(a=√5)`, i.e. U(−1/√k, 1/√k)) from `dev`'s seeded RNG, B zeros.
    pub fn new(dev: &Dev, base: Conv1D, cfg: LoraConfig) -> Self {
        let (k, d) = *base.weight.shape();
        let (k, d, r) = (k.0, d.0, cfg.rank);
        assert!(r > 0, "LoRA needs a rank of at least 1");
        let bound = 1.0 / (k as f32).sqrt();
        let u: Matrix = dev.sample_uniform_like(&(Dyn(r), Dyn(k)));
        // Subtle: B, not A, starts at zero. With A = 0 instead, BA is also 0, but B's
        // gradient (α/r)·δ(Ax)ᵀ is then 0 as well, and only A can move at first.
        let lora_b: Matrix = dev.zeros_like(&(Dyn(d), Dyn(r)));
        Self { base, lora_a: (u * 2.0 - 1.0) * bound, lora_b, alpha: cfg.alpha }
    }

    /// r, the rank of the update (the rows of A).
    pub fn rank(&self) -> usize {
        self.lora_a.shape().0 .0
    }
}

/// The adapted layer on a batch of rows x (N, k): $x W_0^\top + b + \frac{\alpha}{r}
/// (x A^\top) B^\top$, (N, d), i.e. $h = W_0x + b + \frac{\alpha}{r}BAx$ for each row.
/// The tape goes through both paths; only A and B are trained (the base is frozen by the
/// model's `TensorCollection`, not here).
///
/// Worked example (k = 2, d = 2, r = 1, α = 2, so α/r = 2): with $W_0 = I$, b = 0,
/// A = (1, 1) and B = (0.5, 0)ᵀ, the row x = (1, 2) gives $W_0x = (1, 2)$, Ax = 3,
/// BAx = (1.5, 0), and h = (1, 2) + 2·(1.5, 0) = (4, 2). At the start B = 0 and h = W₀x.
// ANCHOR: lora_forward
pub fn lora_forward<T: Tape<f32, Dev>>(layer: &LoraLinear, x: Stream<T>) -> Stream<T> {
    // Subtle: x feeds two paths; the frozen one gets a copy with an empty tape and `+`
    // merges the tapes again, so the gradient reaches x through both.
    let frozen = layer.base.forward(x.retaped::<T>()); // (N, d)
    let a_t = mat::<T>(&layer.lora_a).permute::<_, Axes2<1, 0>>(); // Aᵀ (k, r)
    let b_t = mat::<T>(&layer.lora_b).permute::<_, Axes2<1, 0>>(); // Bᵀ (r, d)
                                                                   // Down to r dimensions first, then up: N·r·(k + d) multiplications, never forming BA.
    let update = x.matmul(a_t).matmul(b_t); // (N, d)
                                            // α/r keeps the update's size when r changes, so α need not be retuned with r.
    frozen + update * (layer.alpha / layer.rank() as f32)
}
// ANCHOR_END: lora_forward

/// The plain layer that computes what `layer` computes: $W = W_0 + \frac{\alpha}{r}BA$,
/// stored as Conv1D stores it, transposed: $W^\top = W_0^\top + \frac{\alpha}{r}A^\top
/// B^\top$ (k, d). The bias is unchanged. After merging, inference costs exactly what the
/// base model cost: no extra layer, no extra latency.
///
/// Worked example (the layer of [`lora_forward`]'s example): $BA$ = ((0.5, 0.5), (0, 0)),
/// so $W = I + 2BA$ = ((2, 1), (0, 1)) and the stored $W^\top$ = ((2, 0), (1, 1)); the row
/// (1, 2) times it is (4, 2), as before.
// ANCHOR: lora_merge
pub fn lora_merge(layer: &LoraLinear) -> Conv1D {
    let (k, d) = *layer.base.weight.shape();
    let a_t = mat::<NoneTape>(&layer.lora_a).permute::<_, Axes2<1, 0>>(); // Aᵀ (k, r)
    let b_t = mat::<NoneTape>(&layer.lora_b).permute::<_, Axes2<1, 0>>(); // Bᵀ (r, d)
                                                                          // Subtle: (BA)ᵀ = AᵀBᵀ, (k, d), matches Conv1D's layout; BA itself is (d, k).
    let delta_t = a_t.matmul(b_t) * (layer.alpha / layer.rank() as f32); // (k, d)
    let merged = mat::<NoneTape>(&layer.base.weight) + delta_t;
    Conv1D { weight: merged.reshape_like(&(k, d)), bias: layer.base.bias.clone() }
}
// ANCHOR_END: lora_merge

/// The trainable parameters LoRA adds to one $d \times k$ weight at rank $r$:
/// $|A| + |B| = rk + dr = r(d + k)$, against $dk$ for full fine-tuning.
///
/// ```
/// use solutions::training::lora::lora_trainable_params;
/// // A 4096×4096 projection at r = 8: 65,536 trainable instead of 16,777,216.
/// assert_eq!(lora_trainable_params(4096, 4096, 8), 65_536);
/// ```
// ANCHOR: lora_trainable_params
pub fn lora_trainable_params(d: u64, k: u64, r: u64) -> u64 {
    // A is r × k (down), B is d × r (up).
    r * k + d * r
}
// ANCHOR_END: lora_trainable_params

/// Options for a tensor the optimizer must not touch: dfdx's `do_gradient_update: false`
/// (PyTorch's `requires_grad_(False)`). dfdx's `alloc_grads` then keeps no gradient for it,
/// and the course's AdamW keeps no moments for it.
pub fn frozen<S: ConstShape>() -> TensorOptions<S, f32, Dev> {
    // Subtle: `TensorOptions` is non-exhaustive, so it is built and then changed.
    let mut options = keep();
    options.do_gradient_update = false;
    options
}

impl TensorCollection<f32, Dev> for LoraLinear {
    type To<E2: Dtype, D2: Device<E2>> = Self;
    fn iter_tensors<V: ModuleVisitor<Self, f32, Dev>>(
        v: &mut V,
    ) -> Result<Option<Self::To<V::E2, V::D2>>, V::Err> {
        v.visit_fields(
            (
                Self::tensor(
                    "base_layer.weight",
                    |s| &s.base.weight,
                    |s| &mut s.base.weight,
                    frozen(),
                ),
                Self::tensor("base_layer.bias", |s| &s.base.bias, |s| &mut s.base.bias, frozen()),
                Self::tensor("lora_A.weight", |s| &s.lora_a, |s| &mut s.lora_a, keep()),
                Self::tensor("lora_B.weight", |s| &s.lora_b, |s| &mut s.lora_b, keep()),
            ),
            |_| unreachable!("{}", crate::architectures::params::BUILD_UNSUPPORTED),
        )
    }
}

#[cfg(test)]
mod tests;
