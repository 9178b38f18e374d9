//! §4.2 Distributed data parallelism on the simulated cluster (分布式数据并行).
//!
//! Paper: Li et al. 2020, "PyTorch Distributed: Experiences on Accelerating Data Parallel
//! Training", arXiv 2006.15704, §3. PyTorch: `DistributedDataParallel(model)`, which
//! all-reduces (averages) the gradients after `loss.backward()` so that every replica
//! takes the same step. Here every worker of [`super::cluster`] builds the same GPT from
//! the same seed, takes its slice of the batch, and averages the gradients with
//! [`ring_allreduce`]; the tests check the result equals one process on the whole batch.

use super::cluster::{run, ClusterError, Traffic, DEFAULT_TIMEOUT};
use super::named_params::{for_each_grad, for_each_param_and_grad};
use super::ring_allreduce::{chunk, ring_allreduce, ReduceOp};
use super::train_loop::{next_token_loss, LanguageModel};
use crate::architectures::gpt::{Gpt, GptConfig};
use crate::Dev;
use dfdx::prelude::*;

/// One batch: input rows and target rows, (B, T) each.
pub type Batch = (Vec<Vec<usize>>, Vec<Vec<usize>>);

/// Forward and backward on `(x, y)`: the gradient of the mean loss, flattened in
/// `named_params` order.
pub fn local_gradients(
    model: &Gpt,
    grads: &mut Gradients<f32, Dev>,
    (x, y): (&[Vec<usize>], &[Vec<usize>]),
) -> Vec<f32> {
    let dev = Dev::default();
    let tokens = dev.tensor_from_vec(x.concat(), (x.len(), x[0].len())); // (B, T)
    let taken = std::mem::replace(grads, Gradients::leaky());
    let logits = model.forward_traced(tokens.traced(taken)); // (B, T, V)
    *grads = next_token_loss(logits, &y.concat()).backward();
    let mut flat = vec![];
    for_each_grad(model, grads, |_, g| flat.extend_from_slice(g)).expect("gradients");
    flat
}

/// Plain SGD with the flat gradient `flat`, then zero the gradient buffers.
pub fn sgd_step(model: &mut Gpt, grads: &mut Gradients<f32, Dev>, flat: &[f32], lr: f32) {
    let mut at = 0;
    for_each_param_and_grad(model, grads, |_, p, _| {
        p.iter_mut().zip(&flat[at..]).for_each(|(w, g)| *w -= lr * g);
        at += p.len();
    })
    .expect("update");
    assert_eq!(at, flat.len(), "the flat gradient has one value per parameter");
    model.zero_grads(grads);
}

/// Every parameter of `model`, flattened in `named_params` order.
pub fn flat_params(model: &mut Gpt) -> Vec<f32> {
    let mut grads = model.alloc_grads();
    let mut out = vec![];
    for_each_param_and_grad(model, &mut grads, |_, p, _| out.extend_from_slice(p)).expect("read");
    out
}

/// DDP with SGD: `workers` replicas of the GPT built from `seed`, each step every replica
/// takes rows `chunk(B, workers, rank)` of the batch, and the gradients are averaged by a
/// ring all-reduce. Returns every rank's final parameters and traffic.
// ANCHOR: ddp_train
pub fn ddp_train(
    config: GptConfig,
    seed: u64,
    batches: &[Batch],
    workers: usize,
    lr: f32,
) -> Result<Vec<(Vec<f32>, Traffic)>, ClusterError> {
    run(workers, DEFAULT_TIMEOUT, |comm| {
        // Same seed, same initial weights on every rank (DDP broadcasts rank 0's instead).
        let mut model = Gpt::new(&Dev::seed_from_u64(seed), config);
        let mut grads = model.alloc_grads();
        for (x, y) in batches {
            let rows = chunk(x.len(), comm.world_size(), comm.rank());
            let mut g = local_gradients(&model, &mut grads, (&x[rows.clone()], &y[rows]));
            // Subtle: the mean over ranks of per-rank means is the mean over the whole
            // batch only when every rank has as many rows; `Sum` would take an N× step.
            ring_allreduce(comm, &mut g, ReduceOp::Avg)?;
            sgd_step(&mut model, &mut grads, &g, lr);
        }
        Ok(flat_params(&mut model))
    })
}
// ANCHOR_END: ddp_train

#[cfg(test)]
mod tests;
