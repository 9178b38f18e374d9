//! §4.4 Pipelined training of the tiny GPT (流水线并行训练 GPT).
//!
//! Papers: GPipe (arXiv 1811.06965) and Megatron-LM's 1F1B (arXiv 2104.04473, §2.2).
//! PyTorch: `torch.distributed.pipelining.pipeline` cuts a model into stages and
//! `ScheduleGPipe(stage, n_microbatches, loss_fn).step(x, target=y)` runs one step;
//! Megatron-LM's `forward_backward_pipelining_without_interleaving` is 1F1B.
//!
//! Stage s of p holds blocks `chunk(L, p, s)` of the GPT: the first stage also the
//! embeddings, the last also the final LayerNorm and the LM head. The activations
//! (N, C) go forward and their gradients come back through [`super::pipeline_clock`]'s
//! `execute`; each stage accumulates its weights' gradients over the m micro-batches and
//! takes its SGD step at the end (the "flush"), so that the result equals one process
//! training on the whole batch with gradient accumulation (tested to 1e-5).
//!
//! Subtle: GPT-2's LM head is the token embedding (`wte`), which lives on the first stage
//! *and* the last. Megatron keeps a copy on each and all-reduces the two gradients before
//! the step (its `_allreduce_word_embedding_grads`); without it the copies drift apart.

use super::cluster::{run, ClusterError, Traffic, DEFAULT_TIMEOUT};
use super::ddp::Batch;
use super::named_params::{for_each_param_and_grad, named_params};
use super::pipeline::Schedule;
use super::pipeline_clock::{execute, StageRun, StageWork, TICKS};
use super::ring_allreduce::chunk;
use super::train_loop::{next_token_loss, Traced};
use crate::architectures::gpt::{Block, Gpt, GptConfig, LayerNorm, Stream};
use crate::architectures::lm_masks::{additive, causal_mask};
use crate::architectures::params::{mat, Matrix};
use crate::Dev;
use dfdx::prelude::*;

/// One stage's share of the GPT, and the gradients it accumulates during a step.
pub struct GptStage {
    config: GptConfig,
    /// The index in the whole model of `blocks[0]`, for the parameters' names.
    first_block: usize,
    /// The token embedding: on the first stage (input) and the last (tied LM head).
    wte: Option<Matrix>,
    wpe: Option<Matrix>,
    blocks: Vec<Block>,
    ln_f: Option<LayerNorm>,
    is_first: bool,
    is_last: bool,
    /// This step's micro-batches, and 1/m: each micro-batch's loss is scaled by it.
    micro: Vec<Batch>,
    scale: f32,
    /// Summed gradients, one buffer per parameter in the order of `for_each_param`.
    acc: Vec<Vec<f32>>,
}

/// What a forward pass keeps for its backward: dfdx's tape, on the output.
pub enum Saved {
    /// A middle or first stage: its input (whose gradient goes back; none on the first
    /// stage) and its output (N, C), still on the tape.
    Hidden { input: Option<Stream<NoneTape>>, output: Stream<Traced> },
    /// The last stage: its input and the micro-batch's loss, on the tape.
    Loss { input: Option<Stream<NoneTape>>, loss: Tensor<(), f32, Dev, Traced> },
}

impl GptStage {
    /// Stage `stage` of `stages`: the GPT built from `seed` (the weights of the whole
    /// model, as one process would have them), keeping only this stage's parts.
    pub fn new(config: GptConfig, seed: u64, stage: usize, stages: usize) -> Self {
        let mut whole = Gpt::new(&Dev::seed_from_u64(seed), config);
        let range = chunk(config.layers, stages, stage);
        let (is_first, is_last) = (stage == 0, stage + 1 == stages);
        Self {
            config,
            first_block: range.start,
            wte: (is_first || is_last).then(|| whole.wte.clone()),
            wpe: whole.wpe.take().filter(|_| is_first),
            blocks: whole.h.drain(range).collect(),
            ln_f: is_last.then(|| whole.ln_f.clone()),
            is_first,
            is_last,
            micro: vec![],
            scale: 1.0,
            acc: vec![],
        }
    }

    /// Calls `f(name, values, gradient)` for each of this stage's parameters, with the
    /// whole model's names (`transformer.h.3.ln_1.weight`) and in its order.
    pub fn for_each_param(
        &mut self,
        grads: &mut Gradients<f32, Dev>,
        mut f: impl FnMut(&str, &mut [f32], &[f32]),
    ) {
        let mut named = |prefix: &str, name: &str, p: &mut [f32], g: &[f32]| {
            f(&format!("{prefix}{name}"), p, g)
        };
        let ok = "a stage's parameters are on the CPU";
        if let Some(w) = &mut self.wte {
            for_each_param_and_grad(w, grads, |_, p, g| named("transformer.wte.weight", "", p, g))
                .expect(ok);
        }
        if let Some(w) = &mut self.wpe {
            for_each_param_and_grad(w, grads, |_, p, g| named("transformer.wpe.weight", "", p, g))
                .expect(ok);
        }
        for (k, block) in self.blocks.iter_mut().enumerate() {
            let prefix = format!("transformer.h.{}.", self.first_block + k);
            for_each_param_and_grad(block, grads, |n, p, g| named(&prefix, n, p, g)).expect(ok);
        }
        if let Some(ln) = &mut self.ln_f {
            for_each_param_and_grad(ln, grads, |n, p, g| named("transformer.ln_f.", n, p, g))
                .expect(ok);
        }
    }

    /// Starts a step on `batch`, cut into `micro_batches` micro-batches of rows.
    pub fn begin_step(&mut self, batch: &Batch, micro_batches: usize) {
        let (x, y) = batch;
        self.micro = (0..micro_batches)
            .map(|i| {
                let rows = chunk(x.len(), micro_batches, i);
                (x[rows.clone()].to_vec(), y[rows].to_vec())
            })
            .collect();
        self.scale = 1.0 / micro_batches as f32;
        self.acc.clear();
    }

    /// Adds one micro-batch's parameter gradients into the step's sums.
    fn accumulate(&mut self, mut grads: Gradients<f32, Dev>) {
        let mut sums = std::mem::take(&mut self.acc);
        let mut k = 0;
        self.for_each_param(&mut grads, |_, _, g| {
            match sums.get_mut(k) {
                Some(sum) => sum.iter_mut().zip(g).for_each(|(s, g)| *s += g),
                None => sums.push(g.to_vec()),
            }
            k += 1;
        });
        self.acc = sums;
    }

    /// The summed gradient of the token embedding, if this stage holds it (always the
    /// first buffer: `wte` is visited first).
    pub fn wte_grad(&mut self) -> Option<&mut Vec<f32>> {
        self.wte.as_ref()?;
        self.acc.first_mut()
    }

    /// Plain SGD with the accumulated gradients: $w \leftarrow w - \eta\, g$.
    pub fn sgd_step(&mut self, lr: f32) {
        let sums = std::mem::take(&mut self.acc);
        let mut k = 0;
        self.for_each_param(&mut Gradients::leaky(), |_, p, _| {
            p.iter_mut().zip(&sums[k]).for_each(|(w, g)| *w -= lr * g);
            k += 1;
        });
    }
}

impl StageWork for GptStage {
    type Saved = Saved;

    fn forward(&mut self, micro: usize, input: Vec<f32>) -> (Vec<f32>, Saved) {
        let dev = Dev::default();
        let (x, y) = &self.micro[micro];
        let (b, t, c) = (x.len(), x[0].len(), self.config.d_model);
        let (mut h, input) = if self.is_first {
            // The embeddings, as in `Gpt::forward`: token rows plus position rows, (N, C).
            let ids = dev.tensor_from_vec(x.concat(), (b * t,));
            let wte = self.wte.as_ref().expect("the first stage holds wte");
            let tok = mat::<NoneTape>(wte).traced(Gradients::leaky()).gather(ids);
            let h = match &self.wpe {
                Some(wpe) => {
                    let pos = mat::<Traced>(wpe).slice((0..t, ..));
                    tok + pos.broadcast_like::<_, Axis<0>>(&(b, t, c)).reshape_like(&(b * t, c))
                }
                None => tok,
            };
            (h, None)
        } else {
            // The previous stage's output, as a leaf whose gradient we send back.
            let x_in = dev.tensor_from_vec(input, (b * t, c));
            (x_in.clone().traced(Gradients::leaky()), Some(x_in))
        };
        let mask = additive(&dev, &vec![causal_mask(t); b]); // (B, T, T)
        for block in &self.blocks {
            h = block.forward(h, &mask);
        }
        if !self.is_last {
            return (h.as_vec(), Saved::Hidden { input, output: h });
        }
        let h = self.ln_f.as_ref().expect("the last stage holds ln_f").forward(h);
        let head = mat::<Traced>(self.wte.as_ref().expect("the last stage holds the head"));
        let logits = h.matmul(head.permute::<_, Axes2<1, 0>>()); // (N, V)
        let logits = logits.reshape_like(&(b, t, self.config.vocab)); // (B, T, V)
                                                                      // Subtle: 1/m per micro-batch, so that the summed gradients are those of the mean
                                                                      // loss over the whole batch, as in one process (PyTorch's pipelining scales the
                                                                      // same way).
        let loss = next_token_loss(logits, &y.concat()) * self.scale;
        (vec![], Saved::Loss { input, loss })
    }

    fn backward(&mut self, _micro: usize, saved: Saved, grad_output: Vec<f32>) -> Vec<f32> {
        let (input, grads) = match saved {
            Saved::Loss { input, loss } => (input, loss.backward()),
            Saved::Hidden { input, output } => {
                // Back-propagate a given output gradient G: the gradient of sum(out ⊙ G)
                // with respect to anything is G pulled back through the stage.
                let g = output.device().tensor_from_vec(grad_output, *output.shape());
                (input, (output * g).sum().backward())
            }
        };
        let grad_input = input.map(|x| grads.get(&x).as_vec()).unwrap_or_default();
        self.accumulate(grads);
        grad_input
    }

    /// The activation on the stage's boundary, (B/m · T, C) f32. Subtle: dfdx's tape also
    /// keeps every intermediate of the stage's blocks, which this does not count; GPipe
    /// recomputes those in the backward ("re-materialisation") to keep only this.
    fn saved_bytes(&self, micro: usize) -> usize {
        let (x, _) = &self.micro[micro];
        4 * x.len() * x[0].len() * self.config.d_model
    }
}

/// The result of [`pipeline_train`].
pub struct PipelineTraining {
    /// Every parameter after training, in the whole model's `named_params` order (`wte`
    /// from the first stage).
    pub params: Vec<f32>,
    /// The largest difference between the first and last stages' copies of `wte`.
    pub tied_copies_differ_by: f32,
    /// Each stage's recorded last step, and its traffic over the whole run.
    pub stages: Vec<(StageRun, Traffic)>,
}

/// Trains the GPT built from `seed` with SGD on `batches`, on `stages` stage threads, each
/// batch cut into `micro_batches` micro-batches run in the order `schedule` gives.
// ANCHOR: pipeline_train
pub fn pipeline_train(
    config: GptConfig,
    seed: u64,
    batches: &[Batch],
    (stages, micro_batches): (usize, usize),
    schedule: Schedule,
    lr: f32,
) -> Result<PipelineTraining, ClusterError> {
    let out = run(stages, DEFAULT_TIMEOUT, |comm| {
        let (s, p) = (comm.rank(), comm.world_size());
        let mut stage = GptStage::new(config, seed, s, p);
        let ops = schedule(p, s, micro_batches);
        let mut last_run = None;
        for batch in batches {
            stage.begin_step(batch, micro_batches);
            last_run = Some(execute(comm, &ops, TICKS, &mut stage)?);
            // The flush: the tied embedding's two gradients are summed on both ends
            // (Megatron's all-reduce over the "embedding group"), then every stage steps.
            if p > 1 && (stage.is_first || stage.is_last) {
                let peer = if stage.is_first { p - 1 } else { 0 };
                let mine = stage.wte_grad().expect("wte's gradient").clone();
                comm.send(peer, &mine)?;
                let theirs = comm.recv(peer)?;
                let g = stage.wte_grad().expect("wte's gradient");
                g.iter_mut().zip(&theirs).for_each(|(a, b)| *a += b);
            }
            stage.sgd_step(lr);
        }
        let mut named = vec![];
        stage.for_each_param(&mut Gradients::leaky(), |n, p, _| {
            named.push((n.to_string(), p.to_vec()))
        });
        Ok((named, last_run.expect("at least one batch")))
    })?;
    // Put the stages' parameters back in the whole model's order.
    let order = named_params(&Gpt::new(&Dev::seed_from_u64(seed), config));
    let find = |name: &str, from_end: bool| {
        let mut hits = out.iter().flat_map(|((named, _), _)| named).filter(|(n, _)| n == name);
        let hit = if from_end { hits.next_back() } else { hits.next() };
        hit.map(|(_, v)| v.clone()).unwrap_or_else(|| panic!("no stage holds {name}"))
    };
    let params = order.iter().flat_map(|np| find(&np.name, false)).collect();
    let (a, b) = (find("transformer.wte.weight", false), find("transformer.wte.weight", true));
    let tied_copies_differ_by = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max);
    let stages = out.into_iter().map(|((_, run), traffic)| (run, traffic)).collect();
    Ok(PipelineTraining { params, tied_copies_differ_by, stages })
}
// ANCHOR_END: pipeline_train

#[cfg(test)]
mod tests;
