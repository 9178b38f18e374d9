//! §3.5 Forward and backward of one batch, its rows shared out over the CPU's threads (数据并行).
//!
//! The same idea as §4.2's DDP, inside one process: each thread runs the whole model on its
//! own slice of the batch, and the slices' gradients are summed before the optimizer step.
//! PyTorch parallelises the other way, *inside* each op (every matmul, every LayerNorm is
//! split over OpenMP's threads). For a model as small as the tiny GPT that costs a
//! fork-join per op, a few hundred per step, and every op too small to split well
//! (measured in the §3.5 page); one fork-join per step, with each thread's ops left whole,
//! costs almost nothing.
//!
//! The gradient is the batch's: with the batch's mean loss $L = \sum_s \frac{B_s}{B} L_s$
//! over slices $s$ of $B_s$ rows, each slice back-propagates its own mean loss $L_s$ scaled
//! by $B_s/B$, and the sum of the slices' gradients is $\nabla L$. Float sums in another
//! order round differently, so a run is reproducible bit for bit for a given number of
//! threads (`RAYON_NUM_THREADS`), and equal within rounding across thread counts.

use super::data_loader::flatten_batch;
use super::named_params::for_each_grad;
use super::train_loop::{next_token_loss, LanguageModel};
use crate::kernels::linear::serial;
use crate::Dev;
use dfdx::prelude::{Backward, Gradients, Trace};
use dfdx::tensor::{AsArray, CpuError, TensorFromVec};
use rayon::prelude::*;
use std::ops::Range;

/// How many slices a batch of `rows` is cut into: one per thread, at most one per row.
pub fn slices(rows: usize) -> usize {
    rayon::current_num_threads().clamp(1, rows.max(1))
}

/// Rows `0..rows` cut into `n` contiguous ranges whose lengths differ by at most one.
pub fn row_ranges(rows: usize, n: usize) -> Vec<Range<usize>> {
    (0..n).map(|i| i * rows / n..(i + 1) * rows / n).collect()
}

/// The mean next-token loss of batch `(x, y)`, and its gradient added into `grads` (which
/// holds the model's parameters, as `model.alloc_grads()` made it).
pub fn forward_backward<M: LanguageModel>(
    model: &M,
    grads: &mut Gradients<f32, Dev>,
    (x, y): (&[Vec<u32>], &[Vec<u32>]),
) -> Result<f32, CpuError> {
    crate::kernels::keep_freed_memory();
    let rows = x.len();
    let n = slices(rows);
    if n == 1 {
        let taken = std::mem::replace(grads, Gradients::leaky());
        let (loss, g) = slice_forward_backward(model, taken, (x, y), 1.0);
        *grads = g;
        return Ok(loss);
    }
    // Slice 0 accumulates into `grads` itself; the others into fresh gradients, added after.
    let mut first = Some(std::mem::replace(grads, Gradients::leaky()));
    let jobs: Vec<_> = row_ranges(rows, n)
        .into_iter()
        .map(|r| (first.take().unwrap_or_else(Gradients::leaky), r))
        .collect();
    let mut done: Vec<(f32, Gradients<f32, Dev>)> = jobs
        .into_par_iter()
        .map(|(g, r)| {
            let weight = r.len() as f32 / rows as f32;
            // Each thread's gemms stay on that thread: the threads are already all busy.
            serial(|| slice_forward_backward(model, g, (&x[r.clone()], &y[r]), weight))
        })
        .collect();
    let rest = done.split_off(1);
    let (mut loss, g) = done.pop().expect("one slice at least");
    *grads = g;
    for (l, mut g) in rest {
        loss += l;
        add_grads(model, grads, &mut g)?;
    }
    Ok(loss)
}

/// Forward, loss and backward of one slice; the loss is scaled by `weight` (the slice's
/// share of the batch's rows) on the tape, and returned scaled too. A weight of 1 changes
/// no bit of the loss or the gradients.
fn slice_forward_backward<M: LanguageModel>(
    model: &M,
    grads: Gradients<f32, Dev>,
    (x, y): (&[Vec<u32>], &[Vec<u32>]),
    weight: f32,
) -> (f32, Gradients<f32, Dev>) {
    let dev = Dev::default();
    let (b, t) = (x.len(), x[0].len());
    // Forward with the tape: the gradients travel with the input tokens.
    let tokens = dev.tensor_from_vec(flatten_batch(x), (b, t)); // (B, T)
    let logits = model.forward_traced(tokens.traced(grads)); // (B, T, V)
    let loss = next_token_loss(logits, &flatten_batch(y)) * weight;
    (loss.array(), loss.backward())
}

/// `into += from` for every trainable tensor of `model`.
fn add_grads<M: LanguageModel>(
    model: &M,
    into: &mut Gradients<f32, Dev>,
    from: &mut Gradients<f32, Dev>,
) -> Result<(), CpuError> {
    let mut parts = Vec::new();
    for_each_grad(model, from, |_, g| parts.push(g.to_vec()))?;
    let mut parts = parts.into_iter();
    for_each_grad(model, into, |_, g| {
        let part = parts.next().expect("the same model visits the same tensors");
        crate::kernels::add_into(g, &part);
    })
}

#[cfg(test)]
mod tests;
