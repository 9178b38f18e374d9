//! Graded suite for §1.2: the variance of a dot product, and the softmax Jacobian's norm.
//!
//! The references are computed here in f64 from the same inputs: a two-pass sample
//! variance of the row-wise dot products, and the Jacobian norm from the closed form
//! ‖diag(p) − ppᵀ‖²_F = Σpᵢ² − 2Σpᵢ³ + (Σpᵢ²)², a different route from the double loop a
//! learner writes. Wrong answers are matched against the known mistakes (1/N, no
//! centring, the variance of the products instead of the dot products, only the diagonal of
//! the Jacobian, an overflowing softmax) to name them.

use crate::compare::{close_scalar, Tol};
use crate::{Check, Failure};
use dfdx::prelude::*;
use solutions::Dev;

type T2 = Tensor<(usize, usize), f32, Dev>;

/// Mean and sum of squared deviations of a sample, in f64.
fn moments(x: &[f64]) -> (f64, f64) {
    let mean = x.iter().sum::<f64>() / x.len() as f64;
    (mean, x.iter().map(|v| (v - mean).powi(2)).sum())
}

/// The row-wise dot products of q and k (N, D), in f64.
fn dots(q: &T2, k: &T2) -> Vec<f64> {
    let d = q.shape().1;
    let (qv, kv) = (q.as_vec(), k.as_vec());
    qv.chunks(d)
        .zip(kv.chunks(d))
        .map(|(a, b)| a.iter().zip(b).map(|(&x, &y)| x as f64 * y as f64).sum())
        .collect()
}

/// Names the mistake behind a wrong variance, or says by how much it is off.
fn diagnose_variance(label: &str, got: f64, q: &T2, k: &T2, tol: Tol) -> Check {
    let x = dots(q, k);
    let n = x.len() as f64;
    let (_, ss) = moments(&x);
    let want = ss / (n - 1.0);
    if tol.allows(got, want) {
        return Ok(());
    }
    let products: Vec<f64> =
        q.as_vec().iter().zip(k.as_vec()).map(|(&a, b)| a as f64 * b as f64).collect();
    let (_, pss) = moments(&products);
    let m = products.len() as f64;
    let cause = if !got.is_finite() {
        format!("it is not a number at all ({got})")
    } else if tol.allows(got, ss / n) {
        format!(
            "you divided by N = {n}: the sample variance divides by N − 1 = {}, which makes it \
             an unbiased estimate",
            n - 1.0
        )
    } else if tol.allows(got, pss / (m - 1.0)) || tol.allows(got, pss / m) {
        "that is the variance of the individual products qᵢ·kᵢ (about 1 whatever d_k is). \
         Sum each row over the features first (Axis<1>): the claim is about the dot product \
         q·k, a sum of d_k such products"
            .to_string()
    } else if tol.allows(got, x.iter().map(|v| v * v).sum::<f64>() / (n - 1.0))
        || tol.allows(got, x.iter().map(|v| v * v).sum::<f64>() / n)
    {
        "the mean was not subtracted: Σ(x − mean)², not Σx²".to_string()
    } else if tol.allows(got * got, want) {
        "that is the standard deviation; return the variance (no square root)".to_string()
    } else {
        "is it the variance of the N row-wise dot products, Σ(x − mean)²/(N − 1)?".to_string()
    };
    Err(Failure::new(format!(
        "{label}: the variance is {got:.6}, expected {want:.6} (tolerance {tol}): {cause}."
    )))
}

/// Grades `dot_product_variance(q, k)`.
pub fn check_dot_product_variance<F>(f: F) -> Check
where
    F: Fn(&T2, &T2) -> f64,
{
    let dev = Dev::seed_from_u64(21);
    // The worked example: the rows' dot products are 1, 2, 3, 4 (variance 5/3), and each
    // row mixes both features, so the variance of the products differs.
    let q = dev.tensor_from_vec(vec![1., 1., 1., 1., 2., 1., 2., 2.], (4, 2));
    let k = dev.tensor_from_vec(vec![1., 0., 1., 1., 1., 1., 1., 1.], (4, 2));
    let tight = Tol { abs: 1e-9, rel: 1e-6 };
    diagnose_variance("the worked example (dot products 1, 2, 3, 4)", f(&q, &k), &q, &k, tight)?;
    // Unit-variance entries. The learner's value is held to the exact variance of these
    // very samples, to 1e-3 relative: room for f32 dot products, far below the statistical
    // spread (the estimate's relative standard error is √(2/N) ≈ 1 %), so a real mistake
    // never hides in it. How close that value is to d_k is asserted in this file's tests.
    for d_k in [16, 64] {
        let q: T2 = dev.sample_normal_like(&(20_000, d_k));
        let k: T2 = dev.sample_normal_like(&(20_000, d_k));
        let label = format!("N = 20000 rows of unit-variance entries, d_k = {d_k}");
        diagnose_variance(&label, f(&q, &k), &q, &k, Tol { abs: 0.0, rel: 1e-3 })?;
    }
    Ok(())
}

/// The softmax of `z` in f64, shifted by its maximum.
fn softmax(z: &[f32]) -> Vec<f64> {
    let max = z.iter().map(|&v| v as f64).fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = z.iter().map(|&v| (v as f64 - max).exp()).collect();
    let total: f64 = e.iter().sum();
    e.iter().map(|v| v / total).collect()
}

/// ‖diag(p) − ppᵀ‖_F from the closed form Σpᵢ² − 2Σpᵢ³ + (Σpᵢ²)².
fn reference_jacobian_norm(z: &[f32]) -> f64 {
    let p = softmax(z);
    let (s2, s3) = (p.iter().map(|v| v * v).sum::<f64>(), p.iter().map(|v| v.powi(3)).sum::<f64>());
    (s2 - 2.0 * s3 + s2 * s2).max(0.0).sqrt()
}

/// Grades `softmax_jacobian_norm(logits)`.
pub fn check_softmax_jacobian_norm<F>(f: F) -> Check
where
    F: Fn(&[f32]) -> f64,
{
    let dev = Dev::seed_from_u64(22);
    let random = (dev.sample_uniform_like(&(7,)) * 6.0 - 3.0).as_vec();
    let cases: [(&str, Vec<f32>); 4] = [
        ("the worked example, four equal logits", vec![0.0; 4]),
        ("seven random logits in (−3, 3)", random),
        ("a saturated softmax, logits (12, 0, −1)", vec![12.0, 0.0, -1.0]),
        ("large logits (1000, 999, 0, −5)", vec![1000.0, 999.0, 0.0, -5.0]),
    ];
    // The values are small (at most 1/2): 1e-6 absolute allows an f32 softmax, nothing more.
    let tol = Tol { abs: 1e-6, rel: 1e-5 };
    for (label, z) in cases {
        let got = f(&z);
        let want = reference_jacobian_norm(&z);
        if tol.allows(got, want) {
            continue;
        }
        let p = softmax(&z);
        let diag_only = p.iter().map(|v| (v - v * v).powi(2)).sum::<f64>().sqrt();
        let no_outer = p.iter().map(|v| v * v).sum::<f64>().sqrt();
        let cause = if !got.is_finite() {
            "The exp overflowed (e^1000 is ∞ in f32 and f64). Subtract the largest logit before \
             exponentiating: softmax(z) = softmax(z − max z)."
        } else if tol.allows(got, diag_only) {
            "You summed only the diagonal entries pᵢ − pᵢ². The off-diagonal entries −pᵢpⱼ \
             belong to the Jacobian too: sum over every pair (i, j)."
        } else if tol.allows(got, no_outer) {
            "That is the norm of diag(p) alone: the Jacobian is diag(p) − p·pᵀ, subtract the \
             outer product."
        } else if tol.allows(got, want * want) {
            "That is the squared norm: take the square root of the sum."
        } else {
            "Is the Jacobian ∂pᵢ/∂zⱼ = pᵢ(δᵢⱼ − pⱼ), and the norm the square root of the sum of \
             its squared entries?"
        };
        return close_scalar(&format!("{label}: the Jacobian norm"), got, want, tol)
            .map_err(|e| Failure::new(format!("{e} {cause}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The claim behind the exercise, on the suite's own seeded samples: Var(q·k) ≈ d_k,
    /// within 5 standard errors. The estimate's standard error is d_k·√(2/N)·√(1 + 3/d_k):
    /// √(2/N) for a normal sample, widened because q·k has excess kurtosis 6/d_k.
    #[test]
    fn the_suites_samples_have_variance_d_k() {
        let dev = Dev::seed_from_u64(21);
        for d_k in [16, 64] {
            let q: T2 = dev.sample_normal_like(&(20_000, d_k));
            let k: T2 = dev.sample_normal_like(&(20_000, d_k));
            let x = dots(&q, &k);
            let var = moments(&x).1 / (x.len() as f64 - 1.0);
            let se = d_k as f64 * (2.0 / 20_000.0f64).sqrt() * (1.0 + 3.0 / d_k as f64).sqrt();
            approx::assert_abs_diff_eq!(var, d_k as f64, epsilon = 5.0 * se);
        }
    }

    #[test]
    fn the_closed_form_agrees_with_the_double_loop() {
        for z in [vec![0.0f32; 4], vec![0.3, -1.2, 2.0, 0.0, 0.7], vec![5.0, 0.0]] {
            let p = softmax(&z);
            let mut sum = 0.0;
            for (i, pi) in p.iter().enumerate() {
                for (j, pj) in p.iter().enumerate() {
                    sum += ((if i == j { *pi } else { 0.0 }) - pi * pj).powi(2);
                }
            }
            approx::assert_abs_diff_eq!(reference_jacobian_norm(&z), sum.sqrt(), epsilon = 1e-12);
        }
        // The hand-worked case: uniform p = 1/4 gives √(4·(3/16)² + 12·(1/16)²) = √3/4.
        let uniform = reference_jacobian_norm(&[0.0; 4]);
        approx::assert_abs_diff_eq!(uniform, 3f64.sqrt() / 4.0, epsilon = 1e-12);
    }
}
