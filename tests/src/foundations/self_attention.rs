//! Graded suite for §1.1: attention weights, scaled dot-product attention, and the head
//! split and merge.
//!
//! Every expected value comes from [`reference_weights`], a slow f64 loop that is correct
//! by inspection. When a learner's values are wrong, the suite recomputes the reference
//! with each known mistake (no scaling, 1/d_k, softmax over the queries, mask ignored, no
//! permute) and names the mistake that matches.

use crate::compare::{all_close, check_shape, close, fmt_index, index_of, Tol, F32};
use crate::gradient::{backward_weighted, check_gradient, grad_of, plain, traced, Tr};
use crate::{Check, Failure};
use dfdx::prelude::*;
use solutions::foundations::self_attention as lib;
use solutions::foundations::self_attention::{causal_mask, padding_mask, Mask};
use solutions::Dev;

type T4 = Tensor<(usize, usize, usize, usize), f32, Dev>;
type T3 = Tensor<(usize, usize, usize), f32, Dev>;
/// The same tensors on a gradient tape: what the graded functions are called with.
type G4 = Tensor<(usize, usize, usize, usize), f32, Dev, Tr>;
type G3 = Tensor<(usize, usize, usize), f32, Dev, Tr>;
type M3 = Mask<usize, usize, usize>;

mod heads;
pub use heads::{check_merge_heads, check_split_heads};

/// Which normalisation the reference uses: the correct one, or a known mistake.
#[derive(Clone, Copy, PartialEq)]
enum Softmax {
    OverKeys,
    OverQueries,
}

/// softmax(scale·QKᵀ + mask) by plain loops in f64; `dims` = [B, H, Sq, Sk, D].
fn reference_weights(
    q: &[f32],
    k: &[f32],
    dims: [usize; 5],
    mask: Option<&[f32]>,
    scale: f64,
    axis: Softmax,
) -> Vec<f64> {
    let [b, h, sq, sk, d] = dims;
    let mut s = vec![0.0f64; b * h * sq * sk];
    for (n, slot) in s.iter_mut().enumerate() {
        let (bh, i, j) = (n / (sq * sk), (n / sk) % sq, n % sk);
        let dot: f64 =
            (0..d).map(|e| q[(bh * sq + i) * d + e] as f64 * k[(bh * sk + j) * d + e] as f64).sum();
        *slot = scale * dot + mask.map_or(0.0, |m| m[((bh / h) * sq + i) * sk + j] as f64);
    }
    // Normalise groups of elements: a row (fixed query) or a column (fixed key).
    let groups: Vec<Vec<usize>> = match axis {
        Softmax::OverKeys => (0..b * h * sq).map(|r| (r * sk..(r + 1) * sk).collect()).collect(),
        Softmax::OverQueries => (0..b * h)
            .flat_map(|bh| (0..sk).map(move |j| (0..sq).map(|i| (bh * sq + i) * sk + j).collect()))
            .collect(),
    };
    let mut out = s.clone();
    for g in groups {
        let max = g.iter().map(|&n| s[n]).fold(f64::NEG_INFINITY, f64::max);
        let z: f64 = g.iter().map(|&n| (s[n] - max).exp()).sum();
        g.iter().for_each(|&n| out[n] = (s[n] - max).exp() / z);
    }
    out
}

/// Weights (B, H, Sq, Sk) times values (B, H, Sk, Dv), in f64.
fn reference_mix(w: &[f64], v: &[f32], [b, h, sq, sk, dv]: [usize; 5]) -> Vec<f64> {
    let mut out = vec![0.0; b * h * sq * dv];
    for (n, slot) in out.iter_mut().enumerate() {
        let (bh, i, e) = (n / (sq * dv), (n / dv) % sq, n % dv);
        *slot = (0..sk).map(|j| w[(bh * sq + i) * sk + j] * v[(bh * sk + j) * dv + e] as f64).sum();
    }
    out
}

fn dims4(t: &T4) -> [usize; 4] {
    let (a, b, c, d) = *t.shape();
    [a, b, c, d]
}

/// Compares a learner's weights with the reference and, when they differ, names the
/// mistake: masked values leaking, rows that do not sum to 1, a missing or wrong scale.
fn weights_case(label: &str, got: &T4, q: &T4, k: &T4, mask: Option<&M3>) -> Check {
    let (b, h, sq, d) = *q.shape();
    let sk = k.shape().2;
    let dims = [b, h, sq, sk, d];
    check_shape(&format!("{label}: the weights"), &dims4(got), &[b, h, sq, sk])?;
    let (g, qv, kv) = (got.as_vec(), q.as_vec(), k.as_vec());
    let m = mask.map(|m| m.as_vec());
    let reference = |scale: f64, axis| reference_weights(&qv, &kv, dims, m.as_deref(), scale, axis);
    let sqrt_dk = (d as f64).sqrt();
    let want = reference(1.0 / sqrt_dk, Softmax::OverKeys);
    if all_close(&g, &want, F32) {
        return Ok(());
    }
    let at = |n: usize| fmt_index(&index_of(n, &[b, h, sq, sk]));
    if let Some(n) = g.iter().position(|x| !x.is_finite()) {
        return Err(Failure::new(format!(
            "{label}: weights{} is {}. The mask belongs before the softmax: added to the \
             scores, its −∞ becomes exp(−∞) = 0; added after, the −∞ (or a NaN) survives.",
            at(n),
            g[n]
        )));
    }
    if let (Some(m), Some(n)) = (&m, (0..g.len()).find(|&n| want[n] == 0.0 && g[n].abs() > 1e-6)) {
        let (bb, i, j) = (n / (h * sq * sk), (n / sk) % sq, n % sk);
        debug_assert!(m[(bb * sq + i) * sk + j].is_infinite());
        return Err(Failure::new(format!(
            "{label}: query {i} gives weight {:.4} to key {j} (at weights{}), which the mask \
             forbids. Add the mask to the scores before the softmax, broadcast over the heads.",
            g[n],
            at(n)
        )));
    }
    let row_sums: Vec<f64> = g.chunks(sk).map(|row| row.iter().map(|&x| x as f64).sum()).collect();
    let rows_tol = Tol { abs: 1e-4, rel: 0.0 };
    if let Some(r) = row_sums.iter().position(|&s| !rows_tol.allows(s, 1.0)) {
        let cause = if row_sums.iter().all(|&s| rows_tol.allows(s, 1.0 / sqrt_dk)) {
            "every row sums to 1/√d_k: the scale was applied after the softmax. Scale the \
             scores (the logits) before it."
                .to_string()
        } else if all_close(&g, &reference(1.0 / sqrt_dk, Softmax::OverQueries), F32) {
            "the softmax ran over the query axis (Axis<2>), so each key's column sums to 1. \
             Each query distributes its attention over the keys: use Axis<3>."
                .to_string()
        } else {
            "is the softmax over the key axis (the last one, Axis<3>)?".to_string()
        };
        return Err(Failure::new(format!(
            "{label}: row {} of the weights (batch, head, query) sums to {:.4}, not 1: {cause}",
            fmt_index(&index_of(r, &[b, h, sq])),
            row_sums[r]
        )));
    }
    if all_close(&g, &reference(1.0, Softmax::OverKeys), F32) {
        return Err(Failure::new(format!(
            "{label}: your weights equal softmax(QKᵀ): the 1/√d_k factor is missing. With \
             d_k = {d}, unscaled scores have variance ≈ {d} and saturate the softmax."
        )));
    }
    if all_close(&g, &reference(1.0 / d as f64, Softmax::OverKeys), F32) {
        return Err(Failure::new(format!(
            "{label}: you scaled by 1/d_k = 1/{d}. The paper (and every implementation) uses \
             1/√d_k = 1/{sqrt_dk:.4}; 1/d_k is a known error in the source notes."
        )));
    }
    close(&format!("{label}: weights"), &g, &dims4(got), &want, &[b, h, sq, sk], F32)
}

/// Grades `attention_weights(q, k, mask)`.
pub fn check_attention_weights<F>(f: F) -> Check
where
    F: Fn(G4, G4, Option<&M3>) -> G4,
{
    let dev = Dev::seed_from_u64(11);
    let run = |q: &T4, k: &T4, mask| plain(f(traced(q), traced(k), mask));
    // The worked example of the doc comment: one query, two keys, d_k = 2.
    let q = dev.tensor_from_vec(vec![1.0, 0.0], (1, 1, 1, 2));
    let k = dev.tensor_from_vec(vec![1.0, 0.0, 0.0, 1.0], (1, 1, 2, 2));
    weights_case("the worked example", &run(&q, &k, None), &q, &k, None)?;
    // Random inputs with Sq ≠ Sk, so that a softmax over the wrong axis cannot hide.
    let q: T4 = dev.sample_normal_like(&(2, 3, 4, 8));
    let k: T4 = dev.sample_normal_like(&(2, 3, 5, 8));
    weights_case("random q (2,3,4,8), k (2,3,5,8)", &run(&q, &k, None), &q, &k, None)?;
    // The causal mask, then a padding mask with a short second sequence.
    let q: T4 = dev.sample_normal_like(&(2, 2, 5, 4));
    let k: T4 = dev.sample_normal_like(&(2, 2, 5, 4));
    let causal = causal_mask(&dev, 2, 5);
    weights_case("with the causal mask", &run(&q, &k, Some(&causal)), &q, &k, Some(&causal))?;
    let padding = padding_mask(&dev, &[5, 2], 5);
    let got = run(&q, &k, Some(&padding));
    weights_case("with a padding mask (lengths 5 and 2)", &got, &q, &k, Some(&padding))?;
    // The values are right; now the gradients must flow back to q and k.
    let mut got = backward_weighted(f(traced(&q), traced(&k), Some(&causal)));
    let mut want = backward_weighted(lib::attention_weights(traced(&q), traced(&k), Some(&causal)));
    let what = "attention_weights with the causal mask";
    for (name, x) in [("q", &q), ("k", &k)] {
        check_gradient(what, name, &grad_of(&mut got, x), &grad_of(&mut want, x), &dims4(x))?;
    }
    Ok(())
}

/// Grades `scaled_dot_product_attention(q, k, v, mask)`.
pub fn check_scaled_dot_product_attention<F>(f: F) -> Check
where
    F: Fn(G4, G4, G4, Option<&M3>) -> G4,
{
    let dev = Dev::seed_from_u64(12);
    let run = |q: &T4, k: &T4, v: &T4, mask| plain(f(traced(q), traced(k), traced(v), mask));
    // Dv ≠ D and Sq ≠ Sk, so that mixing the keys instead of the values cannot pass.
    let (b, h, sq, sk, d, dv) = (2, 2, 3, 4, 5, 6);
    let q: T4 = dev.sample_normal_like(&(b, h, sq, d));
    let k: T4 = dev.sample_normal_like(&(b, h, sk, d));
    let v: T4 = dev.sample_normal_like(&(b, h, sk, dv));
    let (qv, kv, vv) = (q.as_vec(), k.as_vec(), v.as_vec());
    let out = |mask: Option<&[f32]>, sq, sk, scale| {
        let w = reference_weights(&qv, &kv, [b, h, sq, sk, d], mask, scale, Softmax::OverKeys);
        reference_mix(&w, &vv, [b, h, sq, sk, dv])
    };
    let got = run(&q, &k, &v, None);
    check_shape("the output", &dims4(&got), &[b, h, sq, dv])?;
    if all_close(&got.as_vec(), &out(None, sq, sk, 1.0), F32) {
        return Err(Failure::new("the output equals softmax(QKᵀ)·V: the 1/√d_k scale is missing."));
    }
    let want = out(None, sq, sk, 1.0 / (d as f64).sqrt());
    close("the output (no mask)", &got.as_vec(), &dims4(&got), &want, &[b, h, sq, dv], F32)?;
    // Causal: square, so take the first 3 keys and values as well.
    let (q3, k3, v3) = (q.clone(), k.slice((.., .., ..sq, ..)), v.slice((.., .., ..sq, ..)));
    let (kv3, vv3) = (k3.as_vec(), v3.as_vec());
    let mask = causal_mask(&dev, b, sq);
    let got = run(&q3, &k3, &v3, Some(&mask));
    let w = reference_weights(
        &qv,
        &kv3,
        [b, h, sq, sq, d],
        Some(&mask.as_vec()),
        1.0 / (d as f64).sqrt(),
        Softmax::OverKeys,
    );
    let want = reference_mix(&w, &vv3, [b, h, sq, sq, dv]);
    let w_free = reference_weights(
        &qv,
        &kv3,
        [b, h, sq, sq, d],
        None,
        1.0 / (d as f64).sqrt(),
        Softmax::OverKeys,
    );
    if all_close(&got.as_vec(), &reference_mix(&w_free, &vv3, [b, h, sq, sq, dv]), F32) {
        return Err(Failure::new(
            "with the causal mask, the output is what it would be without a mask: pass `mask` \
             on to attention_weights.",
        ));
    }
    close("the output (causal mask)", &got.as_vec(), &dims4(&got), &want, &[b, h, sq, dv], F32)?;
    // The values are right; now the gradients must flow back to q, k and v.
    let mut got = backward_weighted(f(traced(&q3), traced(&k3), traced(&v3), Some(&mask)));
    let mut want = backward_weighted(lib::scaled_dot_product_attention(
        traced(&q3),
        traced(&k3),
        traced(&v3),
        Some(&mask),
    ));
    let what = "scaled_dot_product_attention with the causal mask";
    for (name, x) in [("q", &q3), ("k", &k3), ("v", &v3)] {
        check_gradient(what, name, &grad_of(&mut got, x), &grad_of(&mut want, x), &dims4(x))?;
    }
    Ok(())
}
