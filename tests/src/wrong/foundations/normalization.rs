//! §1.8: plausible wrong LayerNorm, RMSNorm and BatchNorm.

use crate::gradient::Tr;
use crate::wrong::through_vec;
use dfdx::prelude::*;
use solutions::foundations::normalization::{batch_norm_train, layer_norm, rms_norm, RunningStats};
use solutions::Dev;

type T2 = Tensor<(usize, usize), f32, Dev, Tr>;

/// Normalises x (b, d) by loops; `over_batch` picks the axis, `ddof` the variance's divisor
/// n − ddof, `centre` whether the mean is subtracted. The result is off the tape, but its
/// values are wrong first: the suite rejects them before it looks at gradients.
fn norm(
    x: T2,
    gamma: &[f32],
    beta: &[f32],
    eps: f32,
    over_batch: bool,
    ddof: f32,
    centre: bool,
) -> T2 {
    let (b, d) = *x.shape();
    let v = x.as_vec();
    let mut out = vec![0.0; b * d];
    let (groups, len) = if over_batch { (d, b) } else { (b, d) };
    let at = |g: usize, k: usize| if over_batch { k * d + g } else { g * d + k };
    for g in 0..groups {
        let mean =
            if centre { (0..len).map(|k| v[at(g, k)]).sum::<f32>() / len as f32 } else { 0.0 };
        let var = (0..len).map(|k| (v[at(g, k)] - mean).powi(2)).sum::<f32>() / (len as f32 - ddof);
        for k in 0..len {
            let n = at(g, k);
            out[n] = (v[n] - mean) / (var + eps).sqrt() * gamma[n % d] + beta[n % d];
        }
    }
    x.device().tensor_from_vec(out, (b, d)).put_tape(Tr::default())
}

/// Normalised over the batch axis.
pub fn layer_norm_over_batch(x: T2, gamma: &[f32], beta: &[f32], eps: f32) -> T2 {
    norm(x, gamma, beta, eps, true, 0.0, true)
}

/// Used the unbiased variance (divides by D − 1).
pub fn layer_norm_unbiased(x: T2, gamma: &[f32], beta: &[f32], eps: f32) -> T2 {
    norm(x, gamma, beta, eps, false, 1.0, true)
}

/// Subtracted the mean, as LayerNorm does.
pub fn rms_norm_centred(x: T2, gamma: &[f32], eps: f32) -> T2 {
    let zeros = vec![0.0; gamma.len()];
    norm(x, gamma, &zeros, eps, false, 0.0, true)
}

/// Took the mean of x² over the batch, as BatchNorm would.
pub fn rms_norm_over_batch(x: T2, gamma: &[f32], eps: f32) -> T2 {
    let zeros = vec![0.0; gamma.len()];
    norm(x, gamma, &zeros, eps, true, 0.0, false)
}

/// Added ε to the root mean square instead of under the root: x/(√mean(x²) + ε).
pub fn rms_norm_eps_outside(x: T2, gamma: &[f32], eps: f32) -> T2 {
    let (b, d) = *x.shape();
    let v = x.as_vec();
    let mut out = v.clone();
    for (row, o) in v.chunks(d).zip(out.chunks_mut(d)) {
        let rms = (row.iter().map(|a| a * a).sum::<f32>() / d as f32).sqrt();
        for (k, y) in o.iter_mut().enumerate() {
            *y = row[k] / (rms + eps) * gamma[k];
        }
    }
    x.device().tensor_from_vec(out, (b, d)).put_tape(Tr::default())
}

/// Updated the running variance with the biased batch variance.
pub fn batch_norm_biased_running_var(
    x: T2,
    gamma: &[f32],
    beta: &[f32],
    running: &mut RunningStats,
    momentum: f32,
    eps: f32,
) -> T2 {
    let (b, _) = *x.shape();
    let before = running.var.clone();
    let out = batch_norm_train(x, gamma, beta, running, momentum, eps);
    // Undo the unbiasing factor B/(B − 1) on the fresh part of the update.
    let n = b as f32;
    for (r, old) in running.var.iter_mut().zip(before) {
        let fresh = (*r - (1.0 - momentum) * old) / momentum;
        *r = (1.0 - momentum) * old + momentum * fresh * (n - 1.0) / n;
    }
    out
}

/// Momentum the other way round: r ← momentum·r + (1 − momentum)·s.
pub fn batch_norm_momentum_reversed(
    x: T2,
    gamma: &[f32],
    beta: &[f32],
    running: &mut RunningStats,
    momentum: f32,
    eps: f32,
) -> T2 {
    batch_norm_train(x, gamma, beta, running, 1.0 - momentum, eps)
}

/// The output is right, but the running statistics were taken per sample (over Axis<1>):
/// one per row of the batch instead of one per channel.
pub fn batch_norm_running_per_sample(
    x: T2,
    gamma: &[f32],
    beta: &[f32],
    running: &mut RunningStats,
    momentum: f32,
    eps: f32,
) -> T2 {
    let (_, c) = *x.shape();
    let rows: Vec<Vec<f32>> = x.as_vec().chunks(c).map(<[f32]>::to_vec).collect();
    let out = batch_norm_train(x, gamma, beta, running, momentum, eps);
    let mean = |r: &[f32]| r.iter().sum::<f32>() / c as f32;
    running.mean = rows.iter().map(|r| mean(r)).collect();
    running.var = rows
        .iter()
        .map(|r| r.iter().map(|v| (v - mean(r)).powi(2)).sum::<f32>() / c as f32)
        .collect();
    out
}

/// The right LayerNorm, copied out and back in: the values pass, the gradient is gone.
pub fn layer_norm_through_vec(x: T2, gamma: &[f32], beta: &[f32], eps: f32) -> T2 {
    through_vec(layer_norm(x, gamma, beta, eps))
}

/// The right RMSNorm, copied out and back in.
pub fn rms_norm_through_vec(x: T2, gamma: &[f32], eps: f32) -> T2 {
    through_vec(rms_norm(x, gamma, eps))
}

/// The right BatchNorm step, running statistics included, with the output copied out and
/// back in.
pub fn batch_norm_through_vec(
    x: T2,
    gamma: &[f32],
    beta: &[f32],
    running: &mut RunningStats,
    momentum: f32,
    eps: f32,
) -> T2 {
    through_vec(batch_norm_train(x, gamma, beta, running, momentum, eps))
}
