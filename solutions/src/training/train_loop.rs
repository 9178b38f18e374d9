//! §3.5 One training step and an evaluation, for any language model (训练循环).
//!
//! nanoGPT's `train.py` loop body: set the learning rate from the schedule, forward, loss,
//! backward, clip the gradients' global norm, optimizer step, zero the gradients; and
//! `estimate_loss`, the mean loss over a fixed number of batches without gradients. PyTorch
//! equivalents: `loss.backward()`, `clip_grad_norm_`, `optimizer.step()`,
//! `optimizer.zero_grad()`, `torch.no_grad()`.
//!
//! Everything here is generic over [`LanguageModel`], the one thing a model must offer to be
//! trained: token ids `(B, T)` in, next-token logits `(B, T, V)` out, with and without a
//! gradient tape. The GPT of §3.2 implements it; the tests use a bigram model.

use super::adamw_groups::AdamW;
use super::data_loader::{batch_rng, flatten_batch, get_batch};
use super::data_parallel::forward_backward;
use super::grad_clip::clip_model_grads;
use super::lr_schedule::lr_at_step;
use crate::Dev;
use dfdx::nn::tensor_collection::TensorCollection;
use dfdx::nn::ZeroGrads;
use dfdx::prelude::{Gradients, NoneTape, OwnedTape, Tape, Tensor};
use dfdx::shapes::HasShape;
use dfdx::tensor::{AsArray, CpuError, TensorFromVec};
use dfdx::tensor_ops::ReshapeTo;

/// Token ids of a batch: `(B, T)`.
pub type Tokens<T = NoneTape> = Tensor<(usize, usize), usize, Dev, T>;
/// Next-token logits of a batch: `(B, T, V)`.
pub type Logits<T = NoneTape> = Tensor<(usize, usize, usize), f32, Dev, T>;
/// The tape that records a training forward pass.
pub type Traced = OwnedTape<f32, Dev>;

/// A model that training can drive: it maps token ids to next-token logits.
///
/// Two methods rather than one generic over the tape, so that an implementation needs no
/// particular trait bounds: a model whose own `forward` is generic over `T: Tape` implements
/// both by calling it.
///
/// `Sync`, so that threads can share it when a batch is split over them (`data_parallel.rs`).
pub trait LanguageModel: TensorCollection<f32, Dev> + Sync {
    /// `(B, T)` tokens → `(B, T, V)` logits, recording the backward pass on the tape that
    /// `tokens` carries (which holds the gradients, from `model.alloc_grads()`).
    fn forward_traced(&self, tokens: Tokens<Traced>) -> Logits<Traced>;
    /// The same without a tape, for evaluation and sampling.
    fn forward_logits(&self, tokens: Tokens) -> Logits;
}

/// The hyper-parameters of the loop around the optimizer (nanoGPT's names in brackets).
#[derive(Debug, Clone, Copy, PartialEq)]
// Serialisable, so that a checkpoint's config can hold it.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct LoopConfig {
    /// Rows per batch (`batch_size`).
    pub batch: usize,
    /// Tokens per row (`block_size`).
    pub context: usize,
    /// Warm-up steps (`warmup_iters`).
    pub warmup: usize,
    /// End of the cosine decay (`lr_decay_iters`, usually `max_iters`).
    pub max_steps: usize,
    /// Peak and floor of the learning rate (`learning_rate`, `min_lr`).
    pub max_lr: f64,
    pub min_lr: f64,
    /// Global-norm threshold (`grad_clip`); 0 turns clipping off, as in nanoGPT.
    pub grad_clip: f32,
}

/// What one step measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepStats {
    /// Training loss of this step's batch, before the update.
    pub loss: f32,
    /// Learning rate used.
    pub lr: f64,
    /// Gradient norm before clipping.
    pub grad_norm: f32,
}

/// Mean cross-entropy of `logits` (B, T, V) against `targets` (B·T ids, row-major), as
/// `F.cross_entropy(logits.view(-1, V), targets.view(-1))`: the mean over positions of
/// $-\ln \mathrm{softmax}(z)_{y}$.
pub fn next_token_loss<T: Tape<f32, Dev>>(
    logits: Tensor<(usize, usize, usize), f32, Dev, T>,
    targets: &[usize],
) -> Tensor<(), f32, Dev, T> {
    let (b, t, v) = *logits.shape();
    // One fused op (`kernels::cross_entropy`), tested equal to the composition
    // `log_softmax::<Axis<1>>().select(targets).mean().negate()` of the (B·T, V) logits:
    // log_softmax, not ln(softmax), so that it stays finite for tiny probabilities.
    crate::kernels::cross_entropy::cross_entropy(logits.reshape_like(&(b * t, v)), targets)
}

/// The batch of training step `step`: drawn from `(seed, step)` only, so a resumed run
/// sees the same batches (see [`batch_rng`]).
pub fn training_batch(
    train: &[u32],
    cfg: &LoopConfig,
    seed: u64,
    step: u64,
) -> (Vec<Vec<u32>>, Vec<Vec<u32>>) {
    get_batch(train, cfg.batch, cfg.context, &mut batch_rng(seed, step))
}

/// One optimizer step on batch `(x, y)` at step `step` (counted from 0): forward, loss,
/// backward, clip, learning rate from the schedule, AdamW, zero the gradients.
///
/// `grads` comes from `model.alloc_grads()` once and is reused every step (dfdx's idiom: the
/// buffers are allocated once, and only the model's own tensors keep gradients).
// ANCHOR: train_step
pub fn train_step<M: LanguageModel>(
    model: &mut M,
    opt: &mut AdamW,
    grads: &mut Gradients<f32, Dev>,
    (x, y): (&[Vec<u32>], &[Vec<u32>]),
    step: u64,
    cfg: &LoopConfig,
) -> Result<StepStats, CpuError> {
    // Forward with the tape, loss, backward: the gradients of the batch's mean loss, its rows
    // shared out over the CPU's threads (`data_parallel.rs`).
    let loss_value = forward_backward(model, grads, (x, y))?;
    // Clip before the step, as nanoGPT does. With clipping off the norm is still measured
    // (an infinite threshold never scales), since it is worth logging either way.
    let max_norm = if cfg.grad_clip > 0.0 { cfg.grad_clip } else { f32::INFINITY };
    let grad_norm = clip_model_grads(model, grads, max_norm)?;
    let lr = lr_at_step(step as usize, cfg.warmup, cfg.max_steps, cfg.max_lr, cfg.min_lr);
    opt.update(model, grads, lr)?;
    // Subtle: dfdx accumulates into the buffers, so they must be zeroed before the next
    // backward pass, like PyTorch's `optimizer.zero_grad()`.
    model.zero_grads(grads);
    Ok(StepStats { loss: loss_value, lr, grad_norm })
}
// ANCHOR_END: train_step

/// Mean loss over `iters` batches of `data` without gradients (nanoGPT's `estimate_loss`).
///
/// Subtle: the batches come from `batch_rng(seed, k)` for `k` in `0..iters` with a seed of
/// their own, so every evaluation of a run sees the same windows. Its curve then moves only
/// because the model changes, and a resumed run evaluates exactly as the uninterrupted one.
pub fn evaluate<M: LanguageModel>(
    model: &M,
    data: &[u32],
    batch: usize,
    context: usize,
    iters: usize,
    seed: u64,
) -> f32 {
    let dev = Dev::default();
    let mut total = 0.0f64;
    for k in 0..iters {
        let (x, y) = get_batch(data, batch, context, &mut batch_rng(seed, k as u64));
        let tokens = dev.tensor_from_vec(flatten_batch(&x), (batch, context));
        let loss = next_token_loss(model.forward_logits(tokens), &flatten_batch(&y));
        total += loss.array() as f64;
    }
    (total / iters.max(1) as f64) as f32
}

#[cfg(test)]
mod tests;
