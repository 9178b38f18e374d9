//! §1.8 BatchNorm, LayerNorm and RMSNorm (批归一化、层归一化、RMSNorm).
//!
//! Papers: Ioffe & Szegedy 2015, arXiv 1502.03167 (BatchNorm); Ba et al. 2016,
//! arXiv 1607.06450 (LayerNorm); Zhang & Sennrich 2019, arXiv 1910.07467 (RMSNorm, used by
//! Llama). PyTorch: `nn.BatchNorm1d`, `nn.LayerNorm`, `nn.RMSNorm`; dfdx: `BatchNorm1D`,
//! `LayerNorm1D` (no RMSNorm in dfdx 0.13).
//!
//! All three rescale activations to a standard size, then apply a learned per-feature
//! gain γ (and shift β). They differ in what they average over. BatchNorm averages each
//! channel over the batch, so a sample's output depends on its batch-mates, training and
//! inference differ (running statistics), and small or variable batches hurt. LayerNorm
//! averages each sample over its own features: no batch dependence, the same computation
//! at training and inference, which is why Transformers use it. RMSNorm drops the mean and
//! β and divides by the root mean square alone: cheaper, and as good in practice.

use crate::Dev;
use dfdx::prelude::*;

/// A (B, C) batch of f32 rows, the shape every function here takes. `T` is the gradient tape:
/// `NoneTape` for plain values, `OwnedTape` when the caller will call `backward()`.
pub type T2<B, C, T = NoneTape> = Tensor<(B, C), f32, Dev, T>;

/// The statistics of one batch as BatchNorm keeps them between steps.
#[derive(Debug, Clone)]
pub struct RunningStats {
    pub mean: Vec<f32>,
    pub var: Vec<f32>,
}

/// LayerNorm over the last axis of x (B, D):
/// $y = \gamma \odot \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} + \beta$, with μ and σ² the
/// mean and the biased variance of each row.
// ANCHOR: layer_norm
pub fn layer_norm<B: Dim, D: Dim, T: Tape<f32, Dev>>(
    x: T2<B, D, T>,
    gamma: &[f32],
    beta: &[f32],
    eps: f32,
) -> T2<B, D, T> {
    let shape = *x.shape();
    let dev = x.device().clone();
    // Statistics per sample: reduce over the features (Axis<1>), then broadcast back.
    // Subtle: a tape cannot be cloned; `with_empty_tape` copies the values with an empty
    // tape, and `x - mean` merges the two again, so the gradient flows through the mean too.
    let mean = x.with_empty_tape().mean::<_, Axis<1>>().broadcast_like(&shape);
    let centered = x - mean;
    let var = centered.with_empty_tape().square().mean::<_, Axis<1>>().broadcast_like(&shape);
    let normed = centered / (var + eps).sqrt();
    affine(normed, gamma, beta, &dev)
}
// ANCHOR_END: layer_norm

/// RMSNorm over the last axis: $y = \gamma \odot x / \sqrt{\mathrm{mean}(x^2) + \epsilon}$.
/// No centring and no β.
// ANCHOR: rms_norm
pub fn rms_norm<B: Dim, D: Dim, T: Tape<f32, Dev>>(
    x: T2<B, D, T>,
    gamma: &[f32],
    eps: f32,
) -> T2<B, D, T> {
    let shape = *x.shape();
    let dev = x.device().clone();
    let ms = x.with_empty_tape().square().mean::<_, Axis<1>>().broadcast_like(&shape);
    let zeros = vec![0.0; gamma.len()];
    affine(x / (ms + eps).sqrt(), gamma, &zeros, &dev)
}
// ANCHOR_END: rms_norm

/// BatchNorm in training mode on x (B, C): normalise each channel with the batch's own
/// mean and biased variance, and update the running statistics with
/// $r \leftarrow (1 - m)\,r + m\,s$, where the variance fed in is the *unbiased* one,
/// $\sigma^2 \cdot B/(B-1)$, as PyTorch and dfdx do. The output is on x's tape; the running
/// statistics are plain numbers, off it.
// ANCHOR: batch_norm_train
pub fn batch_norm_train<B: Dim, C: Dim, T: Tape<f32, Dev>>(
    x: T2<B, C, T>,
    gamma: &[f32],
    beta: &[f32],
    running: &mut RunningStats,
    momentum: f32,
    eps: f32,
) -> T2<B, C, T> {
    let shape = *x.shape();
    let n = shape.0.size() as f32;
    let dev = x.device().clone();
    // Statistics per channel: reduce over the batch (Axis<0>).
    let mean = x.with_empty_tape().mean::<_, Axis<0>>();
    let mean_v = mean.as_vec();
    let centered = x - mean.broadcast_like(&shape);
    let var = centered.with_empty_tape().square().mean::<_, Axis<0>>();
    let var_v = var.as_vec();
    // Subtle: the running statistics are buffers, not parameters. They are updated as plain
    // Vec<f32> numbers read off the tensors (`as_vec`), off the tape, as PyTorch updates
    // them under no_grad: no gradient flows into them, only into the batch's own output.
    for c in 0..mean_v.len() {
        running.mean[c] = (1.0 - momentum) * running.mean[c] + momentum * mean_v[c];
        // Subtle: normalise with the biased variance, but remember the unbiased one.
        running.var[c] = (1.0 - momentum) * running.var[c] + momentum * var_v[c] * n / (n - 1.0);
    }
    let normed = centered / (var + eps).sqrt().broadcast_like(&shape);
    affine(normed, gamma, beta, &dev)
}
// ANCHOR_END: batch_norm_train

/// BatchNorm in evaluation mode: the running statistics replace the batch's, so each
/// sample is normalised on its own and the output no longer depends on the batch.
// ANCHOR: batch_norm_eval
pub fn batch_norm_eval<B: Dim, C: Dim, T: Tape<f32, Dev>>(
    x: T2<B, C, T>,
    gamma: &[f32],
    beta: &[f32],
    running: &RunningStats,
    eps: f32,
) -> T2<B, C, T> {
    let shape = *x.shape();
    let dev = x.device().clone();
    let c = shape.1;
    let mean = dev.tensor_from_vec(running.mean.clone(), (c,)).broadcast_like(&shape);
    let std = (dev.tensor_from_vec(running.var.clone(), (c,)) + eps).sqrt().broadcast_like(&shape);
    affine((x - mean) / std, gamma, beta, &dev)
}
// ANCHOR_END: batch_norm_eval

/// $\gamma \odot x + \beta$ with per-feature γ and β broadcast over the batch. γ and β are
/// constants here (off the tape); x's gradient flows through.
pub fn affine<B: Dim, D: Dim, T: Tape<f32, Dev>>(
    x: T2<B, D, T>,
    gamma: &[f32],
    beta: &[f32],
    dev: &Dev,
) -> T2<B, D, T> {
    let shape = *x.shape();
    let g = dev.tensor_from_vec(gamma.to_vec(), (shape.1,)).broadcast_like(&shape);
    let b = dev.tensor_from_vec(beta.to_vec(), (shape.1,)).broadcast_like(&shape);
    x * g + b
}

/// Learnable parameters of BatchNorm over C channels: γ and β, one each per channel.
// ANCHOR: param_counts
pub fn batch_norm_params(channels: usize) -> usize {
    2 * channels
}

/// Everything BatchNorm stores: γ, β and the running mean and variance (PyTorch adds a
/// single `num_batches_tracked` counter on top).
pub fn batch_norm_state(channels: usize) -> usize {
    4 * channels
}

/// Learnable parameters of LayerNorm over a normalised shape: γ and β per element of it,
/// e.g. 2·D over the features, or 2·C·H·W over a whole C×H×W feature map.
pub fn layer_norm_params(normalized_shape: &[usize]) -> usize {
    2 * normalized_shape.iter().product::<usize>()
}
// ANCHOR_END: param_counts

#[cfg(test)]
mod tests;
