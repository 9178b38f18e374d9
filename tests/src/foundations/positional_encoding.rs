//! Graded suite for §1.3: the sinusoidal table and the token permutation.
//!
//! The table is held to an f64 loop over (position, pair); when it is wrong, the loop is
//! rerun with each known mistake (sine and cosine swapped, all sines before all cosines,
//! ω_i = 10000^(−i/d)) to name it. The permutation is checked on a tensor whose values
//! encode their own indices, so a misplaced token says where it came from.

use crate::compare::{all_close, check_shape, close, Tol};
use crate::gradient::{check_input_gradient, plain, traced, Tr};
use crate::{Check, Failure};
use dfdx::prelude::*;
use solutions::Dev;

type T2 = Tensor<(usize, usize), f32, Dev>;
/// x on a gradient tape: what `permute_tokens` is called with.
type T3 = Tensor<(usize, usize, usize), f32, Dev, Tr>;

/// Where sine and cosine go in a row.
#[derive(Clone, Copy, PartialEq)]
enum Layout {
    /// sin, cos, sin, cos, … (the paper's PE_{p,2i}, PE_{p,2i+1})
    Interleaved,
    /// cos, sin, cos, sin, …
    Swapped,
    /// all d/2 sines, then all d/2 cosines
    Halves,
}

/// The table in f64; `exponent(i, d)` gives the power of 10000 for pair i.
fn reference_table(
    len: usize,
    d: usize,
    layout: Layout,
    exponent: fn(usize, usize) -> f64,
) -> Vec<f64> {
    let mut out = vec![0.0; len * d];
    for p in 0..len {
        for i in 0..d / 2 {
            let angle = p as f64 * 10000f64.powf(-exponent(i, d));
            let (s, c) = (angle.sin(), angle.cos());
            let row = &mut out[p * d..(p + 1) * d];
            match layout {
                Layout::Interleaved => (row[2 * i], row[2 * i + 1]) = (s, c),
                Layout::Swapped => (row[2 * i], row[2 * i + 1]) = (c, s),
                Layout::Halves => (row[i], row[d / 2 + i]) = (s, c),
            }
        }
    }
    out
}

/// The power of 10000 for pair i of d features.
type Exponent = fn(usize, usize) -> f64;

fn two_i_over_d(i: usize, d: usize) -> f64 {
    2.0 * i as f64 / d as f64
}
fn i_over_d(i: usize, d: usize) -> f64 {
    i as f64 / d as f64
}

/// Grades `sinusoidal_table(dev, max_len, d)`.
pub fn check_sinusoidal_table<F>(f: F) -> Check
where
    F: Fn(&Dev, usize, usize) -> T2,
{
    let dev = Dev::default();
    // 5e-5 leaves room for angles computed in f32 up to position 127; a real mistake is
    // off by far more (a swapped sine and cosine by up to 1).
    let tol = Tol { abs: 5e-5, rel: 0.0 };
    for (len, d) in [(4, 4), (128, 16), (9, 6)] {
        let label = format!("sinusoidal_table(dev, {len}, {d})");
        let got = f(&dev, len, d);
        let (r, c) = *got.shape();
        check_shape(&label, &[r, c], &[len, d])?;
        let g = got.as_vec();
        let want = reference_table(len, d, Layout::Interleaved, two_i_over_d);
        if all_close(&g, &want, tol) {
            continue;
        }
        let mistakes: [(Layout, Exponent, &str); 5] = [
            (
                Layout::Swapped,
                two_i_over_d,
                "sine and cosine are swapped: column 2i holds sin(p·ω_i) and column 2i + 1 holds \
                 cos(p·ω_i), so position 0 reads 0, 1, 0, 1, …",
            ),
            (
                Layout::Halves,
                two_i_over_d,
                "the sines fill the first half and the cosines the second. This course (and the \
                 paper's formula) interleaves them: column 2i is sin(p·ω_i), column 2i + 1 is \
                 cos(p·ω_i)",
            ),
            (
                Layout::Interleaved,
                i_over_d,
                "you used ω_i = 10000^(−i/d). The exponent is −2i/d (the even dimension 2i over \
                 d), so the slowest pair turns at 10000^(−(d−2)/d), not 10000^(−(d−2)/(2d))",
            ),
            (
                Layout::Swapped,
                i_over_d,
                "two mistakes at once: the cosine sits in the even columns, and the exponent is \
                 −i/d where it should be −2i/d",
            ),
            (
                Layout::Halves,
                i_over_d,
                "two mistakes at once: all the sines come before the cosines, and the exponent is \
                 −i/d where it should be −2i/d",
            ),
        ];
        for (layout, exponent, cause) in mistakes {
            if all_close(&g, &reference_table(len, d, layout, exponent), tol) {
                return Err(Failure::new(format!("{label}: {cause}.")));
            }
        }
        return close(&label, &g, &[r, c], &want, &[len, d], tol).map_err(|e| {
            Failure::new(format!(
                "{e} Row p, columns 2i and 2i + 1, should be sin and cos of p·10000^(−2i/d), \
                 computed in f64."
            ))
        });
    }
    Ok(())
}

/// Grades `permute_tokens(x, perm)`: output position t holds input token perm[t], and the
/// gradient flows back to the token it came from.
pub fn check_permute_tokens<F>(f: F) -> Check
where
    F: Fn(T3, &[usize]) -> T3,
{
    let dev = Dev::default();
    let (b, s, m) = (2, 4, 3);
    // Value = 100·batch + 10·token + feature: each element names where it came from.
    let x: Vec<f32> =
        (0..b * s * m).map(|n| (100 * (n / (s * m)) + 10 * ((n / m) % s) + n % m) as f32).collect();
    let mut inputs = Vec::new();
    // Not its own inverse (the inverse is [1, 3, 0, 2]), so gather and scatter differ.
    for perm in [[0, 1, 2, 3], [2, 0, 3, 1]] {
        let input = dev.tensor_from_vec(x.clone(), (b, s, m));
        let got = plain(f(traced(&input), &perm));
        let label = format!("permute_tokens(x of shape (2, 4, 3), {perm:?})");
        let (g0, g1, g2) = *got.shape();
        check_shape(&label, &[g0, g1, g2], &[b, s, m])?;
        let g = got.as_vec();
        let mut inverse = [0; 4];
        perm.iter().enumerate().for_each(|(t, &p)| inverse[p] = t);
        let at = |order: &[usize; 4], n: usize| {
            x[(n / (s * m)) * s * m + order[(n / m) % s] * m + n % m]
        };
        for (n, &v) in g.iter().enumerate() {
            let want = at(&perm, n);
            if v != want {
                let (bb, t, e) = (n / (s * m), (n / m) % s, n % m);
                let origin = v.round() as usize;
                let scatter = (0..g.len()).all(|n| g[n] == at(&inverse, n));
                // The gather done on (S, B, M), then reshaped instead of permuted back.
                let not_back = (0..g.len()).all(|n| {
                    let (t, bb, e) = (n / (b * m), (n / m) % b, n % m);
                    g[n] == x[bb * s * m + perm[t] * m + e]
                });
                return Err(Failure::new(format!(
                    "{label}: output [{bb}, {t}, {e}] holds x[{}, {}, {}] but should hold \
                     x[{bb}, {}, {e}], token perm[{t}] = {}.{}",
                    origin / 100,
                    (origin / 10) % 10,
                    origin % 10,
                    perm[t],
                    perm[t],
                    if scatter {
                        " You applied the inverse permutation: you sent token t to position \
                         perm[t] (a scatter). Output position t must read from token perm[t] \
                         (a gather)."
                    } else if not_back {
                        " The tokens were gathered in the (S, B, M) layout and then reshaped \
                         to (B, S, M): the token axis was never moved back. A reshape keeps \
                         the memory order; permute (S, B, M) back to (B, S, M) instead."
                    } else {
                        " Only the token axis may move: gather along S, after bringing it to \
                         the front."
                    }
                )));
            }
        }
        inputs.push((label, input, perm));
    }
    // Gradients once every permutation's values are right: the identity permutation cannot
    // tell a gather from a scatter, and that mistake must be named as such.
    let lib = solutions::foundations::positional_encoding::permute_tokens;
    for (label, input, perm) in inputs {
        check_input_gradient(&label, "x", &input, |x| f(x, &perm), |x| lib(x, &perm))?;
    }
    Ok(())
}
