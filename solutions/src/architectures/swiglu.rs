//! §3.3 SwiGLU, the gated MLP of Llama and PaLM (SwiGLU 激活).
//!
//! Paper: Shazeer 2020, *GLU Variants Improve Transformer*, arXiv 2002.05202. Llama's MLP
//! is `down(swiglu(gate(x), up(x)))` with three bias-free matrices; to keep the parameter
//! count of a 4× GELU MLP, its hidden width is about 8/3 of the model width (11008 for
//! 4096 in Llama 2 7B). Hugging Face: `LlamaMLP`,
//! `down_proj(act_fn(gate_proj(x)) * up_proj(x))` with `act_fn = SiLU`.

use crate::Dev;
use dfdx::prelude::*;

/// $\mathrm{SwiGLU}(g, u) = \mathrm{SiLU}(g) \odot u$, with
/// $\mathrm{SiLU}(g) = g\,\sigma(g)$ (also called Swish): the gate decides, per feature,
/// how much of the "up" value passes.
///
/// Worked example: $g = 1, u = 2$: $\sigma(1) = 0.7311$, so $1 \cdot 0.7311 \cdot 2 =
/// 1.4621$; a gate of 0 closes the feature whatever $u$ is.
/// ```
/// # use dfdx::prelude::*;
/// # use solutions::architectures::swiglu::swiglu;
/// let dev = Cpu::default();
/// let y = swiglu(dev.tensor([1.0f32, 0.0]), dev.tensor([2.0f32, 5.0])).array();
/// assert!((y[0] - 1.4621).abs() < 1e-4 && y[1] == 0.0);
/// ```
// ANCHOR: swiglu
pub fn swiglu<S: Shape, T: Tape<f32, Dev>>(
    gate: Tensor<S, f32, Dev, T>,
    up: Tensor<S, f32, Dev, T>,
) -> Tensor<S, f32, Dev, T> {
    // SiLU(g) = g·σ(g): σ alone would be GLU's gate; multiplying by g makes it smooth
    // and non-monotonic near 0, like GELU.
    let silu = gate.retaped::<T>().sigmoid() * gate;
    silu * up
}
// ANCHOR_END: swiglu

#[cfg(test)]
mod tests;
