//! §6.5 Distilling chapter 3's tiny GPT into a smaller student (蒸馏小型 GPT).
//!
//! The teacher is §3.2's GPT trained on the embedded English corpus (characters, the first
//! 90 % for training) with §3.5's loop (`train_step`: AdamW with nanoGPT's groups, warm-up
//! and cosine decay, clipping). The student is the same architecture, narrower and
//! shallower. It is trained twice from the same initialisation on the same batches: once on
//! the data alone (`train_step`, the hard next-character labels), once with Hinton et
//! al.'s objective (arXiv 1503.02531): α · cross-entropy + (1 − α) · T² · KL against the
//! frozen teacher's next-character distributions at every position ([`distil_step`]). Both
//! are scored on the held-out tenth by cross-entropy against the real next character, and
//! by their KL to the teacher. Hugging Face: DistilBERT's `Distiller` (`alpha_ce`,
//! `alpha_mlm`, `temperature`), which distils the same way per token.

use super::distillation::distillation_objective;
use crate::architectures::gpt::{Gpt, GptConfig, Positions};
use crate::nlp::corpus::ENGLISH;
use crate::training::adamw_groups::{AdamW, AdamWConfig};
use crate::training::data_loader::{batch_rng, flatten_batch, get_batch, train_val_split};
use crate::training::grad_clip::clip_model_grads;
use crate::training::lr_schedule::lr_at_step;
use crate::training::token_stream::Tokenizer;
use crate::training::train_loop::{
    evaluate, train_step, training_batch, LanguageModel, LoopConfig,
};
use crate::Dev;
use dfdx::nn::ZeroGrads;
use dfdx::prelude::*;
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// The width, heads and depth of one GPT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shape {
    pub d_model: usize,
    pub heads: usize,
    pub layers: usize,
}

// ANCHOR: setup
/// The experiment's sizes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DistilSetup {
    /// Characters per training window (and per evaluation window).
    pub context: usize,
    /// Windows per step.
    pub batch: usize,
    pub teacher: Shape,
    pub teacher_steps: usize,
    pub student: Shape,
    pub student_steps: usize,
    /// Peak learning rate of both runs (warm-up a tenth of the steps, then cosine).
    pub max_lr: f64,
    /// Distillation temperature T and the hard-label weight α.
    pub temperature: f32,
    pub alpha: f32,
    /// Held-out scores every this many student steps (and at step 0).
    pub eval_every: usize,
    /// Held-out windows per score: `eval_batches` batches of `batch`.
    pub eval_batches: usize,
}
// ANCHOR_END: setup

/// The measurement the page reports (`data/bench/distillation.json`): a teacher of 2
/// blocks, 4 heads, width 64 against a student of 1 block, 2 heads, width 16, context 32.
pub const BOOK: DistilSetup = DistilSetup {
    context: 32,
    batch: 16,
    teacher: Shape { d_model: 64, heads: 4, layers: 2 },
    teacher_steps: 600,
    student: Shape { d_model: 16, heads: 2, layers: 1 },
    student_steps: 300,
    max_lr: 1e-2,
    temperature: 2.0,
    alpha: 0.5,
    eval_every: 25,
    eval_batches: 8,
};

impl DistilSetup {
    /// A run small enough for a debug-build test.
    pub fn tiny() -> Self {
        DistilSetup {
            context: 16,
            batch: 8,
            teacher: Shape { d_model: 32, heads: 2, layers: 1 },
            teacher_steps: 150,
            student: Shape { d_model: 8, heads: 1, layers: 1 },
            student_steps: 60,
            max_lr: 2e-2,
            temperature: 2.0,
            alpha: 0.5,
            eval_every: 30,
            eval_batches: 4,
        }
    }
}

/// The seed of the teacher's initialisation and batches.
pub const TEACHER_SEED: u64 = 1000;
/// The seed of the held-out windows: every score of every model reads the same ones.
pub const EVAL_SEED: u64 = 1234;

/// The corpus at the character level: (vocabulary size, training ids, held-out ids).
pub fn corpus() -> (usize, Vec<u32>, Vec<u32>) {
    let tokenizer = Tokenizer::chars(ENGLISH);
    let ids = tokenizer.encode(ENGLISH).expect("the vocabulary is built from this text");
    let (train, val) = train_val_split(&ids, 0.9);
    (tokenizer.vocab_size(), train.to_vec(), val.to_vec())
}

/// A GPT of `shape` on the corpus's vocabulary, with learned positions (GPT-2's).
pub fn config(setup: &DistilSetup, vocab: usize, shape: Shape) -> GptConfig {
    let Shape { d_model, heads, layers } = shape;
    GptConfig {
        vocab,
        context: setup.context,
        d_model,
        heads,
        layers,
        positions: Positions::Learned,
    }
}

/// §3.5's loop settings for a run of `steps` steps.
pub fn loop_config(setup: &DistilSetup, steps: usize) -> LoopConfig {
    LoopConfig {
        batch: setup.batch,
        context: setup.context,
        warmup: steps / 10,
        max_steps: steps,
        max_lr: setup.max_lr,
        min_lr: setup.max_lr / 10.0,
        grad_clip: 1.0,
    }
}

/// The teacher: §3.2's GPT of `setup.teacher`'s shape trained by §3.5's `train_step`.
pub fn train_teacher(setup: &DistilSetup, train: &[u32], vocab: usize) -> Gpt {
    let dev = Dev::seed_from_u64(TEACHER_SEED);
    let mut model = Gpt::new(&dev, config(setup, vocab, setup.teacher));
    let cfg = loop_config(setup, setup.teacher_steps);
    let mut opt = AdamW::new(&model, AdamWConfig::nanogpt());
    let mut grads = model.alloc_grads();
    for step in 0..setup.teacher_steps as u64 {
        let batch = training_batch(train, &cfg, TEACHER_SEED, step);
        train_step(&mut model, &mut opt, &mut grads, (&batch.0, &batch.1), step, &cfg)
            .expect("a CPU training step cannot fail");
    }
    model
}

// ANCHOR: distil_step
/// One distillation step, §3.5's `train_step` with another loss: the frozen teacher's
/// logits for the same windows (no tape), then α·CE + (1 − α)·T²·KL over every position.
/// Returns the loss.
#[allow(clippy::too_many_arguments)]
pub fn distil_step<S: LanguageModel, M: LanguageModel>(
    student: &mut S,
    teacher: &M,
    opt: &mut AdamW,
    grads: &mut Gradients<f32, Dev>,
    (x, y): (&[Vec<u32>], &[Vec<u32>]),
    step: u64,
    cfg: &LoopConfig,
    (temperature, alpha): (f32, f32),
) -> f32 {
    let dev = Dev::default();
    let (b, t) = (x.len(), x[0].len());
    let tokens = dev.tensor_from_vec(flatten_batch(x), (b, t)); // (B, T)
    let teacher_logits = teacher.forward_logits(tokens.clone()); // (B, T, V)
    let v = teacher_logits.shape().2;
    let teacher_rows = teacher_logits.reshape_like(&(b * t, v)); // (B·T, V)
    let taken = std::mem::replace(grads, Gradients::leaky());
    let logits = student.forward_traced(tokens.traced(taken)).reshape_like(&(b * t, v));
    // Subtle: every position is one row, so the "batchmean" is over the B·T positions.
    // PyTorch's batchmean on a (B, T, V) tensor would divide by B alone, T times larger.
    let targets = flatten_batch(y);
    let loss = distillation_objective(logits, &teacher_rows, &targets, temperature, alpha);
    let value = loss.array();
    *grads = loss.backward();
    // As in `train_step`: a threshold of 0 turns clipping off.
    let max_norm = if cfg.grad_clip > 0.0 { cfg.grad_clip } else { f32::INFINITY };
    clip_model_grads(student, grads, max_norm).expect("CPU clipping");
    let lr = lr_at_step(step as usize, cfg.warmup, cfg.max_steps, cfg.max_lr, cfg.min_lr);
    opt.update(student, grads, lr).expect("CPU update");
    student.zero_grads(grads);
    value
}
// ANCHOR_END: distil_step

/// Mean KL(teacher ‖ student) per position at T = 1 over the held-out windows of `val`.
pub fn held_out_kl<S: LanguageModel, M: LanguageModel>(
    student: &S,
    teacher: &M,
    val: &[u32],
    setup: &DistilSetup,
) -> f32 {
    let dev = Dev::default();
    let (b, t) = (setup.batch, setup.context);
    let mut total = 0.0f64;
    for k in 0..setup.eval_batches {
        let (x, _) = get_batch(val, b, t, &mut batch_rng(EVAL_SEED, k as u64));
        let tokens = dev.tensor_from_vec(flatten_batch(&x), (b, t));
        let tl = teacher.forward_logits(tokens.clone());
        let v = tl.shape().2;
        let sl = student.forward_logits(tokens).reshape_like(&(b * t, v));
        let kl = super::distillation::distillation_loss(sl, &tl.reshape_like(&(b * t, v)), 1.0);
        total += kl.array() as f64;
    }
    (total / setup.eval_batches.max(1) as f64) as f32
}

/// Held-out scores of one student along its run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Curve {
    pub steps: Vec<usize>,
    /// Cross-entropy against the real next character (nats per character).
    pub loss: Vec<f32>,
    /// KL(teacher ‖ student) per character at T = 1.
    pub kl: Vec<f32>,
}

impl Curve {
    /// The held-out loss at the end of the run.
    pub fn final_loss(&self) -> f32 {
        *self.loss.last().expect("a curve has its step-0 point")
    }
}

/// Trains one student with `seed` (its initialisation and its batches): by distillation
/// from `teacher` when `distil`, on the data alone otherwise (the teacher is then only used
/// to score the KL).
pub fn train_student(
    setup: &DistilSetup,
    (train, val): (&[u32], &[u32]),
    teacher: &Gpt,
    distil: bool,
    seed: u64,
) -> Curve {
    let vocab = teacher.config.vocab;
    let mut student = Gpt::new(&Dev::seed_from_u64(seed), config(setup, vocab, setup.student));
    let cfg = loop_config(setup, setup.student_steps);
    let mut opt = AdamW::new(&student, AdamWConfig::nanogpt());
    let mut grads = student.alloc_grads();
    let mut curve = Curve { steps: vec![], loss: vec![], kl: vec![] };
    let score = |s: &Gpt, step: usize, curve: &mut Curve| {
        let (b, t, n) = (setup.batch, setup.context, setup.eval_batches);
        curve.steps.push(step);
        curve.loss.push(evaluate(s, val, b, t, n, EVAL_SEED));
        curve.kl.push(held_out_kl(s, teacher, val, setup));
    };
    score(&student, 0, &mut curve);
    for step in 0..setup.student_steps as u64 {
        // The same batches in both runs of a seed: only the loss differs.
        let (x, y) = training_batch(train, &cfg, seed, step);
        if distil {
            let tt = (setup.temperature, setup.alpha);
            distil_step(&mut student, teacher, &mut opt, &mut grads, (&x, &y), step, &cfg, tt);
        } else {
            train_step(&mut student, &mut opt, &mut grads, (&x, &y), step, &cfg)
                .expect("a CPU training step cannot fail");
        }
        if (step as usize + 1).is_multiple_of(setup.eval_every) {
            score(&student, step as usize + 1, &mut curve);
        }
    }
    curve
}

/// Both students of one seed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedRun {
    pub seed: u64,
    pub data_only: Curve,
    pub distilled: Curve,
}

impl SeedRun {
    /// Final held-out loss of the data-only student minus the distilled one's: positive
    /// when distillation helped.
    pub fn gain(&self) -> f32 {
        self.data_only.final_loss() - self.distilled.final_loss()
    }
}

/// The whole measurement, as stored in `data/bench/distillation.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distillation {
    pub provenance: String,
    pub setup: DistilSetup,
    pub teacher_params: u64,
    pub student_params: u64,
    /// The teacher's held-out loss (nats per character).
    pub teacher_loss: f32,
    pub runs: Vec<SeedRun>,
    pub seconds: f64,
}

impl Distillation {
    /// The mean of the per-seed gains and its standard error (sample s.d. / √n).
    pub fn mean_gain(&self) -> (f64, f64) {
        let g: Vec<f64> = self.runs.iter().map(|r| r.gain() as f64).collect();
        let n = g.len() as f64;
        let mean = g.iter().sum::<f64>() / n;
        let var = g.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
        (mean, (var / n).sqrt())
    }
}

// ANCHOR: distillation_experiment
/// Trains the teacher once, then for each seed the data-only and the distilled student.
pub fn distillation_experiment(setup: &DistilSetup, seeds: &[u64]) -> Distillation {
    let start = Instant::now();
    let (vocab, train, val) = corpus();
    let teacher = train_teacher(setup, &train, vocab);
    let (b, t, n) = (setup.batch, setup.context, setup.eval_batches);
    let teacher_loss = evaluate(&teacher, &val, b, t, n, EVAL_SEED);
    let runs = seeds
        .iter()
        .map(|&seed| SeedRun {
            seed,
            data_only: train_student(setup, (&train, &val), &teacher, false, seed),
            distilled: train_student(setup, (&train, &val), &teacher, true, seed),
        })
        .collect();
    let params = |shape| {
        crate::architectures::param_count::gpt_param_count(config(setup, vocab, shape).dims())
    };
    Distillation {
        provenance: String::new(),
        setup: *setup,
        teacher_params: params(setup.teacher),
        student_params: params(setup.student),
        teacher_loss,
        runs,
        seconds: start.elapsed().as_secs_f64(),
    }
}
// ANCHOR_END: distillation_experiment

#[cfg(test)]
mod tests;
