//! Graded suite for §1.4: RoPE's frequencies and the rotation of adjacent pairs.
//!
//! The reference is a plain loop here, one 2×2 rotation per pair, in f64. When a learner's
//! output differs, the loop is rerun with each known mistake (pairs (i, i + d/2) as in
//! Hugging Face's `rotate_half`, the rotation turned the wrong way, the offset ignored,
//! positions counted across batch and heads) to name it.

use crate::compare::{all_close, all_close_f64, check_shape, close, close_f64, Tol, F32};
use crate::gradient::{backward_weighted, check_gradient, grad_of, plain, traced, Tr};
use crate::{Check, Failure};
use dfdx::prelude::*;
use solutions::foundations::rope as lib;
use solutions::Dev;

type T4 = Tensor<(usize, usize, usize, usize), f32, Dev>;
/// x on a gradient tape: what `apply_rope` is called with.
type G4 = Tensor<(usize, usize, usize, usize), f32, Dev, Tr>;

fn frequencies(d: usize, base: f64, exponent: impl Fn(usize) -> f64, count: usize) -> Vec<f64> {
    (0..count).map(|i| base.powf(-exponent(i) / d as f64)).collect()
}

/// Grades `rope_frequencies(d, base)`.
pub fn check_rope_frequencies<F>(f: F) -> Check
where
    F: Fn(usize, f64) -> Vec<f64>,
{
    let tol = Tol { abs: 0.0, rel: 1e-12 };
    for (d, base) in [(4, 10000.0), (64, 10000.0), (8, 500000.0)] {
        let got = f(d, base);
        let label = format!("rope_frequencies({d}, {base})");
        let want = frequencies(d, base, |i| 2.0 * i as f64, d / 2);
        if all_close_f64(&got, &want, tol) {
            continue;
        }
        let cause = if got.len() == d {
            format!(
                "It has {d} entries: RoPE rotates pairs of features, so there are d/2 = {} \
                 speeds, one per pair",
                d / 2
            )
        } else if all_close_f64(&got, &frequencies(d, base, |i| i as f64, d / 2), tol) {
            "You used θ_i = base^(−i/d); the exponent is −2i/d, so that the pairs span \
             base^0 = 1 down to base^(−(d−2)/d)"
                .to_string()
        } else if all_close_f64(&got, &frequencies(d, base, |i| -2.0 * (i as f64), d / 2), tol) {
            "The exponent's sign is flipped: θ_i = base^(−2i/d) falls from 1, it does not grow"
                .to_string()
        } else {
            "θ_i = base^(−2i/d) for i = 0, …, d/2 − 1".to_string()
        };
        return close_f64(&label, "frequencies", &got, &want, tol)
            .map_err(|e| Failure::new(format!("{e} {cause}.")));
    }
    Ok(())
}

/// Which mistake the reference reproduces.
#[derive(Clone, Copy, Default)]
struct Variant {
    /// Pair feature i with i + d/2 (Hugging Face's layout) instead of 2i with 2i + 1.
    halves: bool,
    /// Rotate by −mθ.
    backwards: bool,
    /// Forget the offset.
    no_offset: bool,
    /// Count positions over the flattened (B·H·S) rows, not along S.
    flat_positions: bool,
}

/// RoPE by plain loops in f64 over x (B·H, S, D).
fn reference(x: &[f32], [bh, s, d]: [usize; 3], offset: usize, base: f64, v: Variant) -> Vec<f64> {
    let mut out: Vec<f64> = x.iter().map(|&a| a as f64).collect();
    for row in 0..bh * s {
        let pos = if v.flat_positions { row } else { row % s };
        let m = (pos + if v.no_offset { 0 } else { offset }) as f64;
        for i in 0..d / 2 {
            let angle =
                m * base.powf(-2.0 * i as f64 / d as f64) * if v.backwards { -1.0 } else { 1.0 };
            let (a, b) = if v.halves { (i, i + d / 2) } else { (2 * i, 2 * i + 1) };
            let (x0, x1) = (x[row * d + a] as f64, x[row * d + b] as f64);
            out[row * d + a] = x0 * angle.cos() - x1 * angle.sin();
            out[row * d + b] = x0 * angle.sin() + x1 * angle.cos();
        }
    }
    out
}

/// Grades `apply_rope(x, offset, base)`.
pub fn check_apply_rope<F>(f: F) -> Check
where
    F: Fn(G4, usize, f64) -> G4,
{
    let dev = Dev::seed_from_u64(41);
    let worked = dev.tensor_from_vec(vec![1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0], (1, 1, 2, 4));
    let cases: [(&str, T4, usize, f64); 3] = [
        ("the worked example, (1, 0, 1, 0) at positions 0 and 1", worked, 0, 10000.0),
        ("random x (2, 3, 5, 8)", dev.sample_normal_like(&(2, 3, 5, 8)), 0, 10000.0),
        (
            "random x (2, 2, 3, 6) at offset 7, base 500000",
            dev.sample_normal_like(&(2, 2, 3, 6)),
            7,
            500000.0,
        ),
    ];
    for (label, x, offset, base) in &cases {
        let (label, offset, base) = (*label, *offset, *base);
        let (b, h, s, d) = *x.shape();
        let xv = x.as_vec();
        let got = plain(f(traced(x), offset, base));
        let (g0, g1, g2, g3) = *got.shape();
        check_shape(label, &[g0, g1, g2, g3], &[b, h, s, d])?;
        let g = got.as_vec();
        let dims = [b * h, s, d];
        let want = reference(&xv, dims, offset, base, Variant::default());
        if all_close(&g, &want, F32) {
            continue;
        }
        let base_v = Variant::default();
        let mistakes = [
            (
                Variant { halves: true, ..base_v },
                "you rotated the pairs (x_i, x_{i+d/2}), Hugging Face's rotate_half layout. This \
                 course follows the paper and Meta's Llama: each pair is two adjacent features \
                 (x_{2i}, x_{2i+1})",
            ),
            (
                Variant { backwards: true, ..base_v },
                "every pair turned by −mθ_i: the sine's signs are swapped. The rotation is x'_{2i} \
                 = x_{2i}·cos − x_{2i+1}·sin and x'_{2i+1} = x_{2i}·sin + x_{2i+1}·cos",
            ),
            (
                Variant { no_offset: true, ..base_v },
                "the positions ignore `offset`: token s sits at position offset + s (with a KV \
                 cache, the offset is the number of tokens already cached)",
            ),
            (
                Variant { flat_positions: true, ..base_v },
                "positions run on across batch entries and heads. The position is the token's \
                 index along S, the same for every batch entry and head: broadcast the (S, D/2) \
                 tables over B and H",
            ),
        ];
        for (variant, cause) in mistakes {
            if all_close(&g, &reference(&xv, dims, offset, base, variant), F32) {
                return Err(Failure::new(format!("{label}: {cause}.")));
            }
        }
        return close(label, &g, &[g0, g1, g2, g3], &want, &[b, h, s, d], F32).map_err(|e| {
            Failure::new(format!(
                "{e} Each adjacent pair (x_{{2i}}, x_{{2i+1}}) of the token at position \
                 m = offset + s turns by m·θ_i; the other features stay where they are."
            ))
        });
    }
    // The values are right; now the gradient must flow back to x (the case with an offset).
    let (label, x, offset, base) = &cases[2];
    let mut got = backward_weighted(f(traced(x), *offset, *base));
    let mut want = backward_weighted(lib::apply_rope(traced(x), *offset, *base));
    let (gx, wx) = (grad_of(&mut got, x), grad_of(&mut want, x));
    let (b, h, s, d) = *x.shape();
    check_gradient(label, "x", &gx, &wx, &[b, h, s, d])
}
