//! §4.1 ZeRO on the simulated cluster (ZeRO 的模拟实现).
//!
//! Paper: Rajbhandari et al. 2019, "ZeRO: Memory Optimizations Toward Training Trillion
//! Parameter Models", arXiv 1910.02054, §5 and §7. DeepSpeed:
//! `"zero_optimization": {"stage": 1 | 2 | 3}`; PyTorch: `ZeroRedundancyOptimizer`
//! (stage 1), `FullyShardedDataParallel` (stage 3). Each rank of [`super::cluster`] keeps
//! only its shard ([`chunk`]) of whatever the stage partitions, trains the GPT of §3.2 with
//! Adam in fp32, and reports the bytes it holds, which the tests compare with
//! [`super::memory::zero_bytes_per_device_with`] for [`super::memory::FP32_ADAM`].
//!
//! One step on rank r: (stage 3: all-gather the weights) → forward and backward on its
//! slice of the batch → reduce-scatter the gradients (plain DP: all-reduce) → Adam on
//! shard r → (stages 1, 2: all-gather the updated weights).

use super::cluster::{run, ClusterError, Traffic, DEFAULT_TIMEOUT};
use super::ddp::{flat_params, local_gradients, Batch};
use super::memory::ZeroStage;
use super::named_params::for_each_param_and_grad;
use super::ring_allreduce::{all_gather, chunk, reduce_scatter, ring_allreduce, ReduceOp};
use crate::architectures::gpt::{Gpt, GptConfig};
use crate::foundations::optimizers::{adam_step, AdamConfig, AdamState};
use crate::Dev;
use dfdx::prelude::*;

/// The model state one rank keeps between steps, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub weights: usize,
    pub gradients: usize,
    /// Adam's momentum and variance.
    pub optimizer: usize,
}

impl Held {
    pub fn total(&self) -> usize {
        self.weights + self.gradients + self.optimizer
    }
}

/// One rank's outcome: the full final weights (gathered once more for the comparison),
/// what it held, and its traffic during training.
#[derive(Debug, Clone)]
pub struct ZeroRank {
    pub params: Vec<f32>,
    pub held: Held,
    pub traffic: Traffic,
}

/// Writes the flat `weights` into the model.
fn load(model: &mut Gpt, grads: &mut Gradients<f32, Dev>, weights: &[f32]) {
    let mut at = 0;
    for_each_param_and_grad(model, grads, |_, p, _| {
        p.copy_from_slice(&weights[at..at + p.len()]);
        at += p.len();
    })
    .expect("load");
}

/// Trains `workers` ranks under `stage` with Adam `adam`, as described above.
// ANCHOR: zero_train
pub fn zero_train(
    config: GptConfig,
    seed: u64,
    batches: &[Batch],
    workers: usize,
    stage: ZeroStage,
    adam: AdamConfig,
) -> Result<Vec<ZeroRank>, ClusterError> {
    let out = run(workers, DEFAULT_TIMEOUT, |comm| {
        let (r, n) = (comm.rank(), comm.world_size());
        let mut model = Gpt::new(&Dev::seed_from_u64(seed), config);
        let mut grads = model.alloc_grads();
        let full = flat_params(&mut model);
        let (phi, own) = (full.len(), chunk(full.len(), n, r));
        let split = |on: bool| if on { own.len() } else { phi };
        let (p_os, p_g, p_p) = match stage {
            ZeroStage::None => (false, false, false),
            ZeroStage::OptimizerStates => (true, false, false),
            ZeroStage::Gradients => (true, true, false),
            ZeroStage::Parameters => (true, true, true),
        };
        // The persistent state: weights, the gradient kept for the update, Adam's m and v.
        let mut weights = if p_p { full[own.clone()].to_vec() } else { full };
        let mut kept_grad = vec![0.0f32; split(p_g)];
        let mut opt = AdamState::new(split(p_os));
        for (x, y) in batches {
            if p_p {
                // Stage 3: the full weights exist only for the forward and backward pass.
                let mut gathered = vec![0.0; phi];
                gathered[own.clone()].copy_from_slice(&weights);
                all_gather(comm, &mut gathered)?;
                load(&mut model, &mut grads, &gathered);
            } else {
                load(&mut model, &mut grads, &weights);
            }
            let rows = chunk(x.len(), n, r);
            // Subtle: dfdx's full-size gradient buffer is working memory here; DeepSpeed's
            // stage 2 reduce-scatters bucket by bucket during the backward pass instead.
            let mut g = local_gradients(&model, &mut grads, (&x[rows.clone()], &y[rows]));
            model.zero_grads(&mut grads);
            if p_os {
                reduce_scatter(comm, &mut g)?;
                g[own.clone()].iter_mut().for_each(|v| *v /= n as f32);
            } else {
                ring_allreduce(comm, &mut g, ReduceOp::Avg)?;
            }
            kept_grad.copy_from_slice(if p_g { &g[own.clone()] } else { &g });
            match (p_os, p_p) {
                (false, _) => adam_step(&mut weights, &kept_grad, &mut opt, &adam),
                (true, true) => adam_step(&mut weights, &kept_grad[..], &mut opt, &adam),
                (true, false) => {
                    let shard_grad = if p_g { &kept_grad[..] } else { &kept_grad[own.clone()] };
                    adam_step(&mut weights[own.clone()], shard_grad, &mut opt, &adam);
                    all_gather(comm, &mut weights)?;
                }
            }
        }
        let held = Held {
            weights: 4 * weights.len(),
            gradients: 4 * kept_grad.len(),
            optimizer: 4 * (opt.m.len() + opt.v.len()),
        };
        let traffic = comm.traffic();
        let params = if p_p {
            let mut gathered = vec![0.0; phi];
            gathered[own].copy_from_slice(&weights);
            all_gather(comm, &mut gathered)?;
            gathered
        } else {
            weights
        };
        Ok(ZeroRank { params, held, traffic })
    })?;
    Ok(out.into_iter().map(|(rank, _)| rank).collect())
}
// ANCHOR_END: zero_train

#[cfg(test)]
mod tests;
