//! §3.4 Length extrapolation (长度外推): the same GPT with learned positions, RoPE and ALiBi,
//! trained at one context length T and evaluated at T, 2T and 4T.
//!
//! Paper: Press, Smith and Lewis, *Train Short, Test Long: Attention with Linear Biases
//! Enables Input Length Extrapolation*, ICLR 2022, arXiv 2108.12409, §2 and Figure 1, which
//! runs this comparison (sinusoidal, rotary, T5 bias, ALiBi) at 247M–1.3B parameters on
//! WikiText-103. PyTorch: their `fairseq` fork; BLOOM's `build_alibi_tensor` in Hugging Face.
//!
//! What is held equal: the corpus (the embedded English text of `cargo course train`, at
//! the character level, its first 90 % for training and the rest held out), the seed, so
//! the token embeddings and every block start from the same draws, the batches, and the
//! training loop of §3.5 (`train_step`, `evaluate`). Only the position scheme changes.
//!
//! Subtle: a learned table has no row for a position it was not given. So that the learned
//! model can be run at 4T at all, its table has 4T rows, of which training only ever reads
//! the first T: rows T..4T keep their random initialisation (shrunk a little by weight
//! decay). What it scores past T is therefore a model reading positions it never learned,
//! which is what a learned table offers past its training length, not a fix for it.

use crate::architectures::gpt::{Gpt, GptConfig, Positions};
use crate::nlp::corpus::ENGLISH;
use crate::training::adamw_groups::{AdamW, AdamWConfig};
use crate::training::data_loader::train_val_split;
use crate::training::token_stream::Tokenizer;
use crate::training::train_loop::{evaluate, train_step, training_batch, LoopConfig};
use crate::Dev;
use dfdx::prelude::*;

// ANCHOR: setup
/// The experiment's size: a tiny model and a short run, so that all three schemes train in
/// seconds (a test runs it, and CI redraws its figure).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Setup {
    /// The training context length T.
    pub context: usize,
    /// Evaluation lengths, as multiples of T.
    pub multiples: [usize; 3],
    pub d_model: usize,
    pub heads: usize,
    pub layers: usize,
    pub batch: usize,
    pub steps: usize,
    pub max_lr: f64,
    /// Held-out batches per evaluation length.
    pub eval_batches: usize,
}

/// The book's setup: T = 16 characters; width 32, 4 heads, 1 layer; 400 steps of 8
/// windows at a peak learning rate of 0.02.
pub const BOOK: Setup = Setup {
    context: 16,
    multiples: [1, 2, 4],
    d_model: 32,
    heads: 4,
    layers: 1,
    batch: 8,
    steps: 400,
    max_lr: 2e-2,
    eval_batches: 4,
};
// ANCHOR_END: setup

/// One scheme's held-out loss (nats per character) at each evaluation length.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    pub positions: Positions,
    /// (evaluation length in tokens, mean held-out loss), in the order of `multiples`.
    pub losses: Vec<(usize, f32)>,
}

impl Curve {
    /// The loss at the i-th evaluation length (`multiples[i]` × T).
    pub fn at(&self, i: usize) -> f32 {
        self.losses[i].1
    }

    /// How much the loss rose from T to the longest length: loss(4T) − loss(T).
    pub fn rise(&self) -> f32 {
        self.losses[self.losses.len() - 1].1 - self.losses[0].1
    }
}

/// The embedded English corpus at the character level: (vocabulary size, train, held out).
pub fn corpus() -> (usize, Vec<u32>, Vec<u32>) {
    let tokenizer = Tokenizer::chars(ENGLISH);
    let ids = tokenizer.encode(ENGLISH).expect("the vocabulary is built from this text");
    let (train, val) = train_val_split(&ids, 0.9);
    (tokenizer.vocab_size(), train.to_vec(), val.to_vec())
}

/// The model of `setup` with position scheme `positions`. Its `context` is the longest
/// evaluation length: for a learned table that is its number of rows (see the file's top).
pub fn config(setup: &Setup, vocab: usize, positions: Positions) -> GptConfig {
    let longest = setup.context * setup.multiples.iter().max().copied().unwrap_or(1);
    GptConfig {
        vocab,
        context: longest,
        d_model: setup.d_model,
        heads: setup.heads,
        layers: setup.layers,
        positions,
    }
}

// ANCHOR: train_and_evaluate
/// Trains one model at context T with §3.5's loop and returns its held-out loss at each
/// evaluation length. Everything but `positions` is the same for the three schemes.
pub fn train_and_evaluate(setup: &Setup, positions: Positions, seed: u64) -> Curve {
    let (vocab, train, val) = corpus();
    let mut model = Gpt::new(&Dev::seed_from_u64(seed), config(setup, vocab, positions));
    let mut opt = AdamW::new(&model, AdamWConfig::nanogpt());
    let cfg = LoopConfig {
        batch: setup.batch,
        context: setup.context, // training never sees a window longer than T
        warmup: setup.steps / 10,
        max_steps: setup.steps,
        max_lr: setup.max_lr,
        min_lr: setup.max_lr / 10.0,
        grad_clip: 1.0,
    };
    let mut grads = model.alloc_grads();
    for step in 0..setup.steps as u64 {
        let (x, y) = training_batch(&train, &cfg, seed, step);
        train_step(&mut model, &mut opt, &mut grads, (&x, &y), step, &cfg)
            .expect("a CPU training step cannot fail");
    }
    // The same held-out windows for every scheme and seed: only the model differs.
    let losses = setup
        .multiples
        .iter()
        .map(|&m| {
            let len = m * setup.context;
            (len, evaluate(&model, &val, setup.batch, len, setup.eval_batches, EVAL_SEED))
        })
        .collect();
    Curve { positions, losses }
}
// ANCHOR_END: train_and_evaluate

/// The seed of the held-out windows.
pub const EVAL_SEED: u64 = 1234;

/// The three schemes of [`Positions::ALL`], each trained and evaluated with `seed`.
pub fn length_extrapolation(setup: &Setup, seed: u64) -> Vec<Curve> {
    Positions::ALL.iter().map(|&p| train_and_evaluate(setup, p, seed)).collect()
}

#[cfg(test)]
mod tests;
