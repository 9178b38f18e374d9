//! §3.5 Gradient clipping by global norm (梯度裁剪).
//!
//! Paper: Pascanu, Mikolov & Bengio 2013, "On the difficulty of training recurrent neural
//! networks", arXiv 1211.5063, §3.2. PyTorch: `torch.nn.utils.clip_grad_norm_`, which
//! nanoGPT calls with `grad_clip = 1.0` before every optimizer step.
//!
//! All the gradients of a model, flattened and concatenated, form one vector `g`. If its
//! length (L2 norm) exceeds `max_norm`, the whole vector is scaled down to that length. The
//! direction of the step is kept, only its size is capped: one unlucky batch (a rare token,
//! a loss spike) cannot throw the weights far away. Clipping each tensor on its own would
//! change the direction; the global norm does not.
//!
//! $$ \|g\| = \sqrt{\textstyle\sum_{\text{tensors } t} \sum_i g_{t,i}^2}, \qquad
//!    g \leftarrow g \cdot \min\left(1, \frac{\text{max\_norm}}{\|g\| + 10^{-6}}\right) $$

use super::named_params::for_each_grad;
use crate::Dev;
use dfdx::nn::tensor_collection::TensorCollection;
use dfdx::tensor::{CpuError, Gradients};

/// The factor PyTorch multiplies every gradient by: `max_norm / (total_norm + 1e-6)`,
/// capped at 1 so that small gradients are never scaled up.
///
/// Subtle: the `1e-6` keeps a zero gradient from dividing by zero, and it also means a
/// gradient whose norm is exactly `max_norm` is still scaled, by `1 - 1e-6 / max_norm`:
/// that is PyTorch's behaviour, kept so that ours and PyTorch's agree at the boundary too.
// ANCHOR: clip_coefficient
pub fn clip_coefficient(total_norm: f32, max_norm: f32) -> f32 {
    (max_norm / (total_norm + 1e-6)).min(1.0)
}
// ANCHOR_END: clip_coefficient

/// Clips a model's gradients, given as one flat `Vec` per tensor, to global L2 norm
/// `max_norm`, in place, and returns the norm they had *before* clipping (what nanoGPT
/// logs, and what PyTorch's `clip_grad_norm_` returns).
///
/// Worked example: two tensors `[3.0]` and `[4.0]` have the global norm `√(9 + 16) = 5`.
/// With `max_norm = 1` both are multiplied by `1 / (5 + 1e-6)`, giving `[0.6]` and `[0.8]`
/// (to 1e-6), and the function returns `5.0`. With `max_norm = 10` nothing changes.
///
/// Subtle: the squares are summed in `f64`. A GPT has about a million gradients, and an
/// `f32` running sum of a million small squares loses digits once the sum dwarfs each term.
// ANCHOR: clip_grad_norm
pub fn clip_grad_norm(grads: &mut [Vec<f32>], max_norm: f32) -> f32 {
    // One norm over all tensors together: the square root of the sum of all squares.
    let sum_sq: f64 = grads.iter().flatten().map(|&g| (g as f64) * (g as f64)).sum();
    let total_norm = sum_sq.sqrt() as f32;
    // Scale every gradient by the same factor, so the step keeps its direction.
    let coef = clip_coefficient(total_norm, max_norm);
    if coef < 1.0 {
        grads.iter_mut().flatten().for_each(|g| *g *= coef);
    }
    total_norm
}
// ANCHOR_END: clip_grad_norm

/// [`clip_grad_norm`] on a dfdx model's gradients, in place: one pass over the model's
/// trainable tensors for the norm, a second one to scale. Returns the norm before clipping.
///
/// ```ignore
/// let grads = loss.backward();
/// let norm = clip_model_grads(&model, &mut grads, 1.0)?; // nanoGPT's grad_clip
/// ```
// ANCHOR: clip_model_grads
pub fn clip_model_grads<M: TensorCollection<f32, Dev>>(
    model: &M,
    grads: &mut Gradients<f32, Dev>,
    max_norm: f32,
) -> Result<f32, CpuError> {
    let mut sum_sq = 0.0f64;
    for_each_grad(model, grads, |_, g| sum_sq += sum_of_squares(g))?;
    let total_norm = sum_sq.sqrt() as f32;
    let coef = clip_coefficient(total_norm, max_norm);
    if coef < 1.0 {
        for_each_grad(model, grads, |_, g| g.iter_mut().for_each(|x| *x *= coef))?;
    }
    Ok(total_norm)
}
// ANCHOR_END: clip_model_grads

/// `Σ x²` in `f64`, over eight independent partial sums: one running sum is a chain of
/// dependent additions the CPU cannot overlap; eight let the compiler vectorise the loop.
fn sum_of_squares(x: &[f32]) -> f64 {
    let mut lanes = [0.0f64; 8];
    let chunks = x.chunks_exact(8);
    let tail: f64 = chunks.remainder().iter().map(|&v| (v as f64) * (v as f64)).sum();
    for c in chunks {
        for (l, &v) in lanes.iter_mut().zip(c) {
            *l += (v as f64) * (v as f64);
        }
    }
    lanes.iter().sum::<f64>() + tail
}

#[cfg(test)]
mod tests;
