//! §1.4 Rotary position embedding, RoPE (旋转位置编码).
//!
//! Paper: Su et al., *RoFormer*, 2021, arXiv 2104.09864, §3.2–3.4. PyTorch: Meta's Llama
//! `apply_rotary_emb` (pairs of adjacent features viewed as complex numbers), which the
//! reference values in `data/reference/rope.json` come from. Hugging Face's Llama pairs
//! feature i with i + d/2 instead (`rotate_half`); the two differ by a fixed permutation of
//! the projection weights, not in what they compute.
//!
//! RoPE rotates each pair $(x_{2i}, x_{2i+1})$ of a query or key at position $m$ by the
//! angle $m\theta_i$, with $\theta_i = \text{base}^{-2i/d}$. Rotations compose, so
//! $\langle R_m q, R_n k\rangle = \langle q, R_{n-m} k\rangle$: the score depends on the
//! positions only through their offset. Only q and k are rotated, never v.

use crate::Dev;
use dfdx::prelude::*;

/// The rotation speeds $\theta_i = \text{base}^{-2i/d}$ for $i = 0, \dots, d/2 - 1$: pair
/// 0 turns by one radian per position, the last pair almost not at all.
// ANCHOR: rope_frequencies
pub fn rope_frequencies(d: usize, base: f64) -> Vec<f64> {
    assert!(d.is_multiple_of(2), "RoPE rotates pairs: d = {d} must be even");
    (0..d / 2).map(|i| base.powf(-2.0 * i as f64 / d as f64)).collect()
}
// ANCHOR_END: rope_frequencies

/// The cos and sin of every angle $(\text{offset} + s)\,\theta_i$, each (S, d/2).
pub fn angles(
    dev: &Dev,
    seq: usize,
    offset: usize,
    d: usize,
    base: f64,
) -> [Tensor<(usize, usize), f32, Dev>; 2] {
    let theta = rope_frequencies(d, base);
    // Subtle: the angle is computed in f64. At position 4096, pair 0 has turned 4096
    // radians; in f32 its sine would be off in the third digit.
    let grid = |f: fn(f64) -> f64| {
        let v = (0..seq).flat_map(|s| theta.iter().map(move |t| f((offset + s) as f64 * t) as f32));
        dev.tensor_from_vec(v.collect(), (seq, d / 2))
    };
    [grid(f64::cos), grid(f64::sin)]
}

/// Rotates every adjacent pair of features of `x` (B, H, S, D) by $(\text{offset}+s)\theta_i$,
/// where `s` is the token's index along S: with a KV cache, `offset` is the number of
/// tokens already cached.
///
/// $\begin{pmatrix} x'_{2i} \\ x'_{2i+1} \end{pmatrix} =
/// \begin{pmatrix} \cos m\theta_i & -\sin m\theta_i \\
///   \sin m\theta_i & \cos m\theta_i \end{pmatrix}
/// \begin{pmatrix} x_{2i} \\ x_{2i+1} \end{pmatrix}$
// ANCHOR: apply_rope
pub fn apply_rope<B: Dim, H: Dim, S: Dim, T: Tape<f32, Dev>>(
    x: Tensor<(B, H, S, usize), f32, Dev, T>,
    offset: usize,
    base: f64,
) -> Tensor<(B, H, S, usize), f32, Dev, T> {
    let shape = *x.shape();
    let (b, h, s, d) = shape;
    let [cos, sin] = angles(x.device(), s.size(), offset, d, base);
    // One row per (batch, head, position), one slot per pair: (N, D/2, 2) with N = B·H·S.
    let n = b.size() * h.size() * s.size();
    let pairs = x.reshape_like(&(n, d / 2, 2usize));
    let first = pairs.retaped::<T>().slice((.., .., 0..1)).reshape_like(&(n, d / 2));
    let second = pairs.slice((.., .., 1..2)).reshape_like(&(n, d / 2));
    // The (S, D/2) tables repeat for every batch and head: broadcast, then flatten likewise.
    let table = |t: Tensor<(usize, usize), f32, Dev>| {
        t.broadcast_like::<_, Axes2<0, 1>>(&(b.size(), h.size(), s.size(), d / 2))
            .reshape_like(&(n, d / 2))
    };
    let (cos, sin) = (table(cos), table(sin));
    // The 2-D rotation of each pair, written out.
    let x0 = first.retaped::<T>() * cos.clone() - second.retaped::<T>() * sin.clone();
    let x1 = first * sin + second * cos;
    // Interleave again: (N, D/2, 1) ++ (N, D/2, 1) -> (N, D/2, 2) -> (B, H, S, D).
    let x0 = x0.reshape_like(&(n, d / 2, 1usize));
    let x1 = x1.reshape_like(&(n, d / 2, 1usize));
    (x0, x1).concat_along(Axis::<2>).reshape_like(&shape)
}
// ANCHOR_END: apply_rope

/// The obviously-correct version: one 2×2 rotation per pair, in plain loops over a flat
/// (B·H, S, D) buffer. The tests hold [`apply_rope`] to it.
pub fn apply_rope_slow(x: &[f32], [bh, s, d]: [usize; 3], offset: usize, base: f64) -> Vec<f32> {
    let theta = rope_frequencies(d, base);
    let mut out = x.to_vec();
    for row in 0..bh * s {
        let m = (offset + row % s) as f64;
        for (i, t) in theta.iter().enumerate() {
            let (c, sn) = ((m * t).cos(), (m * t).sin());
            let (a, b) = (x[row * d + 2 * i] as f64, x[row * d + 2 * i + 1] as f64);
            out[row * d + 2 * i] = (a * c - b * sn) as f32;
            out[row * d + 2 * i + 1] = (a * sn + b * c) as f32;
        }
    }
    out
}

#[cfg(test)]
mod tests;
