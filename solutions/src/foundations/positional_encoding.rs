//! §1.3 Why attention needs positions; sinusoidal and learned encodings (位置编码).
//!
//! Paper: Vaswani et al. 2017, arXiv 1706.03762, §3.5. PyTorch has no built-in layer; the
//! usual code is the "Annotated Transformer" `PositionalEncoding` (sinusoidal) or an
//! `nn.Embedding(max_len, d)` added to the token embeddings (learned, as in GPT-2).
//!
//! Self-attention treats its input as a set: permuting the tokens permutes the outputs in
//! the same way and changes nothing else (permutation equivariance, 置换等变). "dog bites
//! man" and "man bites dog" would be the same bag of vectors. Adding a position-dependent
//! vector to each token breaks the symmetry.

use crate::Dev;
use dfdx::prelude::*;

/// The sinusoidal table (max_len, d):
/// $PE_{p,2i} = \sin(p\,\omega_i)$ and $PE_{p,2i+1} = \cos(p\,\omega_i)$, with
/// $\omega_i = 10000^{-2i/d}$. Low dimensions oscillate fast, high ones slowly, like the
/// digits of a clock.
///
/// ```
/// # use solutions::{Dev, foundations::positional_encoding::sinusoidal_table};
/// # use dfdx::prelude::*;
/// let pe = sinusoidal_table(&Dev::default(), 4, 6).as_vec();
/// // Position 0 is sin 0 = 0 and cos 0 = 1 in every pair.
/// assert_eq!(&pe[..6], &[0.0, 1.0, 0.0, 1.0, 0.0, 1.0]);
/// // Position 1, pair 0 (ω_0 = 1): sin 1 and cos 1.
/// assert!((pe[6] - 1f32.sin()).abs() < 1e-6 && (pe[7] - 1f32.cos()).abs() < 1e-6);
/// ```
// ANCHOR: sinusoidal_table
pub fn sinusoidal_table(dev: &Dev, max_len: usize, d: usize) -> Tensor<(usize, usize), f32, Dev> {
    assert!(d.is_multiple_of(2), "the sinusoidal table pairs dimensions: d = {d} must be even");
    let mut table = Vec::with_capacity(max_len * d);
    for p in 0..max_len {
        for i in 0..d / 2 {
            // Subtle: compute the angle in f64; p·ω_i reaches thousands of radians, and
            // f32 would lose the fractional part that sin and cos depend on.
            let omega = 10000f64.powf(-2.0 * i as f64 / d as f64);
            let angle = p as f64 * omega;
            table.extend([angle.sin() as f32, angle.cos() as f32]);
        }
    }
    dev.tensor_from_vec(table, (max_len, d))
}
// ANCHOR_END: sinusoidal_table

/// Reorders the tokens of every sequence: output position `s` holds input token
/// `perm[s]`. `x` is (B, S, M) and `perm` a permutation of `0..S`; the output stays on x's
/// tape, so the gradient reaches each token at its original position.
// ANCHOR: permute_tokens
pub fn permute_tokens<B: Dim, S: Dim, M: Dim, T: Tape<f32, Dev>>(
    x: Tensor<(B, S, M), f32, Dev, T>,
    perm: &[usize],
) -> Tensor<(B, S, M), f32, Dev, T> {
    let (b, s, m) = *x.shape();
    assert_eq!(perm.len(), s.size(), "a permutation of {} tokens", s.size());
    let dev = x.device().clone();
    // dfdx gathers along the first axis, so bring the tokens to the front:
    // (B, S, M) -> (S, B, M), gather rows `perm`, and move the axis back.
    let front = x.permute::<_, Axes3<1, 0, 2>>();
    let idx = dev.tensor_from_vec(perm.to_vec(), (s,));
    front.gather(idx).permute::<_, Axes3<1, 0, 2>>().reshape_like(&(b, s, m))
}
// ANCHOR_END: permute_tokens

/// A learned position table, as in BERT and GPT-2: one trainable vector per position,
/// `max_len · d` parameters, initialised at random and shaped by training alone.
pub type LearnedPositions<const MAX_LEN: usize, const D: usize> =
    modules::Embedding<MAX_LEN, D, f32, Dev>;

// ANCHOR: learned_positions
/// The learned vectors of positions `0..seq`, (S, D), ready to add to the token
/// embeddings. Unlike [`sinusoidal_table`], there is no row past `MAX_LEN - 1`: a learned
/// table cannot encode a position it never had a parameter for.
pub fn learned_positions<const MAX_LEN: usize, const D: usize>(
    table: &LearnedPositions<MAX_LEN, D>,
    seq: usize,
) -> Result<Tensor<(usize, Const<D>), f32, Dev>, String> {
    if seq > MAX_LEN {
        return Err(format!("{seq} positions requested, but the learned table has {MAX_LEN}"));
    }
    let positions = table.weight.device().tensor_from_vec((0..seq).collect(), (seq,));
    Ok(table.forward(positions))
}
// ANCHOR_END: learned_positions

#[cfg(test)]
mod tests;
