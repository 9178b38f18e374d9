//! §4.7 Loss scaling for fp16 training (损失缩放).
//!
//! Paper: Micikevicius et al. 2017, "Mixed Precision Training", arXiv 1710.03740, §3.2 and
//! Figure 3: many activation gradients are smaller than fp16's smallest subnormal, 2⁻²⁴ ≈
//! 6·10⁻⁸, and become zero when the backward pass runs in fp16. Multiplying the loss by a
//! scale S multiplies every gradient by S (the chain rule is linear), which lifts them into
//! fp16's range; the fp32 master update divides by S again. PyTorch:
//! `torch.amp.GradScaler(init_scale=2.0**16, growth_factor=2.0, backoff_factor=0.5,
//! growth_interval=2000)` with `scaler.scale(loss).backward()`, `scaler.step(optimizer)`
//! and `scaler.update()`; [`GradScaler`] follows its rules step by step. bf16 has fp32's
//! exponent range and needs no scaling.

use super::number_formats::{from_f16, to_f16};

/// An fp32 gradient `g` as it arrives after an fp16 backward pass with the loss scaled by
/// `scale`, then unscaled in fp32: `fp16(g · scale) / scale`.
///
/// ```
/// use solutions::training::loss_scaling::through_fp16_backward;
/// let g = 1e-8; // below fp16's smallest subnormal, 5.96e-8
/// assert_eq!(through_fp16_backward(g, 1.0), 0.0); // flushed: the update is lost
/// let scaled = through_fp16_backward(g, 65536.0); // 6.6e-4 in fp16: a normal number
/// assert!((scaled - g).abs() < g * 1e-3);
/// ```
// ANCHOR: through_fp16_backward
pub fn through_fp16_backward(g: f32, scale: f32) -> f32 {
    from_f16(to_f16(g * scale)) / scale
}
// ANCHOR_END: through_fp16_backward

/// The share of `grads` that become exactly zero through [`through_fp16_backward`].
pub fn fraction_flushed(grads: &[f32], scale: f32) -> f64 {
    let flushed = grads.iter().filter(|&&g| g != 0.0 && through_fp16_backward(g, scale) == 0.0);
    flushed.count() as f64 / grads.len() as f64
}

/// PyTorch's dynamic loss scaler, `torch.amp.GradScaler`: the largest scale that does not
/// overflow is found by trial. An overflow (an inf or NaN gradient) skips the optimizer
/// step and multiplies the scale by `backoff_factor`; `growth_interval` clean steps in a
/// row multiply it by `growth_factor`.
#[derive(Debug, Clone, PartialEq)]
pub struct GradScaler {
    pub scale: f32,
    pub growth_factor: f32,
    pub backoff_factor: f32,
    pub growth_interval: usize,
    /// Clean steps since the last change of scale (PyTorch's `_growth_tracker`).
    pub growth_tracker: usize,
}

impl Default for GradScaler {
    /// PyTorch's defaults: 2¹⁶, ×2, ×0.5, every 2000 steps.
    fn default() -> Self {
        Self {
            scale: 65536.0,
            growth_factor: 2.0,
            backoff_factor: 0.5,
            growth_interval: 2000,
            growth_tracker: 0,
        }
    }
}

impl GradScaler {
    /// The loss to differentiate: `loss · scale` (`scaler.scale(loss)`).
    pub fn scale_loss(&self, loss: f32) -> f32 {
        loss * self.scale
    }

    /// Divides the gradients by the scale in place and says whether any is inf or NaN
    /// (`scaler.unscale_(optimizer)`, which records `found_inf`).
    pub fn unscale(&self, grads: &mut [f32]) -> bool {
        // Subtle: multiply by the inverse as PyTorch does (`inv_scale`); the scale is a
        // power of two, so this is exact and equal to dividing.
        let inv = 1.0 / self.scale;
        grads.iter_mut().for_each(|g| *g *= inv);
        grads.iter().any(|g| !g.is_finite())
    }

    /// `scaler.step(optimizer)` then `scaler.update()`: unscale, run `optimizer_step` on
    /// the gradients only when all are finite, then adjust the scale. Returns whether the
    /// step was taken.
    // ANCHOR: grad_scaler_step
    pub fn step(&mut self, grads: &mut [f32], optimizer_step: impl FnOnce(&[f32])) -> bool {
        let found_inf = self.unscale(grads);
        if !found_inf {
            optimizer_step(grads);
        }
        self.update(found_inf);
        !found_inf
    }

    /// `scaler.update()`: PyTorch's `_amp_update_scale_`.
    pub fn update(&mut self, found_inf: bool) {
        if found_inf {
            self.scale *= self.backoff_factor;
            self.growth_tracker = 0;
        } else if self.growth_tracker + 1 == self.growth_interval {
            self.scale *= self.growth_factor;
            self.growth_tracker = 0;
        } else {
            self.growth_tracker += 1;
        }
    }
    // ANCHOR_END: grad_scaler_step
}

#[cfg(test)]
mod tests;
