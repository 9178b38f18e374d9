//! §4.8 PPO against DPO on the same preference (PPO 与 DPO 的对比).
//!
//! §4.9's DPO learns "vowels over consonants" from pairs; §4.8's PPO learns it from the
//! reward (vowels − consonants) / length of its own samples. Both start from the same
//! reference (the same seed and shape) and both results are measured the same way: sample
//! completions after held-out prompts (the last tenth of the corpus) and report their mean
//! reward, the exact KL to the reference, and how many distinct completions there are.
//! Hugging Face: `trl`'s `PPOTrainer` against `DPOTrainer` on one preference.

use super::dpo_finetune::{dpo_finetune_policy, DpoSetup};
use super::ppo_finetune::{ppo_finetune, PpoSetup};
use super::ppo_rollout::{exact_kl, prompts, sample_completions, tokens_of, vowel_score};
use super::token_stream::CharVocab;
use crate::architectures::gpt::Gpt;
use crate::nlp::corpus::ENGLISH;
use crate::Dev;
use dfdx::prelude::*;
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::collections::HashSet;

/// A policy's completions after held-out prompts, measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Mean [`vowel_score`] of the completions.
    pub score: f64,
    /// Mean exact KL(π‖π_ref) of a completion.
    pub kl: f64,
    /// Distinct completions among them.
    pub distinct: usize,
    pub completions: Vec<String>,
}

/// Samples one `completion_len` completion after each of `n` held-out `prompt_len`-token
/// prompts (drawn with `seed`) from `policy`, and measures them against `reference`.
pub fn evaluate(
    policy: &Gpt,
    reference: &Gpt,
    n: usize,
    (prompt_len, completion_len): (usize, usize),
    seed: u64,
) -> Evaluation {
    let vocab = CharVocab::from_text(ENGLISH);
    let ids = vocab.encode(ENGLISH).expect("the vocabulary is built from this text");
    let held_text = &ids[ids.len() * 9 / 10..];
    let mut rng = StdRng::seed_from_u64(seed);
    let asked = prompts(held_text, n, prompt_len, &mut rng);
    let completions = sample_completions(policy, &asked, completion_len, &mut rng);
    let rows: Vec<Vec<u32>> =
        asked.iter().zip(&completions).map(|(p, c)| [&p[..], c].concat()).collect();
    let (pl, rl) = (policy.forward(tokens_of(&rows)), reference.forward(tokens_of(&rows)));
    let kl = exact_kl(&pl.as_vec(), &rl.as_vec(), *pl.shape(), completion_len);
    let score: f64 = completions.iter().map(|c| vowel_score(&vocab, c) as f64).sum();
    let text: Vec<String> = completions.iter().map(|c| vocab.decode(c)).collect();
    Evaluation {
        score: score / n as f64,
        kl: kl.iter().sum::<f64>() / n as f64,
        distinct: text.iter().collect::<HashSet<_>>().len(),
        completions: text,
    }
}

/// One row of the comparison table.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub method: &'static str,
    /// Optimizer steps on the policy.
    pub steps: usize,
    /// Wall time of the training (sampling included for PPO).
    pub seconds: f64,
    pub held_out: Evaluation,
}

// ANCHOR: ppo_vs_dpo
/// The reference, PPO and DPO with `seed`, each evaluated on the same `n` held-out prompts.
pub fn ppo_vs_dpo(ppo: &PpoSetup, dpo: &DpoSetup, n: usize, seed: u64) -> Vec<Outcome> {
    let lens = (ppo.prompt_len, ppo.completion_len);
    assert_eq!(
        (lens, ppo.d_model, ppo.heads, ppo.layers),
        ((dpo.prompt_len, dpo.completion_len), dpo.d_model, dpo.heads, dpo.layers),
        "PPO and DPO must start from the same reference"
    );
    let vocab = CharVocab::from_text(ENGLISH).vocab_size();
    let reference = Gpt::new(&Dev::seed_from_u64(seed), ppo.gpt_config(vocab));
    // Evaluation draws from its own seed, so that all three see the same prompts.
    let eval = |policy: &Gpt| evaluate(policy, &reference, n, lens, seed + 7919);
    let ppo_run = ppo_finetune(ppo, seed);
    let (dpo_run, dpo_policy) = dpo_finetune_policy(dpo, seed);
    let ppo_steps = ppo.iterations * ppo.ppo.ppo_epochs * ppo.ppo.minibatches;
    vec![
        Outcome { method: "reference", steps: 0, seconds: 0.0, held_out: eval(&reference) },
        Outcome {
            method: "PPO",
            steps: ppo_steps,
            seconds: ppo_run.seconds,
            held_out: eval(&ppo_run.policy),
        },
        Outcome {
            method: "DPO",
            steps: dpo.steps,
            seconds: dpo_run.seconds,
            held_out: eval(&dpo_policy),
        },
    ]
}
// ANCHOR_END: ppo_vs_dpo

#[cfg(test)]
mod tests;
