//! §4.8 RLHF with PPO: the formulas (基于 PPO 的 RLHF：公式).
//!
//! Papers: Schulman, Wolski, Dhariwal, Radford and Klimov 2017, "Proximal Policy Optimization
//! Algorithms", arXiv 1707.06347 (the clipped surrogate, eq. 7; value clipping is from
//! OpenAI's baselines); Schulman, Moritz, Levine, Jordan and Abbeel 2015, "High-Dimensional
//! Continuous Control Using Generalized Advantage Estimation", arXiv 1506.02438 (GAE, eq.
//! 16); Ziegler et al. 2019, "Fine-Tuning Language Models from Human Preferences", arXiv
//! 1909.08593 (the per-token KL penalty in the reward), as used by InstructGPT (Ouyang et al.
//! 2022, arXiv 2203.02155).
//!
//! Hugging Face: TRL's `PPOTrainer`. TRL 1.16 no longer ships it; its last home was
//! `trl/experimental/ppo/ppo_trainer.py` (TRL 0.2x), whose conventions these functions
//! follow: a completion is one episode, the value after its last token is 0, the KL estimate
//! is k1 (`logprobs − ref_logprobs`), the score is added to the last token's reward,
//! advantages are whitened over the batch *after* `returns = advantages + values`, and the
//! losses are `max`es of negated objectives. `scripts/reference/ppo.py` restates that code
//! in PyTorch on stored inputs and `ppo/tests.rs` matches it.

use crate::Dev;
use dfdx::prelude::*;

/// One number per completion token, flattened over the batch, `(N,)`.
pub type PerToken<T = NoneTape> = Tensor<(usize,), f32, Dev, T>;

/// The per-token rewards of one completion (TRL's step 4, "compute rewards"): every token
/// is charged $-\beta(\log\pi(y_t) - \log\pi_\text{ref}(y_t))$ for moving away from the
/// reference, and the last token also receives the reward model's `score` for the whole
/// completion. `logprobs` and `ref_logprobs` are the log-probabilities of the sampled
/// tokens under the policy that sampled them and under the frozen reference, `(K,)` each.
///
/// Worked example: β = 0.1, policy log-probs (−1, −2, −0.5), reference (−1.5, −1, −0.5),
/// score 2: the log-ratios are (0.5, −1, 0), so the rewards are (−0.05, 0.1, 0 + 2) =
/// (−0.05, 0.1, 2).
// ANCHOR: kl_penalized_rewards
pub fn kl_penalized_rewards(
    logprobs: &[f32],
    ref_logprobs: &[f32],
    score: f32,
    beta: f32,
) -> Vec<f32> {
    assert_eq!(logprobs.len(), ref_logprobs.len(), "one reference log-prob per token");
    assert!(!logprobs.is_empty(), "a completion has at least one token");
    // k1: the log-ratio of the sampled token, an unbiased estimate of KL(π‖π_ref) per token.
    let mut rewards: Vec<f32> =
        logprobs.iter().zip(ref_logprobs).map(|(&lp, &r)| -beta * (lp - r)).collect();
    // Subtle: the reward model scores the whole completion, so the score is paid once, at
    // the token that ends it; GAE carries it back to the earlier tokens.
    *rewards.last_mut().unwrap() += score;
    rewards
}
// ANCHOR_END: kl_penalized_rewards

/// Generalized advantage estimation over one completion (TRL's step 6): with
/// $\delta_t = r_t + \gamma V_{t+1} - V_t$ and $V_K = 0$ after the last token (the episode
/// ends there), $A_t = \delta_t + \gamma\lambda A_{t+1}$, computed backwards from the end.
/// Returns `(advantages, returns)` with `returns = advantages + values`: the value head's
/// regression target, the λ-return. Both `(K,)`; the advantages are not yet whitened
/// ([`whiten`] does that over the whole batch).
///
/// Worked example: rewards (0, 1), values (0.5, 0.5), γ = 1, λ = 0.5: at t = 1,
/// δ = 1 + 0 − 0.5 = 0.5, A = 0.5; at t = 0, δ = 0 + 0.5 − 0.5 = 0, A = 0 + 0.5·0.5 = 0.25.
/// Advantages (0.25, 0.5), returns (0.75, 1.0).
// ANCHOR: gae
pub fn gae(rewards: &[f32], values: &[f32], gamma: f32, lam: f32) -> (Vec<f32>, Vec<f32>) {
    let k = rewards.len();
    assert_eq!(values.len(), k, "one value per token");
    let mut advantages = vec![0.0; k];
    let mut last = 0.0; // A_{t+1}; 0 past the end
    for t in (0..k).rev() {
        // Subtle: nothing follows the last token, so it bootstraps from 0, not from V_t.
        let next_value = if t + 1 < k { values[t + 1] } else { 0.0 };
        let delta = rewards[t] + gamma * next_value - values[t];
        last = delta + gamma * lam * last;
        advantages[t] = last;
    }
    let returns = advantages.iter().zip(values).map(|(a, v)| a + v).collect();
    (advantages, returns)
}
// ANCHOR_END: gae

/// TRL's `masked_whiten` over all the values (no padding): subtract the mean and divide by
/// $\sqrt{\mathrm{var} + 10^{-8}}$, where the variance has Bessel's correction
/// (`masked_var(unbiased=True)`); with `shift_mean = false` the mean is added back (TRL's
/// `whiten_rewards` uses that). Computed in f64.
pub fn whiten(values: &[f32], shift_mean: bool) -> Vec<f32> {
    let n = values.len();
    assert!(n >= 2, "whitening needs at least two values (Bessel's correction divides by n − 1)");
    let mean = values.iter().map(|&v| v as f64).sum::<f64>() / n as f64;
    let var = values.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let scale = 1.0 / (var + 1e-8).sqrt();
    let back = if shift_mean { 0.0 } else { mean };
    values.iter().map(|&v| ((v as f64 - mean) * scale + back) as f32).collect()
}

/// Rewards to advantages and returns for a batch of completions, as TRL does: [`gae`] per
/// completion, then the advantages whitened over every token of the batch. The returns are
/// not whitened: they are targets for the value head, on the reward's own scale.
pub fn advantages_and_returns(
    rewards: &[Vec<f32>],
    values: &[Vec<f32>],
    gamma: f32,
    lam: f32,
) -> (Vec<Vec<f32>>, Vec<Vec<f32>>) {
    assert_eq!(rewards.len(), values.len(), "one row of values per row of rewards");
    let (raw, returns): (Vec<Vec<f32>>, Vec<Vec<f32>>) =
        rewards.iter().zip(values).map(|(r, v)| gae(r, v, gamma, lam)).unzip();
    let flat = whiten(&raw.concat(), true);
    let advantages = raw.iter().scan(0, |at, row| {
        *at += row.len();
        Some(flat[*at - row.len()..*at].to_vec())
    });
    (advantages.collect(), returns)
}

/// PPO's clipped surrogate loss (eq. 7 of the paper, negated to be minimised), averaged
/// over the N tokens: with the ratio $\rho_t = \exp(\log\pi_\theta(y_t) -
/// \log\pi_\text{old}(y_t))$ each token costs
/// $\max(-A_t\rho_t,\ -A_t\,\mathrm{clip}(\rho_t, 1-\epsilon, 1+\epsilon))$, TRL's
/// `pg_loss`. `logprobs` carry the tape; the old log-probabilities (of the policy that
/// sampled the tokens) and the advantages are constants. All `(N,)`.
///
/// Worked example: ε = 0.2, one token with A = 2 whose probability rose from e^−1 to e^−0.5:
/// ρ = e^0.5 ≈ 1.6487, so the terms are −3.2974 and −2·1.2 = −2.4; the max is −2.4, and
/// since that term is clipped it gives no gradient. With A = −2 the terms are 3.2974 and
/// 2.4, and the loss is 3.2974, with gradient: a step that made things worse stays penalised.
// ANCHOR: ppo_clip_loss
pub fn ppo_clip_loss<T: Tape<f32, Dev>>(
    logprobs: PerToken<T>,
    old_logprobs: &PerToken,
    advantages: &PerToken,
    cliprange: f32,
) -> Tensor<(), f32, Dev, T> {
    // (N,). The ratio is used twice: the copy shares its id and starts an empty tape,
    // which `maximum` merges back, so both branches' gradients reach the policy.
    let ratio = (logprobs - old_logprobs.clone()).exp();
    let clipped = ratio.with_empty_tape().clamp(1.0 - cliprange, 1.0 + cliprange);
    let minus_a = advantages.clone().negate();
    let unclipped_loss = ratio * minus_a.clone();
    let clipped_loss = clipped * minus_a;
    // Subtle: the paper *maximises* min(ρA, clip(ρ)A); negated to a loss, the min becomes a
    // max. Taking the min of the negated terms would pick the optimistic one, unclipped.
    unclipped_loss.maximum(clipped_loss).mean()
}
// ANCHOR_END: ppo_clip_loss

/// The value head's loss with TRL's `cliprange_value`, averaged over the N tokens:
/// the prediction may move at most `cliprange_value` from the value recorded at sampling
/// time (`old_values`) before the clipped term stops rewarding it, and the loss is
/// $\tfrac12\max\big((V - R)^2,\ (\mathrm{clip}(V, V_\text{old} \pm c) - R)^2\big)$ with the
/// returns R from [`gae`] (TRL's `vf_loss`). `values` carry the tape; all `(N,)`.
// ANCHOR: value_loss
pub fn ppo_value_loss<T: Tape<f32, Dev>>(
    values: PerToken<T>,
    old_values: &PerToken,
    returns: &PerToken,
    cliprange_value: f32,
) -> Tensor<(), f32, Dev, T> {
    // clamp(V, V_old − c, V_old + c) = V_old + clamp(V − V_old, −c, c).
    let moved = values.with_empty_tape() - old_values.clone();
    let clipped = moved.clamp(-cliprange_value, cliprange_value) + old_values.clone();
    let unclipped_loss = (values - returns.clone()).square();
    let clipped_loss = (clipped - returns.clone()).square();
    unclipped_loss.maximum(clipped_loss).mean() * 0.5
}
// ANCHOR_END: value_loss

/// The share of tokens whose clipped policy term is the larger one, TRL's `pg_clipfrac`
/// (`pg_losses2 > pg_losses`), from plain values: how often the clip is active.
pub fn clip_fraction(logprobs: &[f32], old: &[f32], advantages: &[f32], cliprange: f32) -> f64 {
    let n = logprobs.len();
    let active = (0..n)
        .filter(|&i| {
            let ratio = (logprobs[i] - old[i]).exp();
            let clipped = ratio.clamp(1.0 - cliprange, 1.0 + cliprange);
            -advantages[i] * clipped > -advantages[i] * ratio
        })
        .count();
    active as f64 / n as f64
}

#[cfg(test)]
mod tests;
