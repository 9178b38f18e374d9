use super::*;
use crate::close::{assert_close, Tol};
use crate::foundations::self_attention::{merge_heads, split_heads};
use crate::kernels::testing::{normal_rows, weighted_sum};

/// Softmax weights and their mixtures of O(1) values: float rounding only.
const TOL: Tol = Tol::abs_rel(2e-5);

/// The additive bias (B, H, T, T): ALiBi's `slope_h·(j − i)` (or 0) where j ≤ i, −∞ above.
fn bias(b: usize, h: usize, t: usize, alibi: Option<&[f32]>) -> Vec<f32> {
    let mut out = Vec::with_capacity(b * h * t * t);
    for _ in 0..b {
        for hh in 0..h {
            let slope = alibi.map_or(0.0, |s| s[hh]);
            for i in 0..t {
                out.extend((0..t).map(|j| {
                    if j <= i {
                        slope * (j as f32 - i as f32)
                    } else {
                        f32::NEG_INFINITY
                    }
                }));
            }
        }
    }
    out
}

/// The readable composition: split heads, softmax(q kᵀ/√D + bias) v, merge heads.
fn slow<T: Tape<f32, Dev>>(
    q: Rows<T>,
    k: Rows<T>,
    v: Rows<T>,
    b: usize,
    h: usize,
    alibi: Option<&[f32]>,
) -> Rows<T> {
    let (n, c) = *q.shape();
    let t = n / b;
    let dev = q.device().clone();
    let heads = |x: Rows<T>| split_heads(x.reshape_like(&(b, t, c)), h); // (B, H, T, D)
    let (q, k, v) = (heads(q), heads(k), heads(v));
    let scores = q.matmul(k.permute::<_, Axes4<0, 1, 3, 2>>()) * ((c / h) as f32).sqrt().recip();
    let bias = dev.tensor_from_vec(bias(b, h, t, alibi), (b, h, t, t));
    let y = (scores + bias).softmax::<Axis<3>>().matmul(v);
    merge_heads(y).reshape_like(&(n, c))
}

/// Both entry points against the composition: values and the gradients of the inputs.
fn check(alibi: Option<&[f32]>, what: &str) {
    let dev = Dev::seed_from_u64(17);
    // B > 1, H > 1, T = 7 (not a power of two), D = 5.
    let (b, t, h, d) = (2, 7, 3, 5);
    let (n, c) = (b * t, h * d);
    // Scores of size ~3: softmax weights far from uniform, so errors in P would show.
    let qkv = normal_rows(&dev, n, 3 * c) * 1.5;
    let third =
        |x: &Rows<OwnedTape<f32, Dev>>, i: usize| x.retaped().slice((.., i * c..(i + 1) * c));
    let run = |kernel: usize| {
        let x = qkv.leaky_trace();
        let y = match kernel {
            0 => slow(third(&x, 0), third(&x, 1), x.slice((.., 2 * c..3 * c)), b, h, alibi),
            1 => causal_self_attention(x, b, h, alibi),
            _ => causal_attention(third(&x, 0), third(&x, 1), x.slice((.., 2 * c..)), b, h, alibi),
        };
        let values = y.as_vec();
        (values, weighted_sum(y, 19).backward().get(&qkv).as_vec())
    };
    let want = run(0);
    for (kernel, name) in [(1, "causal_self_attention"), (2, "causal_attention")] {
        let got = run(kernel);
        assert_close(&format!("{name}, {what}: y"), &got.0, &want.0, TOL);
        assert_close(&format!("{name}, {what}: d(q, k, v)"), &got.1, &want.1, TOL);
    }
}

#[test]
fn causal_attention_equals_the_composition() {
    check(None, "causal");
}

#[test]
fn alibi_attention_equals_the_composition_with_the_bias() {
    // ALiBi's geometric slopes for 3 heads would be 2^-8/3·(1, 2, 3); larger ones here, so
    // that the bias visibly reshapes the weights.
    check(Some(&[0.5, 0.25, 1.0]), "ALiBi");
}

#[test]
fn attention_hand_worked() {
    // One sequence of 2 tokens, 1 head of width 1 (scale 1). Token 0 sees only itself:
    // y₀ = v₀ = 4. Token 1 scores k = (0, ln 3) with q₁ = 1: weights (1/4, 3/4), so
    // y₁ = 4/4 + 3·8/4 = 7. With ALiBi slope ln 3 the score of key 0 drops by ln 3:
    // weights (1/10, 9/10), y₁ = 0.4 + 7.2 = 7.6.
    let dev = Dev::default();
    let ln3 = 3f32.ln();
    let qkv = || dev.tensor_from_vec(vec![0.0, 0.0, 4.0, 1.0, ln3, 8.0], (2, 3));
    let y = causal_self_attention(qkv(), 1, 1, None).as_vec();
    assert_close("hand-worked causal attention", &y, &[4.0, 7.0], Tol::abs(1e-5));
    let y = causal_self_attention(qkv(), 1, 1, Some(&[ln3])).as_vec();
    assert_close("hand-worked ALiBi attention", &y, &[4.0, 7.6], Tol::abs(1e-5));
}
