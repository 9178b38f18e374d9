//! Graded suite for §1.8: LayerNorm, RMSNorm and BatchNorm in training mode.
//!
//! Every reference is a loop in f64 over the (B, D) batch, with switches that reproduce the
//! known mistakes (statistics over the wrong axis, the unbiased variance where the biased
//! one belongs or the other way round, ε outside the square root, a centred RMSNorm, the
//! momentum convention reversed), so that a wrong result is named, not just reported.

use crate::compare::{all_close, check_shape, close, Tol};
use crate::gradient::{check_input_gradient, plain, traced, Tr};
use crate::{Check, Failure};
use dfdx::prelude::*;
use solutions::foundations::normalization as lib;
use solutions::Dev;

type T2 = Tensor<(usize, usize), f32, Dev>;
/// x on a gradient tape: what the graded functions are called with, so that the suite can
/// also check that the output's gradient reaches x.
type GT2 = Tensor<(usize, usize), f32, Dev, Tr>;

mod batch_norm;
pub use batch_norm::check_batch_norm_train;

/// How a reference normalisation computes its statistics.
#[derive(Clone, Copy, Default)]
struct Stats {
    /// Reduce over the batch (Axis<0>) instead of the features.
    over_batch: bool,
    /// Divide the variance by n − 1.
    unbiased: bool,
    /// (x − μ)/(σ + ε) instead of (x − μ)/√(σ² + ε).
    eps_outside: bool,
    /// Do not subtract the mean (RMSNorm).
    uncentred: bool,
}

/// Normalises x (b, d) with per-feature γ and β, following `s`.
fn reference_norm(
    x: &[f32],
    [b, d]: [usize; 2],
    gamma: &[f32],
    beta: &[f32],
    eps: f64,
    s: Stats,
) -> Vec<f64> {
    let mut out = vec![0.0; b * d];
    // A group is a row (LayerNorm) or a column (BatchNorm); `at(g, k)` is its k-th element.
    let (groups, len) = if s.over_batch { (d, b) } else { (b, d) };
    let at = |g: usize, k: usize| if s.over_batch { k * d + g } else { g * d + k };
    for g in 0..groups {
        let v: Vec<f64> = (0..len).map(|k| x[at(g, k)] as f64).collect();
        let mean = if s.uncentred { 0.0 } else { v.iter().sum::<f64>() / len as f64 };
        let ss: f64 = v.iter().map(|x| (x - mean).powi(2)).sum();
        let var = ss / if s.unbiased { len as f64 - 1.0 } else { len as f64 };
        let denom = if s.eps_outside { var.sqrt() + eps } else { (var + eps).sqrt() };
        for (k, vk) in v.iter().enumerate() {
            let n = at(g, k);
            out[n] = (vk - mean) / denom * gamma[n % d] as f64 + beta[n % d] as f64;
        }
    }
    out
}

/// One case: a label, x, γ, β and ε.
type Case = (String, T2, Vec<f32>, Vec<f32>, f32);

fn cases(seed: u64) -> Vec<Case> {
    let dev = Dev::seed_from_u64(seed);
    let worked = dev.tensor_from_vec(vec![1.0, 2.0, 3.0], (1, 3));
    let random = |b: usize, d: usize| -> T2 { dev.sample_normal_like(&(b, d)) * 2.0 + 1.0 };
    let affine = |d: usize| {
        let g: Tensor<(usize,), f32, Dev> = dev.sample_normal_like(&(d,));
        ((g.clone() * 0.5 + 1.0).as_vec(), g.as_vec())
    };
    let (g4, b4) = affine(6);
    let (g5, b5) = affine(5);
    vec![
        (
            "the worked example, the row (1, 2, 3), γ = 1, β = 0, ε = 0".into(),
            worked,
            vec![1.0; 3],
            vec![0.0; 3],
            0.0,
        ),
        ("random x (4, 6), random γ and β, ε = 1e-5".into(), random(4, 6), g4, b4, 1e-5),
        ("random x (3, 5), random γ and β, a large ε = 0.5".into(), random(3, 5), g5, b5, 0.5),
    ]
}

/// Compares with the right statistics, then with each mistake in turn.
fn grade_norm(
    label: &str,
    got: &T2,
    x: &[f32],
    affine: (&[f32], &[f32]),
    eps: f32,
    right: Stats,
    mistakes: &[(Stats, &str)],
) -> Check {
    let (b, d) = *got.shape();
    let dims = [b, d];
    let tol = Tol { abs: 1e-4, rel: 1e-4 };
    let g = got.as_vec();
    let reference = |s| reference_norm(x, dims, affine.0, affine.1, eps as f64, s);
    let want = reference(right);
    if all_close(&g, &want, tol) {
        return Ok(());
    }
    // A mistake can divide 0 by 0 (a batch of one row has no spread): NaN matches NaN.
    let same = |want: &[f64]| {
        g.len() == want.len()
            && g.iter().zip(want).all(|(&a, &w)| {
                if w.is_finite() {
                    tol.allows(a as f64, w)
                } else {
                    !a.is_finite()
                }
            })
    };
    for (s, cause) in mistakes {
        if same(&reference(*s)) {
            return Err(Failure::new(format!("{label}: {cause}")));
        }
    }
    close(label, &g, &dims, &want, &dims, tol)
}

/// Grades `layer_norm(x, gamma, beta, eps)`: the values, then dL/dx against the library's.
pub fn check_layer_norm<F>(f: F) -> Check
where
    F: Fn(GT2, &[f32], &[f32], f32) -> GT2,
{
    for (label, x, gamma, beta, eps) in cases(81) {
        let shape = *x.shape();
        let xv = x.as_vec();
        let got = plain(f(traced(&x), &gamma, &beta, eps));
        let (b, d) = *got.shape();
        check_shape(&label, &[b, d], &[shape.0, shape.1])?;
        let right = Stats::default();
        grade_norm(
            &format!("layer_norm, {label}"),
            &got,
            &xv,
            (&gamma, &beta),
            eps,
            right,
            &[
                (
                    Stats { over_batch: true, ..right },
                    "each feature was normalised over the batch (Axis<0>): that is BatchNorm. \
                     LayerNorm normalises each sample over its own features: reduce Axis<1>.",
                ),
                (
                    Stats { unbiased: true, ..right },
                    "you used the unbiased variance (dividing by D − 1). LayerNorm divides by D, \
                     the biased variance, as PyTorch does.",
                ),
                (
                    Stats { eps_outside: true, ..right },
                    "ε was added to the standard deviation. It goes inside the square root: (x − \
                     μ)/√(σ² + ε).",
                ),
            ],
        )?;
    }
    // Subtle: gradients only once every case's values are right. A mistake that happens to
    // give right values on one case (ε outside the root, with ε = 0) must be named by the
    // case that exposes it, not reported as a dropped tape.
    for (label, x, gamma, beta, eps) in cases(81) {
        check_input_gradient(
            &format!("layer_norm, {label}"),
            "x",
            &x,
            |x| f(x, &gamma, &beta, eps),
            |x| lib::layer_norm(x, &gamma, &beta, eps),
        )?;
    }
    Ok(())
}

/// Grades `rms_norm(x, gamma, eps)`: the values, then dL/dx against the library's.
pub fn check_rms_norm<F>(f: F) -> Check
where
    F: Fn(GT2, &[f32], f32) -> GT2,
{
    for (label, x, gamma, _, eps) in cases(82) {
        let shape = *x.shape();
        let xv = x.as_vec();
        let got = plain(f(traced(&x), &gamma, eps));
        let (b, d) = *got.shape();
        check_shape(&label, &[b, d], &[shape.0, shape.1])?;
        let zeros = vec![0.0; d];
        let right = Stats { uncentred: true, ..Default::default() };
        grade_norm(
            &format!("rms_norm, {label}"),
            &got,
            &xv,
            (&gamma, &zeros),
            eps,
            right,
            &[
                (
                    Stats::default(),
                    "the mean was subtracted. RMSNorm does not centre: it divides x itself by \
                     √(mean(x²) + ε).",
                ),
                (
                    Stats { eps_outside: true, ..right },
                    "ε was added to the root mean square. It goes inside the square root: \
                     x/√(mean(x²) + ε).",
                ),
                (
                    Stats { over_batch: true, ..right },
                    "the mean of x² was taken over the batch (Axis<0>). RMSNorm, like LayerNorm, \
                     works on each sample's own features: Axis<1>.",
                ),
            ],
        )?;
    }
    // Gradients after every case's values, as in `check_layer_norm`.
    for (label, x, gamma, _, eps) in cases(82) {
        check_input_gradient(
            &format!("rms_norm, {label}"),
            "x",
            &x,
            |x| f(x, &gamma, eps),
            |x| lib::rms_norm(x, &gamma, eps),
        )?;
    }
    Ok(())
}
