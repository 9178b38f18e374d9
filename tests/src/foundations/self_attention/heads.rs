//! Graded suite for §1.1's head split and merge: `split_heads` (B, S, M) -> (B, H, S, M/H)
//! and `merge_heads`, its inverse. PyTorch: `x.view(B, S, H, D).transpose(1, 2)` and back.
//!
//! The inputs encode their own indices, so a misplaced element says where it came from, and
//! a result that is x reshaped without the permute is named.

use super::{dims4, G3, G4, T3, T4};
use crate::compare::{check_shape, close, fmt_index, index_of, Tol};
use crate::gradient::{backward_weighted, check_gradient, grad_of, plain, traced};
use crate::{Check, Failure};
use dfdx::prelude::*;
use solutions::foundations::self_attention as lib;
use solutions::foundations::self_attention::split_heads;
use solutions::Dev;

/// A test tensor whose every value encodes its own index, so a misplaced element says
/// where it came from: value = 1000·i0 + 100·i1 + 10·i2 + i3 (each index below 10).
fn encoded(shape: &[usize]) -> Vec<f32> {
    let n: usize = shape.iter().product();
    (0..n).map(|i| index_of(i, shape).iter().fold(0.0, |acc, &x| acc * 10.0 + x as f32)).collect()
}

/// Names a value of [`encoded`] as the element of `x` it came from.
fn origin(v: f32, rank: usize) -> String {
    let v = v.round() as usize;
    let digits = [v / 1000, (v / 100) % 10, (v / 10) % 10, v % 10];
    fmt_index(&digits[4 - rank..])
}

/// Grades `split_heads(x, heads)`: (B, S, M) -> (B, H, S, M/H).
pub fn check_split_heads<F>(f: F) -> Check
where
    F: Fn(G3, usize) -> G4,
{
    let dev = Dev::default();
    for (b, s, m, heads) in [(2, 3, 8, 2), (1, 4, 8, 4)] {
        let x: T3 = dev.tensor_from_vec(encoded(&[b, s, m]), (b, s, m));
        let d = m / heads;
        let got = plain(f(traced(&x), heads));
        let label = format!("split_heads(x of shape ({b}, {s}, {m}), {heads})");
        check_shape(&label, &dims4(&got), &[b, heads, s, d])?;
        let g = got.as_vec();
        let xv = x.as_vec();
        for (n, &v) in g.iter().enumerate() {
            let [bb, hh, ss, dd] = index_of(n, &[b, heads, s, d])[..] else { unreachable!() };
            let want = xv[(bb * s + ss) * m + hh * d + dd];
            if v != want {
                let no_permute = g == xv;
                return Err(Failure::new(format!(
                    "{label}: element [{bb}, {hh}, {ss}, {dd}] holds x{} but head {hh} of token \
                     {ss} should hold x{} (feature h·D + d = {}).{}",
                    origin(v, 3),
                    origin(want, 3),
                    hh * d + dd,
                    if no_permute {
                        " Your output is x reshaped straight to (B, H, S, D), which deals whole \
                         tokens out to heads. Reshape to (B, S, H, D) first, then swap the S \
                         and H axes with permute."
                    } else {
                        ""
                    }
                )));
            }
        }
    }
    // The values are right; now the gradient must flow back to x.
    let x: T3 = Dev::seed_from_u64(13).sample_normal_like(&(2, 3, 8));
    let mut got = backward_weighted(f(traced(&x), 2));
    let mut want = backward_weighted(lib::split_heads(traced(&x), 2));
    let (g, w) = (grad_of(&mut got, &x), grad_of(&mut want, &x));
    check_gradient("split_heads(x of shape (2, 3, 8), 2)", "x", &g, &w, &[2, 3, 8])
}

/// Grades `merge_heads(x)`: (B, H, S, D) -> (B, S, H·D), the inverse of `split_heads`.
pub fn check_merge_heads<F>(f: F) -> Check
where
    F: Fn(G4) -> G3,
{
    let dev = Dev::default();
    let (b, h, s, d) = (2, 3, 4, 2);
    let x: T4 = dev.tensor_from_vec(encoded(&[b, h, s, d]), (b, h, s, d));
    let got = plain(f(traced(&x)));
    let (g0, g1, g2) = *got.shape();
    check_shape("merge_heads(x of shape (2, 3, 4, 2))", &[g0, g1, g2], &[b, s, h * d])?;
    let (g, xv) = (got.as_vec(), x.as_vec());
    for (n, &v) in g.iter().enumerate() {
        let [bb, ss, f] = index_of(n, &[b, s, h * d])[..] else { unreachable!() };
        let want = xv[((bb * h + f / d) * s + ss) * d + f % d];
        if v != want {
            return Err(Failure::new(format!(
                "merge_heads: output [{bb}, {ss}, {f}] holds x{} but should hold x{} (head {}, \
                 token {ss}, feature {}).{}",
                origin(v, 4),
                origin(want, 4),
                f / d,
                f % d,
                if g == xv {
                    " Your output is x reshaped straight to (B, S, H·D): the heads were not \
                     moved back behind the tokens. Permute to (B, S, H, D) first."
                } else {
                    ""
                }
            )));
        }
    }
    // And the round trip through the library's split_heads.
    let y: T3 = dev.sample_normal_like(&(2, 5, 12));
    let back = plain(f(split_heads(traced(&y), 3)));
    let (b0, b1, b2) = *back.shape();
    close(
        "merge_heads(split_heads(y, 3))",
        &back.as_vec(),
        &[b0, b1, b2],
        &y.as_vec().iter().map(|&v| v as f64).collect::<Vec<_>>(),
        &[2, 5, 12],
        Tol { abs: 0.0, rel: 0.0 },
    )?;
    // The values are right; now the gradient must flow back to x.
    let mut got = backward_weighted(f(traced(&x)));
    let mut want = backward_weighted(lib::merge_heads(traced(&x)));
    let (g, w) = (grad_of(&mut got, &x), grad_of(&mut want, &x));
    check_gradient("merge_heads(x of shape (2, 3, 4, 2))", "x", &g, &w, &[b, h, s, d])
}
