//! §4.8: plausible wrong GAE, PPO losses and KL-penalised rewards.

use crate::gradient::Tr;
use crate::wrong::through_vec;
use dfdx::prelude::*;
use solutions::training::ppo::{gae, kl_penalized_rewards, ppo_clip_loss};
use solutions::Dev;

type P = Tensor<(usize,), f32, Dev>;
type TP = Tensor<(usize,), f32, Dev, Tr>;
type Loss = Tensor<(), f32, Dev, Tr>;

/// GAE that bootstraps the last token from its own value instead of 0.
pub fn gae_bootstrap_last(r: &[f32], v: &[f32], gamma: f32, lam: f32) -> (Vec<f32>, Vec<f32>) {
    let k = r.len();
    let (mut adv, mut last) = (vec![0.0; k], 0.0);
    for t in (0..k).rev() {
        let next = if t + 1 < k { v[t + 1] } else { v[t] };
        last = r[t] + gamma * next - v[t] + gamma * lam * last;
        adv[t] = last;
    }
    let ret = adv.iter().zip(v).map(|(a, x)| a + x).collect();
    (adv, ret)
}

/// GAE with γ and λ swapped.
pub fn gae_swapped(r: &[f32], v: &[f32], gamma: f32, lam: f32) -> (Vec<f32>, Vec<f32>) {
    gae(r, v, lam, gamma)
}

/// GAE accumulated from the first token forwards.
pub fn gae_forwards(r: &[f32], v: &[f32], gamma: f32, lam: f32) -> (Vec<f32>, Vec<f32>) {
    let k = r.len();
    let (mut adv, mut acc) = (vec![0.0; k], 0.0);
    for t in 0..k {
        let next = if t + 1 < k { v[t + 1] } else { 0.0 };
        acc = r[t] + gamma * next - v[t] + gamma * lam * acc;
        adv[t] = acc;
    }
    let ret = adv.iter().zip(v).map(|(a, x)| a + x).collect();
    (adv, ret)
}

/// The right advantages, but returns = advantages (values not added back).
pub fn gae_returns_are_advantages(r: &[f32], v: &[f32], g: f32, l: f32) -> (Vec<f32>, Vec<f32>) {
    let (adv, _) = gae(r, v, g, l);
    (adv.clone(), adv)
}

/// The min of the negated terms (the optimistic one).
pub fn clip_min(lp: TP, old: &P, a: &P, eps: f32) -> Loss {
    let ratio = (lp - old.clone()).exp();
    let clipped = ratio.with_empty_tape().clamp(1.0 - eps, 1.0 + eps);
    let minus_a = a.clone().negate();
    (ratio * minus_a.clone()).minimum(clipped * minus_a).mean()
}

/// The log-ratio used as the ratio.
pub fn clip_no_exp(lp: TP, old: &P, a: &P, eps: f32) -> Loss {
    let ratio = lp - old.clone();
    let clipped = ratio.with_empty_tape().clamp(1.0 - eps, 1.0 + eps);
    let minus_a = a.clone().negate();
    (ratio * minus_a.clone()).maximum(clipped * minus_a).mean()
}

/// The objective min(ρA, clip(ρ)A) returned unnegated.
pub fn clip_not_negated(lp: TP, old: &P, a: &P, eps: f32) -> Loss {
    ppo_clip_loss(lp, old, a, eps).negate()
}

/// The right loss, copied out and back in: no gradient reaches the policy.
pub fn clip_through_vec(lp: TP, old: &P, a: &P, eps: f32) -> Loss {
    through_vec(ppo_clip_loss(lp, old, a, eps))
}

/// The KL term with its sign flipped.
pub fn rewards_kl_sign(lp: &[f32], rl: &[f32], score: f32, beta: f32) -> Vec<f32> {
    kl_penalized_rewards(lp, rl, score, -beta)
}

/// The score added to every token.
pub fn rewards_score_everywhere(lp: &[f32], rl: &[f32], score: f32, beta: f32) -> Vec<f32> {
    let mut r = kl_penalized_rewards(lp, rl, 0.0, beta);
    r.iter_mut().for_each(|x| *x += score);
    r
}

/// The score added to the first token.
pub fn rewards_score_first(lp: &[f32], rl: &[f32], score: f32, beta: f32) -> Vec<f32> {
    let mut r = kl_penalized_rewards(lp, rl, 0.0, beta);
    r[0] += score;
    r
}
