//! §1.2: plausible wrong variances and Jacobian norms.

use dfdx::prelude::*;
use solutions::Dev;

type T2 = Tensor<(usize, usize), f32, Dev>;

fn row_dots(q: &T2, k: &T2) -> Vec<f64> {
    (q.clone() * k.clone()).sum::<_, Axis<1>>().as_vec().into_iter().map(f64::from).collect()
}

/// Divided by N instead of N − 1.
pub fn variance_over_n(q: &T2, k: &T2) -> f64 {
    let x = row_dots(q, k);
    let mean = x.iter().sum::<f64>() / x.len() as f64;
    x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / x.len() as f64
}

/// Took the variance of the elementwise products qᵢkᵢ, never summing a row.
pub fn variance_of_products(q: &T2, k: &T2) -> f64 {
    let x: Vec<f64> = (q.clone() * k.clone()).as_vec().into_iter().map(f64::from).collect();
    let mean = x.iter().sum::<f64>() / x.len() as f64;
    x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (x.len() as f64 - 1.0)
}

fn stable_softmax(z: &[f32]) -> Vec<f64> {
    let max = z.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
    let e: Vec<f64> = z.iter().map(|&v| (v as f64 - max).exp()).collect();
    let total: f64 = e.iter().sum();
    e.iter().map(|v| v / total).collect()
}

/// Summed only the diagonal of the Jacobian.
pub fn jacobian_diagonal_only(z: &[f32]) -> f64 {
    stable_softmax(z).iter().map(|p| (p - p * p).powi(2)).sum::<f64>().sqrt()
}

/// Exponentiated the raw logits in f32, without subtracting the maximum.
pub fn jacobian_unstable(z: &[f32]) -> f64 {
    let e: Vec<f32> = z.iter().map(|v| v.exp()).collect();
    let total: f32 = e.iter().sum();
    let p: Vec<f64> = e.iter().map(|v| (v / total) as f64).collect();
    let mut sum = 0.0;
    for (i, pi) in p.iter().enumerate() {
        for (j, pj) in p.iter().enumerate() {
            sum += ((if i == j { *pi } else { 0.0 }) - pi * pj).powi(2);
        }
    }
    sum.sqrt()
}
