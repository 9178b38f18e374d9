//! RoPE in Hugging Face's layout (`rotate_half`), from §1.4's `apply_rope`.
//!
//! §1.4 follows Meta's Llama code: it rotates adjacent features, pairs (2i, 2i+1). Hugging
//! Face's `LlamaAttention` rotates feature i with feature i + D/2 instead
//! (`q * cos + rotate_half(q) * sin`, with `rotate_half(x) = cat(-x[D/2:], x[:D/2])`).
//! Both turn pair i by the same angle m·θ_i; they only disagree on *which* two features
//! form pair i. Hugging Face's conversion script (`convert_llama_weights_to_hf.py`,
//! `permute`) reorders the rows of every head of W_q and W_k so that its pair i sits at
//! (i, i + D/2), and since q·k is a sum over features, reordering both q and k the same
//! way changes no score.
//!
//! We keep Hugging Face's weights as they are and move the features instead:
//! interleave the two halves, apply §1.4's rotation, and split them back.

use crate::foundations::rope::apply_rope;
use crate::Dev;
use dfdx::prelude::*;

/// RoPE on x (B, H, S, D) with the pairs (i, i + D/2), Hugging Face's convention.
// ANCHOR: apply_rope_half
pub fn apply_rope_half<B: Dim, H: Dim, S: Dim, T: Tape<f32, Dev>>(
    x: Tensor<(B, H, S, usize), f32, Dev, T>,
    offset: usize,
    base: f64,
) -> Tensor<(B, H, S, usize), f32, Dev, T> {
    let shape = *x.shape();
    let (b, h, s, d) = shape;
    // Subtle: (D) viewed as (2, D/2) holds the two halves; transposing to (D/2, 2) puts
    // feature i next to feature i + D/2, which is the adjacent pair §1.4 rotates.
    let halves = (b, h, s, 2usize, d / 2);
    let pairs = (b, h, s, d / 2, 2usize);
    let interleaved = x.reshape_like(&halves).permute::<_, Axes5<0, 1, 2, 4, 3>>();
    let rotated = apply_rope(interleaved.reshape_like(&shape), offset, base);
    // And back: (D/2, 2) -> (2, D/2) -> D.
    rotated.reshape_like(&pairs).permute::<_, Axes5<0, 1, 2, 4, 3>>().reshape_like(&shape)
}
// ANCHOR_END: apply_rope_half

/// Hugging Face's formula written out, for one (S, D) head: the slow reference.
pub fn apply_rope_half_slow(x: &[f32], [s, d]: [usize; 2], offset: usize, base: f64) -> Vec<f32> {
    let theta = crate::foundations::rope::rope_frequencies(d, base);
    let mut out = x.to_vec();
    for m in 0..s {
        for (i, t) in theta.iter().enumerate() {
            let angle = (offset + m) as f64 * t;
            let (c, sn) = (angle.cos(), angle.sin());
            let (a, b) = (x[m * d + i] as f64, x[m * d + i + d / 2] as f64);
            // q * cos + rotate_half(q) * sin, where rotate_half puts -b at i and a at i + D/2.
            out[m * d + i] = (a * c - b * sn) as f32;
            out[m * d + i + d / 2] = (b * c + a * sn) as f32;
        }
    }
    out
}

#[cfg(test)]
mod tests;
