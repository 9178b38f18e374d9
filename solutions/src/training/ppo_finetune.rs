//! §4.8 The PPO loop on the tiny GPT (PPO 微调实验).
//!
//! The four models of RLHF, shrunk to fit a test: the **policy** (actor), chapter 3's GPT,
//! starts as a copy of the frozen **reference**; the **critic** is a second GPT with a value
//! head ([`value_model`]); the **reward model** is [`super::ppo_rollout::vowel_score`]. The
//! reference is built as §4.9's is (same seed, same shape), so that the two methods start
//! from the same model.
//!
//! Each iteration is the body of TRL's `PPOTrainer.train()`: a [`rollout`], then
//! [`Learner::update`]: rewards ([`super::ppo::kl_penalized_rewards`]), advantages and
//! returns ([`super::ppo::advantages_and_returns`]), and `ppo_epochs` passes of minibatch
//! updates of the clipped policy loss and the clipped value loss. Hugging Face:
//! `PPOTrainer(args, processing_class, model, ref_model, reward_model, train_dataset,
//! value_model)` with `PPOConfig`, whose field names [`PpoConfig`] keeps.

use super::adamw_groups::{AdamW, AdamWConfig};
use super::dpo_finetune::{CONSONANTS, VOWELS};
use super::ppo::{advantages_and_returns, kl_penalized_rewards, ppo_clip_loss, ppo_value_loss};
use super::ppo::{clip_fraction, PerToken};
use super::ppo_rollout::{completion_token_log_probs, completion_values, prompts, rollout};
use super::ppo_rollout::{tokens_of, value_model, Rollout};
use super::token_stream::CharVocab;
use crate::architectures::gpt::{Gpt, GptConfig, Positions};
use crate::nlp::corpus::ENGLISH;
use crate::Dev;
use dfdx::nn::ZeroGrads;
use dfdx::prelude::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use std::time::Instant;

/// The hyper-parameters (TRL's `PPOConfig` names).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PpoConfig {
    /// `kl_coef`: β of the per-token KL penalty; 0 turns it off.
    pub kl_coef: f32,
    pub cliprange: f32,
    pub cliprange_value: f32,
    pub vf_coef: f32,
    pub gamma: f32,
    pub lam: f32,
    /// `num_ppo_epochs`: passes over each rollout.
    pub ppo_epochs: usize,
    /// `num_mini_batches`: updates per pass.
    pub minibatches: usize,
    pub lr: f64,
}

/// What one optimisation phase measured (TRL's `policy/clipfrac_avg`, `loss/...`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UpdateStats {
    pub policy_loss: f64,
    pub value_loss: f64,
    pub clip_fraction: f64,
}

/// The two trained models with their optimizers and gradient buffers.
pub struct Learner {
    pub policy: Gpt,
    pub critic: Gpt,
    pub policy_opt: AdamW,
    pub critic_opt: AdamW,
    policy_grads: Gradients<f32, Dev>,
    critic_grads: Gradients<f32, Dev>,
}

impl Learner {
    /// AdamW without weight decay (§3.5's, nanoGPT's β's) for both models.
    pub fn new(policy: Gpt, critic: Gpt) -> Self {
        let cfg = AdamWConfig { weight_decay: 0.0, ..AdamWConfig::nanogpt() };
        Learner {
            policy_opt: AdamW::new(&policy, cfg),
            critic_opt: AdamW::new(&critic, cfg),
            policy_grads: policy.alloc_grads(),
            critic_grads: critic.alloc_grads(),
            policy,
            critic,
        }
    }

    // ANCHOR: ppo_update
    /// TRL's optimisation phase on one rollout: rewards, GAE, whitened advantages, then
    /// `ppo_epochs` shuffled passes of `minibatches` updates each.
    pub fn update(&mut self, r: &Rollout, cfg: &PpoConfig, rng: &mut StdRng) -> UpdateStats {
        let (b, k) = (r.completions.len(), r.completions[0].len());
        let rows = |v: &[f32]| -> Vec<Vec<f32>> { v.chunks(k).map(<[f32]>::to_vec).collect() };
        let rewards: Vec<Vec<f32>> = (0..b)
            .map(|i| {
                let at = i * k..(i + 1) * k;
                kl_penalized_rewards(
                    &r.logprobs[at.clone()],
                    &r.ref_logprobs[at],
                    r.scores[i],
                    cfg.kl_coef,
                )
            })
            .collect();
        let (adv, ret) = advantages_and_returns(&rewards, &rows(&r.values), cfg.gamma, cfg.lam);
        let (adv, ret) = (adv.concat(), ret.concat());
        let mut stats = UpdateStats { policy_loss: 0.0, value_loss: 0.0, clip_fraction: 0.0 };
        let mut order: Vec<usize> = (0..b).collect();
        let size = b / cfg.minibatches;
        for _ in 0..cfg.ppo_epochs {
            order.shuffle(rng);
            for mb in order.chunks(size) {
                let pick = |v: &[f32]| -> PerToken {
                    let x: Vec<f32> =
                        mb.iter().flat_map(|&i| v[i * k..(i + 1) * k].to_vec()).collect();
                    Dev::default().tensor_from_vec(x, (mb.len() * k,))
                };
                let batch: Vec<Vec<u32>> =
                    mb.iter().map(|&i| [&r.prompts[i][..], &r.completions[i]].concat()).collect();
                let completions: Vec<Vec<u32>> =
                    mb.iter().map(|&i| r.completions[i].clone()).collect();
                let (old, a) = (pick(&r.logprobs), pick(&adv));
                // The policy: the clipped surrogate on the minibatch's tokens.
                let taken = std::mem::replace(&mut self.policy_grads, Gradients::leaky());
                let logits = self.policy.forward(tokens_of(&batch).traced(taken));
                let logprobs = completion_token_log_probs(logits, &completions);
                let now = logprobs.retaped::<NoneTape>().as_vec();
                stats.clip_fraction +=
                    clip_fraction(&now, &old.as_vec(), &a.as_vec(), cfg.cliprange);
                let loss = ppo_clip_loss(logprobs, &old, &a, cfg.cliprange);
                stats.policy_loss += loss.array() as f64;
                self.policy_grads = loss.backward();
                self.policy_opt
                    .update(&mut self.policy, &mut self.policy_grads, cfg.lr)
                    .expect("CPU");
                self.policy.zero_grads(&mut self.policy_grads);
                // The critic: the clipped value loss against the returns.
                let taken = std::mem::replace(&mut self.critic_grads, Gradients::leaky());
                let values = completion_values(&self.critic, tokens_of(&batch).traced(taken), k);
                let loss =
                    ppo_value_loss(values, &pick(&r.values), &pick(&ret), cfg.cliprange_value);
                stats.value_loss += loss.array() as f64;
                self.critic_grads = (loss * cfg.vf_coef).backward();
                self.critic_opt
                    .update(&mut self.critic, &mut self.critic_grads, cfg.lr)
                    .expect("CPU");
                self.critic.zero_grads(&mut self.critic_grads);
            }
        }
        let n = (cfg.ppo_epochs * order.chunks(size).len()) as f64;
        UpdateStats {
            policy_loss: stats.policy_loss / n,
            value_loss: stats.value_loss / n,
            clip_fraction: stats.clip_fraction / n,
        }
    }
    // ANCHOR_END: ppo_update
}

/// The sizes of the experiment, and the PPO hyper-parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PpoSetup {
    pub prompt_len: usize,
    pub completion_len: usize,
    pub d_model: usize,
    pub heads: usize,
    pub layers: usize,
    /// Completions sampled per iteration (TRL's `batch_size`).
    pub batch: usize,
    pub iterations: usize,
    pub ppo: PpoConfig,
}

impl PpoSetup {
    /// A run small enough for a debug-build test, on §4.9's model shape (`DpoSetup::tiny`):
    /// a 1-layer, 32-wide GPT, 8-character prompts, 4-character completions, 15 iterations
    /// of 32 samples; TRL's defaults for the clip ranges, γ, λ, `vf_coef`, the 4 PPO epochs
    /// and one minibatch; β = 0.1 (TRL's default 0.05 would allow a KL three times larger,
    /// see [`kl_regularized_optimum`]).
    pub fn tiny() -> Self {
        PpoSetup {
            prompt_len: 8,
            completion_len: 4,
            d_model: 32,
            heads: 2,
            layers: 1,
            batch: 32,
            iterations: 15,
            ppo: PpoConfig {
                kl_coef: 0.1,
                cliprange: 0.2,
                cliprange_value: 0.2,
                vf_coef: 0.1,
                gamma: 1.0,
                lam: 0.95,
                ppo_epochs: 4,
                minibatches: 1,
                lr: 3e-3,
            },
        }
    }

    /// The same run with the KL penalty off (`kl_coef = 0`).
    pub fn without_kl(self) -> Self {
        PpoSetup { ppo: PpoConfig { kl_coef: 0.0, ..self.ppo }, ..self }
    }

    /// The GPT's shape: §4.9's, on the corpus's character vocabulary of `vocab` entries.
    pub fn gpt_config(&self, vocab: usize) -> GptConfig {
        GptConfig {
            vocab,
            context: self.prompt_len + self.completion_len,
            d_model: self.d_model,
            heads: self.heads,
            layers: self.layers,
            positions: Positions::Learned,
        }
    }
}

// ANCHOR: optimum
/// Where the KL-penalised objective $\mathbb E[s] - \beta\,\mathrm{KL}(\pi\|\pi_\text{ref})$
/// has its maximum, for a reference that is uniform over the `vocab` (as a freshly
/// initialised GPT nearly is): $\pi^*(y) \propto \pi_\text{ref}(y)\,e^{s(y)/\beta}$, the
/// optimum §4.9's DPO starts from. The score is a sum over the K tokens of ±1/K, so the
/// optimum tilts each token independently: $p(c) \propto e^{c/(K\beta)}$ for a character
/// worth c ∈ {+1, −1, 0}. Returns (mean score, KL of a completion in nats) at the optimum.
pub fn kl_regularized_optimum(vocab: &CharVocab, beta: f64, k: usize) -> (f64, f64) {
    let worth: Vec<f64> = vocab
        .chars()
        .iter()
        .map(|&c| {
            f64::from(u8::from(VOWELS.contains(c))) - f64::from(u8::from(CONSONANTS.contains(c)))
        })
        .collect();
    let weights: Vec<f64> = worth.iter().map(|c| (c / (k as f64 * beta)).exp()).collect();
    let z: f64 = weights.iter().sum();
    let v = worth.len() as f64;
    let score = worth.iter().zip(&weights).map(|(c, w)| c * w / z).sum();
    let kl_per_token: f64 = weights.iter().map(|w| w / z * (w / z * v).ln()).sum();
    (score, k as f64 * kl_per_token)
}
// ANCHOR_END: optimum

/// What one iteration's rollout measured (TRL's `objective/scores` and `objective/kl`),
/// before that iteration's updates, and what the updates then measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PpoPoint {
    pub iteration: usize,
    /// Mean score of the sampled completions.
    pub score: f64,
    /// Mean exact KL(π‖π_ref) of a completion, summed over its tokens.
    pub kl: f64,
    /// Mean k1 estimate Σ_t (log π − log π_ref) of the sampled tokens (TRL's `objective/kl`).
    pub kl_k1: f64,
    pub update: UpdateStats,
}

/// A whole run: one point per iteration, the wall time, the last rollout's completions as
/// text, and the trained policy.
#[derive(Debug, Clone)]
pub struct PpoRun {
    pub points: Vec<PpoPoint>,
    pub seconds: f64,
    pub samples: Vec<String>,
    pub policy: Gpt,
}

// ANCHOR: ppo_finetune
/// Runs the experiment with `seed`: the reference (§4.9's), the policy as its copy, a fresh
/// critic, then `setup.iterations` of rollout and update on prompts from the first nine
/// tenths of the English corpus.
pub fn ppo_finetune(setup: &PpoSetup, seed: u64) -> PpoRun {
    let vocab = CharVocab::from_text(ENGLISH);
    let ids = vocab.encode(ENGLISH).expect("the vocabulary is built from this text");
    let train_text = &ids[..ids.len() * 9 / 10];
    let config = setup.gpt_config(vocab.vocab_size());
    let reference = Gpt::new(&Dev::seed_from_u64(seed), config);
    let critic = value_model(config, &Dev::seed_from_u64(seed + 1));
    let mut learner = Learner::new(reference.clone(), critic);
    let mut rng = StdRng::seed_from_u64(seed);
    let (mut points, mut seconds, mut samples) = (vec![], 0.0, vec![]);
    for iteration in 0..setup.iterations {
        let start = Instant::now();
        let asked = prompts(train_text, setup.batch, setup.prompt_len, &mut rng);
        let models = (&learner.policy, &reference, &learner.critic);
        let r = rollout(models, &vocab, asked, setup.completion_len, &mut rng);
        let update = learner.update(&r, &setup.ppo, &mut rng);
        seconds += start.elapsed().as_secs_f64();
        let n = r.scores.len() as f64;
        let k1: f32 = r.logprobs.iter().zip(&r.ref_logprobs).map(|(a, b)| a - b).sum();
        points.push(PpoPoint {
            iteration,
            score: r.scores.iter().map(|&s| s as f64).sum::<f64>() / n,
            kl: r.kl.iter().sum::<f64>() / n,
            kl_k1: k1 as f64 / n,
            update,
        });
        samples = r.completions.iter().map(|c| vocab.decode(c)).collect();
    }
    PpoRun { points, seconds, samples, policy: learner.policy }
}
// ANCHOR_END: ppo_finetune

#[cfg(test)]
mod tests;
