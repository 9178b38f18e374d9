//! §4.9 A toy preference fine-tune of the tiny GPT with DPO (DPO 偏好微调实验).
//!
//! The preference is programmatic, so that it can be measured exactly: after a prompt cut
//! from the course's English corpus, a completion made of vowels (`a e i o u`) is preferred
//! to one made of consonants. The policy starts as a copy of the reference (chapter 3's
//! GPT, freshly initialised, frozen), and DPO ([`super::dpo`]) is run on training pairs;
//! preference accuracy and reward margin are measured on held-out pairs (other prompts,
//! other completions). Hugging Face: `DPOTrainer(model, ref_model=None, ...)`, which also
//! takes the reference as a frozen copy of the starting model, on a dataset of
//! `{"prompt", "chosen", "rejected"}` rows; precomputing the reference's log-probabilities
//! once is its `precompute_ref_log_probs=True`.

use super::adamw_groups::{AdamW, AdamWConfig};
use super::dpo::{completion_log_probs, dpo_loss, dpo_stats, DpoStats, PerSeq};
use super::token_stream::CharVocab;
use super::train_loop::LanguageModel;
use crate::architectures::gpt::{Gpt, GptConfig, Positions};
use crate::nlp::corpus::ENGLISH;
use crate::Dev;
use dfdx::nn::ZeroGrads;
use dfdx::prelude::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::time::Instant;

/// One preference: a prompt and two completions of the same length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreferencePair {
    pub prompt: Vec<u32>,
    pub chosen: Vec<u32>,
    pub rejected: Vec<u32>,
}

/// The preferred character class.
pub const VOWELS: &str = "aeiou";
/// The dispreferred one.
pub const CONSONANTS: &str = "bcdfghjklmnpqrstvwxyz";

// ANCHOR: vowel_pairs
/// `n` pairs whose prompts are `prompt_len`-character windows of `text` (starting anywhere)
/// and whose completions are `completion_len` random vowels (chosen) or consonants
/// (rejected), all drawn from `rng`.
pub fn vowel_pairs(
    text: &[u32],
    vocab: &CharVocab,
    n: usize,
    (prompt_len, completion_len): (usize, usize),
    rng: &mut StdRng,
) -> Vec<PreferencePair> {
    let ids = |class: &str| vocab.encode(class).expect("the corpus has every lowercase letter");
    let (vowels, consonants) = (ids(VOWELS), ids(CONSONANTS));
    let draw = |class: &[u32], rng: &mut StdRng| -> Vec<u32> {
        (0..completion_len).map(|_| *class.choose(rng).unwrap()).collect()
    };
    (0..n)
        .map(|_| {
            let start = rng.gen_range(0..text.len() - prompt_len);
            let prompt = text[start..start + prompt_len].to_vec();
            let chosen = draw(&vowels, rng);
            let rejected = draw(&consonants, rng);
            PreferencePair { prompt, chosen, rejected }
        })
        .collect()
}
// ANCHOR_END: vowel_pairs

/// The sizes of the experiment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DpoSetup {
    pub prompt_len: usize,
    pub completion_len: usize,
    pub d_model: usize,
    pub heads: usize,
    pub layers: usize,
    pub train_pairs: usize,
    pub held_out_pairs: usize,
    /// Pairs per step.
    pub batch: usize,
    pub steps: usize,
    /// Held-out statistics every this many steps (and at step 0).
    pub eval_every: usize,
    pub beta: f32,
    pub lr: f64,
}

impl DpoSetup {
    /// A run small enough for a debug-build test: a 1-layer, 32-wide GPT, 40 steps.
    pub fn tiny() -> Self {
        DpoSetup {
            prompt_len: 8,
            completion_len: 4,
            d_model: 32,
            heads: 2,
            layers: 1,
            train_pairs: 256,
            held_out_pairs: 64,
            batch: 16,
            steps: 40,
            eval_every: 5,
            beta: 0.1,
            lr: 3e-3,
        }
    }
}

/// Held-out statistics after `step` updates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DpoPoint {
    pub step: usize,
    pub held_out: DpoStats,
}

/// A whole run: the held-out curve, and the wall time of the training steps.
#[derive(Debug, Clone, PartialEq)]
pub struct DpoRun {
    pub points: Vec<DpoPoint>,
    pub seconds: f64,
}

/// The rows of `pairs` as one batch: all chosen rows, then all rejected rows (TRL's
/// `concatenated_forward` order), with each row's prompt length.
pub fn pair_rows(pairs: &[PreferencePair]) -> (Vec<Vec<u32>>, Vec<usize>) {
    let row = |p: &PreferencePair, c: &[u32]| [p.prompt.as_slice(), c].concat();
    let chosen = pairs.iter().map(|p| row(p, &p.chosen));
    let rejected = pairs.iter().map(|p| row(p, &p.rejected));
    let rows: Vec<Vec<u32>> = chosen.chain(rejected).collect();
    let prompts = pairs.iter().chain(pairs).map(|p| p.prompt.len()).collect();
    (rows, prompts)
}

/// Summed completion log-probabilities of every pair under `model`, without a tape:
/// (chosen, rejected).
pub fn pair_log_probs<M: LanguageModel>(
    model: &M,
    pairs: &[PreferencePair],
) -> (Vec<f32>, Vec<f32>) {
    let (rows, prompts) = pair_rows(pairs);
    let (b, t) = (rows.len(), rows[0].len());
    let flat = rows.iter().flatten().map(|&i| i as usize).collect();
    let logits = model.forward_logits(Dev::default().tensor_from_vec(flat, (b, t)));
    let all = completion_log_probs(logits, &rows, &prompts).as_vec();
    let (c, r) = all.split_at(pairs.len());
    (c.to_vec(), r.to_vec())
}

// ANCHOR: dpo_step
/// One DPO step on `pairs` with reference log-probabilities `(ref_chosen, ref_rejected)`:
/// one forward pass of the policy over chosen and rejected rows together, the loss,
/// backward, AdamW. Returns the loss.
pub fn dpo_step<M: LanguageModel>(
    policy: &mut M,
    opt: &mut AdamW,
    grads: &mut Gradients<f32, Dev>,
    pairs: &[PreferencePair],
    (ref_chosen, ref_rejected): (&[f32], &[f32]),
    beta: f32,
    lr: f64,
) -> f32 {
    let dev = Dev::default();
    let (rows, prompts) = pair_rows(pairs);
    let (b, t, n) = (rows.len(), rows[0].len(), pairs.len());
    let flat = rows.iter().flatten().map(|&i| i as usize).collect();
    let tokens =
        dev.tensor_from_vec(flat, (b, t)).traced(std::mem::replace(grads, Gradients::leaky()));
    let logps = completion_log_probs(policy.forward_traced(tokens), &rows, &prompts); // (2N,)
                                                                                      // Subtle: the (2N,) tensor is read twice; the copy shares its id and starts an empty
                                                                                      // tape, which dpo_loss merges back, so both halves' gradients reach the model.
    let rejected: PerSeq<_> = logps.with_empty_tape().slice((n..2 * n,));
    let chosen = logps.slice((0..n,));
    let refs = |v: &[f32]| dev.tensor_from_vec(v.to_vec(), (n,));
    let loss = dpo_loss(chosen, rejected, &refs(ref_chosen), &refs(ref_rejected), beta);
    let value = loss.array();
    *grads = loss.backward();
    opt.update(policy, grads, lr).expect("CPU update");
    policy.zero_grads(grads);
    value
}
// ANCHOR_END: dpo_step

/// Runs the experiment with `seed`: builds the pairs, the reference and the policy, trains
/// for `setup.steps`, and measures the held-out statistics every `eval_every` steps.
pub fn dpo_finetune(setup: &DpoSetup, seed: u64) -> DpoRun {
    dpo_finetune_policy(setup, seed).0
}

/// [`dpo_finetune`], also returning the trained policy (§4.8 samples from it to compare
/// DPO with PPO).
pub fn dpo_finetune_policy(setup: &DpoSetup, seed: u64) -> (DpoRun, Gpt) {
    let vocab = CharVocab::from_text(ENGLISH);
    let ids = vocab.encode(ENGLISH).expect("the vocabulary is built from this text");
    // Prompts for training and for evaluation come from disjoint parts of the corpus.
    let (train_text, held_text) = ids.split_at(ids.len() * 9 / 10);
    let mut rng = StdRng::seed_from_u64(seed);
    let lens = (setup.prompt_len, setup.completion_len);
    let train = vowel_pairs(train_text, &vocab, setup.train_pairs, lens, &mut rng);
    let held = vowel_pairs(held_text, &vocab, setup.held_out_pairs, lens, &mut rng);
    let config = GptConfig {
        vocab: vocab.vocab_size(),
        context: setup.prompt_len + setup.completion_len,
        d_model: setup.d_model,
        heads: setup.heads,
        layers: setup.layers,
        positions: Positions::Learned,
    };
    let reference = Gpt::new(&Dev::seed_from_u64(seed), config);
    let mut policy = reference.clone();
    // The reference never changes: its log-probabilities are computed once.
    let (ref_train, ref_held) =
        (pair_log_probs(&reference, &train), pair_log_probs(&reference, &held));
    let adam = AdamWConfig { weight_decay: 0.0, ..AdamWConfig::nanogpt() };
    let mut opt = AdamW::new(&policy, adam);
    let mut grads = policy.alloc_grads();
    let beta = setup.beta as f64;
    let evaluate = |policy: &Gpt, step: usize| {
        let (c, r) = pair_log_probs(policy, &held);
        DpoPoint { step, held_out: dpo_stats(&c, &r, &ref_held.0, &ref_held.1, beta) }
    };
    let mut points = vec![evaluate(&policy, 0)];
    let mut seconds = 0.0;
    let batches = setup.train_pairs / setup.batch;
    for step in 0..setup.steps {
        let k = step % batches;
        let range = k * setup.batch..(k + 1) * setup.batch;
        let refs = (&ref_train.0[range.clone()], &ref_train.1[range.clone()]);
        let start = Instant::now();
        let pairs = &train[range];
        dpo_step(&mut policy, &mut opt, &mut grads, pairs, refs, setup.beta, setup.lr);
        seconds += start.elapsed().as_secs_f64();
        if (step + 1) % setup.eval_every == 0 {
            points.push(evaluate(&policy, step + 1));
        }
    }
    (DpoRun { points, seconds }, policy)
}

#[cfg(test)]
mod tests;
