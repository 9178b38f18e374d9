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
/// `perm[s]`. `x` is (B, S, M) and `perm` a permutation of `0..S`.
// ANCHOR: permute_tokens
pub fn permute_tokens<B: Dim, S: Dim, M: Dim>(
    x: Tensor<(B, S, M), f32, Dev>,
    perm: &[usize],
) -> Tensor<(B, S, M), f32, Dev> {
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
mod tests {
    use super::*;
    use crate::foundations::self_attention::MultiHeadSelfAttention;

    /// The contrast the page draws: the learned table costs max_len·d parameters and has no
    /// row past max_len; the sinusoidal table costs none and extends to any length.
    #[test]
    fn a_learned_table_has_parameters_and_a_hard_length_limit() {
        let dev = Dev::seed_from_u64(1);
        let table: LearnedPositions<512, 64> =
            dev.build_module::<builders::Embedding<512, 64>, f32>();
        assert_eq!(table.num_trainable_params(), 512 * 64);
        let rows = learned_positions(&table, 10).unwrap().as_vec();
        assert_eq!(&rows[64..128], &table.weight.as_vec()[64..128], "row s is position s");
        assert!(learned_positions(&table, 513).unwrap_err().contains("has 512"));
        let far = sinusoidal_table(&dev, 4096, 64).as_vec();
        assert!(far.iter().all(|v| v.is_finite() && v.abs() <= 1.0));
    }

    fn max_gap(a: &[f32], b: &[f32]) -> f32 {
        a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max)
    }

    /// attention(P·x) = P·attention(x) without positions; with positions added, no longer.
    #[test]
    fn attention_is_permutation_equivariant_until_positions_are_added() {
        let dev = Dev::seed_from_u64(0);
        let attn = MultiHeadSelfAttention::<16, 4>::new(&dev);
        let x: Tensor<(usize, usize, Const<16>), f32, Dev> = dev.sample_normal_like(&(2, 6, Const));
        let perm = [3, 0, 5, 1, 4, 2];
        let y_of_px = attn.forward(permute_tokens(x.clone(), &perm), None).as_vec();
        let p_of_y = permute_tokens(attn.forward(x.clone(), None), &perm).as_vec();
        assert!(max_gap(&y_of_px, &p_of_y) < 1e-5, "not equivariant");

        let pe = sinusoidal_table(&dev, 6, 16).reshape_like(&(6usize, Const::<16>));
        // Position s gets PE_s, whatever token sits there: (S, M) broadcast over the batch.
        let with_pos = |x: Tensor<(usize, usize, Const<16>), f32, Dev>| {
            let shape = *x.shape();
            x + pe.clone().broadcast_like::<_, Axis<0>>(&shape)
        };
        let y_of_px = attn.forward(with_pos(permute_tokens(x.clone(), &perm)), None).as_vec();
        let p_of_y = permute_tokens(attn.forward(with_pos(x), None), &perm).as_vec();
        assert!(max_gap(&y_of_px, &p_of_y) > 1e-2, "positions did not break the symmetry");
    }

    /// PE_p · PE_q = Σᵢ cos((p − q)·ωᵢ): it depends only on the offset p − q.
    #[test]
    fn the_dot_product_of_two_positions_depends_only_on_their_offset() {
        let (len, d) = (64, 32);
        let pe = sinusoidal_table(&Dev::default(), len, d).as_vec();
        let row = |p: usize| &pe[p * d..(p + 1) * d];
        let dot = |p: usize, q: usize| row(p).iter().zip(row(q)).map(|(a, b)| a * b).sum::<f32>();
        for offset in [0, 1, 5, 17] {
            let want: f64 = (0..d / 2)
                .map(|i| (offset as f64 * 10000f64.powf(-2.0 * i as f64 / d as f64)).cos())
                .sum();
            for p in [0, 9, 40] {
                let got = dot(p + offset, p);
                assert!(
                    (got as f64 - want).abs() < 1e-4,
                    "offset {offset}, p {p}: {got} vs {want}"
                );
            }
        }
    }

    /// Moving k positions rotates each (sin, cos) pair by k·ωᵢ, whatever the start p: a
    /// fixed linear map, which is why the paper expected relative offsets to be learnable.
    #[test]
    fn a_shift_is_a_rotation_of_each_pair() {
        let (len, d, k) = (50, 8, 7);
        let pe = sinusoidal_table(&Dev::default(), len, d).as_vec();
        for p in [0, 3, 30] {
            for i in 0..d / 2 {
                let w = (k as f64 * 10000f64.powf(-2.0 * i as f64 / d as f64)) as f32;
                let (s, c) = (pe[p * d + 2 * i], pe[p * d + 2 * i + 1]);
                let (s2, c2) = (pe[(p + k) * d + 2 * i], pe[(p + k) * d + 2 * i + 1]);
                // sin(a + w) = sin a cos w + cos a sin w; cos(a + w) = cos a cos w − sin a sin w.
                assert!((s2 - (s * w.cos() + c * w.sin())).abs() < 1e-5);
                assert!((c2 - (c * w.cos() - s * w.sin())).abs() < 1e-5);
            }
        }
    }
}
