//! §1.6 Longer context for RoPE: Position Interpolation and NTK-aware scaling (长度外推).
//!
//! Papers: Chen et al., *Extending Context Window of Large Language Models via Positional
//! Interpolation*, 2023, arXiv 2306.15595 (PI); "NTK-aware scaled RoPE", bloc97, 2023
//! (a Reddit post, later analysed in YaRN, arXiv 2309.00071). Hugging Face: the
//! `rope_scaling` option of Llama, with `{"type": "linear"}` (PI) or `"dynamic"` (NTK).
//!
//! A model trained on L positions has seen pair i of RoPE turn through angles up to
//! $L\theta_i$. Past L, the slow pairs turn further than ever in training, and attention
//! degrades. PI squeezes the positions, $m \mapsto m L / L'$, so every angle stays inside
//! the trained range, at the price of making neighbouring tokens harder to tell apart.
//! NTK-aware scaling instead raises the base, $b' = b\,s^{d/(d-2)}$, which leaves the
//! fastest pair as it was and slows the slowest pair by exactly s = L′/L.

use super::rope::rope_frequencies;

/// How to stretch RoPE from a training length to a longer target length.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RopeScaling {
    /// Plain RoPE, used beyond its training length (extrapolation).
    None,
    /// Position Interpolation: positions multiplied by train_len / target_len.
    Interpolation,
    /// NTK-aware: the base raised to base·s^{d/(d−2)}, with s = target_len / train_len.
    NtkAware,
}

/// Position Interpolation: the (fractional) position that token `m` takes when a model
/// trained on `train_len` positions reads `target_len`, $m' = m \cdot L / L'$.
// ANCHOR: interpolate_positions
pub fn interpolate_positions(m: usize, train_len: usize, target_len: usize) -> f64 {
    m as f64 * train_len as f64 / target_len as f64
}
// ANCHOR_END: interpolate_positions

/// NTK-aware scaling: the new base $b\,s^{d/(d-2)}$ for a length scale factor s. With it,
/// the slowest pair's frequency $b^{-(d-2)/d}$ becomes exactly $1/s$ of what it was, while
/// the fastest pair ($\theta_0 = 1$) is untouched.
// ANCHOR: ntk_scaled_base
pub fn ntk_scaled_base(base: f64, scale: f64, d: usize) -> f64 {
    base * scale.powf(d as f64 / (d as f64 - 2.0))
}
// ANCHOR_END: ntk_scaled_base

/// The angle of every pair at position `m` under a scaling scheme.
// ANCHOR: rope_angles
pub fn rope_angles(
    m: usize,
    d: usize,
    base: f64,
    scaling: RopeScaling,
    train_len: usize,
    target_len: usize,
) -> Vec<f64> {
    let scale = target_len as f64 / train_len as f64;
    let (position, base) = match scaling {
        RopeScaling::None => (m as f64, base),
        RopeScaling::Interpolation => (interpolate_positions(m, train_len, target_len), base),
        RopeScaling::NtkAware => (m as f64, ntk_scaled_base(base, scale, d)),
    };
    rope_frequencies(d, base).into_iter().map(|t| position * t).collect()
}
// ANCHOR_END: rope_angles

/// The score RoPE leaves between a vector and a copy of itself `distance` positions away,
/// averaged over the pairs: $\frac{2}{d}\sum_i \cos(\Delta\,\theta_i)$. It is 1 at distance 0
/// and decays with distance; beyond the training length, plain RoPE produces values of this
/// curve the model never saw.
// ANCHOR: self_similarity
pub fn self_similarity(
    distance: usize,
    d: usize,
    base: f64,
    scaling: RopeScaling,
    train_len: usize,
    target_len: usize,
) -> f64 {
    let angles = rope_angles(distance, d, base, scaling, train_len, target_len);
    angles.iter().map(|a| a.cos()).sum::<f64>() / angles.len() as f64
}
// ANCHOR_END: self_similarity

#[cfg(test)]
mod tests;
