//! §4.8 Rollouts: sampling the policy and recording what PPO needs (PPO 的采样阶段).
//!
//! The first phase of each PPO iteration (TRL's `PPOTrainer.train()`, "rollout"): the policy
//! samples completions after a batch of prompts, the reward model scores them, and the
//! policy's and the frozen reference's log-probabilities of the sampled tokens and the
//! critic's values are recorded, all without a tape. The reward model here is a program:
//! (vowels − consonants) / length of the completion, the preference §4.9's DPO learns from
//! pairs. Hugging Face: TRL's `batch_generation`, `selective_log_softmax` and `get_reward`,
//! and its value model, a separate backbone with a `score` head.

use super::dpo_finetune::{CONSONANTS, VOWELS};
use super::ppo::PerToken;
use super::sample::pick;
use super::token_stream::CharVocab;
use super::train_loop::{LanguageModel, Logits, Tokens};
use crate::architectures::gpt::{Gpt, GptConfig};
use crate::architectures::params::Dyn;
use crate::nlp::perplexity::token_log_probs;
use crate::Dev;
use dfdx::prelude::*;
use rand::rngs::StdRng;
use rand::Rng;

/// The programmatic reward model: +1 per vowel, −1 per consonant, 0 for anything else
/// (spaces, capitals, punctuation), averaged over the completion, so in [−1, 1].
pub fn vowel_score(vocab: &CharVocab, completion: &[u32]) -> f32 {
    let text = vocab.decode(completion);
    let each = text.chars().map(|c| {
        f32::from(u8::from(VOWELS.contains(c))) - f32::from(u8::from(CONSONANTS.contains(c)))
    });
    each.sum::<f32>() / completion.len() as f32
}

/// Rows of ids as a `(B, T)` tensor; every row must have the same length.
pub fn tokens_of(rows: &[Vec<u32>]) -> Tokens {
    let (b, t) = (rows.len(), rows[0].len());
    let flat = rows.iter().flatten().map(|&i| i as usize).collect();
    Dev::default().tensor_from_vec(flat, (b, t))
}

/// `k` tokens after each prompt, sampled from `model` at temperature 1 (§3.5's [`pick`]),
/// all rows in one forward pass per token. Returns the completions only.
pub fn sample_completions<M: LanguageModel>(
    model: &M,
    prompts: &[Vec<u32>],
    k: usize,
    rng: &mut StdRng,
) -> Vec<Vec<u32>> {
    let p = prompts[0].len();
    let mut rows = prompts.to_vec();
    for _ in 0..k {
        let (b, t) = (rows.len(), rows[0].len());
        let logits = model.forward_logits(tokens_of(&rows)).as_vec(); // (B, T, V)
        let v = logits.len() / (b * t);
        for (i, row) in rows.iter_mut().enumerate() {
            row.push(pick(&logits[(i * t + t - 1) * v..(i * t + t) * v], 1.0, rng));
        }
    }
    rows.into_iter().map(|r| r[p..].to_vec()).collect()
}

// ANCHOR: token_log_probs
/// The log-probability of each completion token, `(B·K,)` on the logits' tape, from logits
/// `(B, P + K, V)` of prompt-plus-completion rows: position i's logits predict token i + 1,
/// so the K completion tokens are read at positions P − 1 .. P + K − 2 (§2.6's
/// `token_log_probs`; §4.9 sums the same numbers per completion).
pub fn completion_token_log_probs<T: Tape<f32, Dev>>(
    logits: Logits<T>,
    completions: &[Vec<u32>],
) -> PerToken<T> {
    let (b, t, v) = *logits.shape();
    let k = completions[0].len();
    let targets: Vec<usize> = completions.iter().flatten().map(|&i| i as usize).collect();
    let rows = logits.slice((.., t - k - 1..t - 1, ..)).reshape_like(&(b * k, v));
    token_log_probs(rows, &targets)
}
// ANCHOR_END: token_log_probs

// ANCHOR: value_model
/// The critic: a GPT of `config`'s shape whose vocabulary has one extra row, never used as
/// an input. Its logit is $h \cdot w_{V}$, a bias-free linear head on the final hidden state
/// $h$, exactly Hugging Face's `score = nn.Linear(C, 1, bias=False)` on a separate backbone
/// as TRL's value model has (the GPT's LM head is its tied embedding). The row starts at 0,
/// so every value starts at 0.
pub fn value_model(config: GptConfig, dev: &Dev) -> Gpt {
    let (v, c) = (config.vocab, config.d_model);
    let mut critic = Gpt::new(dev, GptConfig { vocab: v + 1, ..config });
    let mut w = critic.wte.as_vec();
    w[v * c..].fill(0.0);
    critic.wte = dev.tensor_from_vec(w, (Dyn(v + 1), Dyn(c)));
    critic
}

/// The critic's value of the state before each of the K completion tokens, `(B·K,)`:
/// TRL's `full_value[:, context_length - 1 : -1]`.
pub fn completion_values<T: Tape<f32, Dev>>(
    critic: &Gpt,
    tokens: Tokens<T>,
    k: usize,
) -> PerToken<T> {
    let logits = critic.forward(tokens); // (B, T, V + 1)
    let (b, t, v1) = *logits.shape();
    logits.slice((.., t - k - 1..t - 1, v1 - 1..v1)).reshape_like(&(b * k,))
}
// ANCHOR_END: value_model

/// The exact KL(π‖π_ref) of each row's completion positions, summed over them: at each
/// position the divergence between the two next-token distributions, not just the sampled
/// token's log-ratio (TRL's k1 estimate, whose mean is the same). Logits `(B, T, V)` flat.
pub fn exact_kl(
    policy: &[f32],
    reference: &[f32],
    (b, t, v): (usize, usize, usize),
    k: usize,
) -> Vec<f64> {
    let log_softmax = |z: &[f32]| -> Vec<f64> {
        let max = z.iter().fold(f32::NEG_INFINITY, |m, &x| m.max(x)) as f64;
        let lse = z.iter().map(|&x| (x as f64 - max).exp()).sum::<f64>().ln() + max;
        z.iter().map(|&x| x as f64 - lse).collect()
    };
    (0..b)
        .map(|i| {
            (t - k - 1..t - 1)
                .map(|pos| {
                    let at = (i * t + pos) * v..(i * t + pos + 1) * v;
                    let (lp, lr) = (log_softmax(&policy[at.clone()]), log_softmax(&reference[at]));
                    lp.iter().zip(&lr).map(|(a, r)| a.exp() * (a - r)).sum::<f64>()
                })
                .sum()
        })
        .collect()
}

/// `n` prompts of `len` tokens, windows of `text` starting anywhere.
pub fn prompts(text: &[u32], n: usize, len: usize, rng: &mut StdRng) -> Vec<Vec<u32>> {
    (0..n)
        .map(|_| {
            let start = rng.gen_range(0..text.len() - len);
            text[start..start + len].to_vec()
        })
        .collect()
}

/// One rollout: what the policy sampled and everything PPO records about it, flattened
/// `(B·K,)` where per token.
#[derive(Debug, Clone, PartialEq)]
pub struct Rollout {
    pub prompts: Vec<Vec<u32>>,
    pub completions: Vec<Vec<u32>>,
    pub logprobs: Vec<f32>,
    pub ref_logprobs: Vec<f32>,
    pub values: Vec<f32>,
    pub scores: Vec<f32>,
    /// Exact KL(π‖π_ref) of each completion.
    pub kl: Vec<f64>,
}

/// Samples after `prompts` and records the rollout (no tapes).
pub fn rollout(
    (policy, reference, critic): (&Gpt, &Gpt, &Gpt),
    vocab: &CharVocab,
    prompts: Vec<Vec<u32>>,
    k: usize,
    rng: &mut StdRng,
) -> Rollout {
    let completions = sample_completions(policy, &prompts, k, rng);
    let rows: Vec<Vec<u32>> =
        prompts.iter().zip(&completions).map(|(p, c)| [&p[..], c].concat()).collect();
    let tokens = tokens_of(&rows);
    let (pl, rl) = (policy.forward(tokens.clone()), reference.forward(tokens.clone()));
    let shape = *pl.shape();
    let kl = exact_kl(&pl.as_vec(), &rl.as_vec(), shape, k);
    Rollout {
        logprobs: completion_token_log_probs(pl, &completions).as_vec(),
        ref_logprobs: completion_token_log_probs(rl, &completions).as_vec(),
        values: completion_values(critic, tokens, k).as_vec(),
        scores: completions.iter().map(|c| vowel_score(vocab, c)).collect(),
        prompts,
        completions,
        kl,
    }
}

#[cfg(test)]
mod tests;
