//! §3.5 AdamW with nanoGPT's weight-decay groups (带参数分组权重衰减的 AdamW).
//!
//! Paper: Loshchilov & Hutter 2017, arXiv 1711.05101 (decoupled weight decay); Kingma & Ba
//! 2014, arXiv 1412.6980 (Adam). PyTorch: `torch.optim.AdamW` with two parameter groups,
//! built as nanoGPT's `GPT.configure_optimizers` builds them: every tensor with two or more
//! dimensions (the matrices of attention and MLP, the embeddings) is decayed, every 1-D
//! tensor (biases, LayerNorm's gain and shift) is not. Decaying a norm's gain towards 0
//! would fight the normalisation it exists for; a bias has no scale to regularise.
//!
//! Why not dfdx's `Adam`, twice? dfdx 0.13's optimizer updates *every* tensor of the model
//! it is given, with one weight decay, so two of them would both update every tensor; and
//! its moments are private, so they could not be saved for an exact resume. So this file
//! walks the model's `TensorCollection` itself (see [`super::named_params`]), keeps the
//! moments `m`, `v` as plain named `Vec<f32>`s that a checkpoint can write, and applies the
//! §1.9 update rule tensor by tensor, in PyTorch's operation order.

use super::named_params::{for_each_param_and_grad, named_params};
use crate::Dev;
use dfdx::nn::tensor_collection::TensorCollection;
use dfdx::tensor::{CpuError, Gradients};

/// nanoGPT's rule for the decay group: matrices and embeddings yes, vectors no.
// ANCHOR: is_decayed
pub fn is_decayed(shape: &[usize]) -> bool {
    shape.len() >= 2
}
// ANCHOR_END: is_decayed

/// AdamW's hyper-parameters other than the learning rate, which changes every step.
#[derive(Debug, Clone, Copy, PartialEq)]
// Serialisable, so that a checkpoint's config can hold it.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct AdamWConfig {
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    /// Applied to the decayed group only; the other group always has 0.
    pub weight_decay: f64,
}

impl AdamWConfig {
    /// nanoGPT's `train_shakespeare_char` / CPU benchmark recipe: β = (0.9, 0.99), ε = 1e-8,
    /// weight decay 0.1. (β₂ = 0.99 rather than PyTorch's 0.999: with few tokens per step
    /// the longer memory makes `v` stale.)
    pub fn nanogpt() -> Self {
        Self { beta1: 0.9, beta2: 0.99, eps: 1e-8, weight_decay: 0.1 }
    }
}

/// The optimizer's memory for one parameter tensor. All the state there is: with `step`,
/// these make a checkpoint from which training resumes exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamState {
    /// The tensor's dotted name in the model, e.g. `2.weight`.
    pub name: String,
    pub shape: Vec<usize>,
    /// In the weight-decay group?
    pub decay: bool,
    /// First moment, the running mean of the gradient (PyTorch's `exp_avg`).
    pub m: Vec<f32>,
    /// Second moment, the running mean of the squared gradient (`exp_avg_sq`).
    pub v: Vec<f32>,
}

/// How nanoGPT's two groups split a model: it prints these four numbers at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupSizes {
    pub decayed_tensors: usize,
    pub decayed_params: usize,
    pub other_tensors: usize,
    pub other_params: usize,
}

/// One AdamW step on one tensor, exactly in the order `torch.optim.AdamW` (single-tensor
/// path) does it, with `t` the step number counted from 1:
///
/// $p \leftarrow p\,(1 - \eta\lambda)$; $m \leftarrow m + (1-\beta_1)(g - m)$;
/// $v \leftarrow \beta_2 v + (1-\beta_2) g^2$;
/// $p \leftarrow p - \frac{\eta}{1-\beta_1^t} \cdot \frac{m}{\sqrt{v}/\sqrt{1-\beta_2^t} + \epsilon}$.
///
/// Worked example (t = 1, η = 0.1, λ = 0, β = (0.9, 0.99), ε ≈ 0): `p = 1, g = 2` gives
/// `m = 0.2`, `v = 0.04`, and the step `0.1 / 0.1 · 0.2 / (0.2 / 0.1) = 0.1`: Adam's first
/// step has size η whatever the gradient's size. So `p = 0.9`.
///
/// Subtle: the decay multiplies the *old* `p` and does not pass through `m` and `v`; that
/// is what "decoupled" means, and why AdamW decays weights with large gradients as much as
/// weights with small ones (L2 inside Adam would be divided by √v).
// ANCHOR: adamw_tensor_step
#[allow(clippy::too_many_arguments)]
pub fn adamw_tensor_step(
    p: &mut [f32],
    g: &[f32],
    m: &mut [f32],
    v: &mut [f32],
    t: u64,
    lr: f64,
    weight_decay: f64,
    cfg: &AdamWConfig,
) {
    // Bias corrections in f64, as PyTorch computes them in Python floats.
    let bc1 = 1.0 - cfg.beta1.powf(t as f64);
    let bc2_sqrt = (1.0 - cfg.beta2.powf(t as f64)).sqrt();
    let (step_size, bc2_sqrt) = ((lr / bc1) as f32, bc2_sqrt as f32);
    let shrink = (1.0 - lr * weight_decay) as f32;
    let (a1, a2) = ((1.0 - cfg.beta1) as f32, (1.0 - cfg.beta2) as f32);
    let (b2, eps) = (cfg.beta2 as f32, cfg.eps as f32);
    for (((p, &g), m), v) in p.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut()) {
        *p *= shrink; // decoupled decay, on the parameter itself
        *m += a1 * (g - *m); // PyTorch's lerp: m moves (1-β₁) of the way to g
        *v = *v * b2 + a2 * g * g;
        let denom = v.sqrt() / bc2_sqrt + eps;
        *p -= step_size * (*m / denom);
    }
}
// ANCHOR_END: adamw_tensor_step

/// AdamW over a whole dfdx model, with nanoGPT's two decay groups.
#[derive(Debug, Clone)]
pub struct AdamW {
    pub cfg: AdamWConfig,
    /// Steps taken so far (PyTorch's `state["step"]`); the next update is step `t + 1`.
    t: u64,
    params: Vec<ParamState>,
}

impl AdamW {
    /// Zero moments for every trainable tensor of `model`, each put in its decay group.
    pub fn new<M: TensorCollection<f32, Dev>>(model: &M, cfg: AdamWConfig) -> Self {
        let params = named_params(model)
            .into_iter()
            .filter(|p| p.trainable)
            .map(|p| ParamState {
                decay: is_decayed(&p.shape),
                m: vec![0.0; p.numel()],
                v: vec![0.0; p.numel()],
                name: p.name,
                shape: p.shape,
            })
            .collect();
        Self { cfg, t: 0, params }
    }

    /// Number of updates done so far.
    pub fn step_count(&self) -> u64 {
        self.t
    }

    /// Restores the step count (for loading a checkpoint).
    pub fn set_step_count(&mut self, t: u64) {
        self.t = t;
    }

    /// The per-tensor state, in the model's visiting order.
    pub fn params(&self) -> &[ParamState] {
        &self.params
    }

    /// Mutable per-tensor state (for loading a checkpoint).
    pub fn params_mut(&mut self) -> &mut [ParamState] {
        &mut self.params
    }

    /// Tensors and scalars in each group.
    pub fn group_sizes(&self) -> GroupSizes {
        let count = |decay: bool| {
            let group = self.params.iter().filter(|p| p.decay == decay);
            (group.clone().count(), group.map(|p| p.m.len()).sum())
        };
        let ((decayed_tensors, decayed_params), (other_tensors, other_params)) =
            (count(true), count(false));
        GroupSizes { decayed_tensors, decayed_params, other_tensors, other_params }
    }

    /// One optimizer step at learning rate `lr` (from the schedule), as PyTorch's
    /// `optimizer.step()` after setting `group["lr"] = lr` on both groups.
    ///
    /// Panics if `model` is not the model this optimizer was made for (a tensor name or
    /// size differs): silently applying one tensor's moments to another would be worse.
    pub fn update<M: TensorCollection<f32, Dev>>(
        &mut self,
        model: &mut M,
        grads: &mut Gradients<f32, Dev>,
        lr: f64,
    ) -> Result<(), CpuError> {
        self.t += 1;
        let (t, cfg) = (self.t, self.cfg);
        let mut states = self.params.iter_mut();
        for_each_param_and_grad(model, grads, |name, p, g| {
            let s = states.next().unwrap_or_else(|| panic!("AdamW: model has extra tensor {name}"));
            assert!(
                s.name == name && s.m.len() == p.len(),
                "AdamW was made for a model whose next tensor is {} ({} values), this one has \
                 {name} ({} values): build the optimizer from the model it updates",
                s.name,
                s.m.len(),
                p.len()
            );
            let wd = if s.decay { cfg.weight_decay } else { 0.0 };
            adamw_tensor_step(p, g, &mut s.m, &mut s.v, t, lr, wd, &cfg);
        })
    }
}

#[cfg(test)]
mod tests;
