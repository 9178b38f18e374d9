//! §1.2 Why attention divides the scores by √d_k (为什么要除以 √d_k).
//!
//! Paper: Vaswani et al. 2017, arXiv 1706.03762, §3.2.1 and its footnote 4: if the entries
//! of q and k are independent with mean 0 and variance 1, then q·k = Σᵢ qᵢkᵢ has mean 0 and
//! variance d_k. PyTorch: the `scale` argument of `F.scaled_dot_product_attention`, which
//! defaults to 1/√d_k.
//!
//! Two measurements make the argument concrete: the variance of q·k grows linearly with
//! d_k ([`dot_product_variance`]), and a softmax fed logits of growing spread saturates,
//! one weight near 1, and its Jacobian ([`softmax_jacobian_norm`]) collapses towards zero,
//! so almost no gradient reaches Q and K. Dividing by √d_k holds the spread at 1 for every
//! width ([`saturation_sweep`]).

use crate::Dev;
use dfdx::prelude::*;

/// The sample variance of the N row-wise dot products $q_n \cdot k_n$, with the unbiased
/// $1/(N-1)$ normalisation. For entries drawn from $\mathcal N(0, 1)$ it estimates $d_k$.
///
/// `q` and `k` are (N, D).
// ANCHOR: dot_product_variance
pub fn dot_product_variance<N: Dim, D: Dim>(
    q: &Tensor<(N, D), f32, Dev>,
    k: &Tensor<(N, D), f32, Dev>,
) -> f64 {
    // One dot product per row: multiply elementwise, sum over the feature axis.
    let dots: Vec<f64> =
        (q.clone() * k.clone()).sum::<_, Axis<1>>().as_vec().into_iter().map(f64::from).collect();
    let n = dots.len() as f64;
    let mean = dots.iter().sum::<f64>() / n;
    // Subtle: accumulate in f64; with N in the tens of thousands, f32 sums lose digits.
    dots.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
}
// ANCHOR_END: dot_product_variance

/// The Frobenius norm of the softmax's Jacobian at `logits`:
/// $J = \mathrm{diag}(p) - p\,p^\top$ with $p = \mathrm{softmax}(z)$, so
/// $\|J\|_F^2 = \sum_{i,j} (\delta_{ij} p_i - p_i p_j)^2$.
///
/// Spread evenly over k keys it is $\sqrt{k-1}/k$ (at most 1/2, for k = 2), and it tends to
/// 0 as one $p_i \to 1$: a saturated softmax
/// passes almost no gradient back to its logits.
// ANCHOR: softmax_jacobian_norm
pub fn softmax_jacobian_norm(logits: &[f32]) -> f64 {
    // A numerically stable softmax in f64: shift by the max before exponentiating.
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
    let e: Vec<f64> = logits.iter().map(|&z| (z as f64 - max).exp()).collect();
    let total: f64 = e.iter().sum();
    let p: Vec<f64> = e.iter().map(|x| x / total).collect();
    let mut sum = 0.0;
    for (i, pi) in p.iter().enumerate() {
        for (j, pj) in p.iter().enumerate() {
            let delta = if i == j { *pi } else { 0.0 };
            sum += (delta - pi * pj).powi(2);
        }
    }
    sum.sqrt()
}
// ANCHOR_END: softmax_jacobian_norm

/// One point of [`saturation_sweep`]: averages over the trials at one width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SaturationPoint {
    pub d_k: usize,
    /// The mean of the largest attention weight: 1/n_keys is uniform, 1 is one-hot.
    pub max_weight: f64,
    /// The mean Frobenius norm of the softmax Jacobian.
    pub jacobian_norm: f64,
}

/// For each width $d_k$, draws `trials` queries and sets of `n_keys` keys with
/// $\mathcal N(0,1)$ entries, and measures how peaked the attention weights are and how
/// much gradient the softmax passes, with the scores scaled by $1/\sqrt{d_k}$ or not.
// ANCHOR: saturation_sweep
pub fn saturation_sweep(
    dev: &Dev,
    d_ks: &[usize],
    n_keys: usize,
    trials: usize,
    scaled: bool,
) -> Vec<SaturationPoint> {
    d_ks.iter()
        .map(|&d_k| {
            let q: Tensor<(usize, usize, usize), f32, Dev> =
                dev.sample_normal_like(&(trials, 1, d_k));
            let k: Tensor<(usize, usize, usize), f32, Dev> =
                dev.sample_normal_like(&(trials, n_keys, d_k));
            let scale = if scaled { 1.0 / (d_k as f32).sqrt() } else { 1.0 };
            // (T, 1, D) x (T, D, K) -> (T, 1, K): each trial's query against its keys.
            let scores = q.matmul(k.permute::<_, Axes3<0, 2, 1>>()) * scale;
            let scores = scores.as_vec();
            let (mut max_weight, mut jacobian_norm) = (0.0, 0.0);
            for row in scores.chunks(n_keys) {
                let peak = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                let z: f64 = row.iter().map(|&s| ((s - peak) as f64).exp()).sum();
                max_weight += 1.0 / z; // the largest weight is exp(0)/z
                jacobian_norm += softmax_jacobian_norm(row);
            }
            let t = trials as f64;
            SaturationPoint { d_k, max_weight: max_weight / t, jacobian_norm: jacobian_norm / t }
        })
        .collect()
}
// ANCHOR_END: saturation_sweep

#[cfg(test)]
mod tests;
