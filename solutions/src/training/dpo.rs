//! §4.9 DPO: direct preference optimization (直接偏好优化).
//!
//! Paper: Rafailov, Sharma, Mitchell, Ermon, Manning and Finn 2023, "Direct Preference
//! Optimization: Your Language Model is Secretly a Reward Model", arXiv 2305.18290: the
//! loss is eq. 7, its gradient §4 ("What does the DPO update do?"). For a prompt $x$ with a
//! preferred completion $y_w$ and a dispreferred one $y_l$, a trained policy $\pi_\theta$
//! and a frozen reference $\pi_\text{ref}$ (the model before this fine-tune),
//!
//! $$\mathcal L = -\log\sigma\Big(\beta\big[(\log\pi_\theta(y_w|x) - \log\pi_\text{ref}(y_w|x))
//!   - (\log\pi_\theta(y_l|x) - \log\pi_\text{ref}(y_l|x))\big]\Big),$$
//!
//! where $\log\pi(y|x)$ is the *sum* of the completion's token log-probabilities. The
//! implicit reward of a completion is $\hat r = \beta(\log\pi_\theta - \log\pi_\text{ref})$.
//!
//! Hugging Face: `trl.DPOTrainer` with `loss_type="sigmoid"` (TRL's default), which logs
//! `rewards/chosen`, `rewards/rejected`, `rewards/accuracies` and `rewards/margins` as
//! [`DpoStats`] does; `scripts/reference/dpo.py` runs TRL 1.16's own loss code on stored
//! inputs and `dpo/tests.rs` matches it.

use crate::Dev;
use dfdx::prelude::*;

/// One number per sequence or per pair, `(B,)`.
pub type PerSeq<T = NoneTape> = Tensor<(usize,), f32, Dev, T>;

/// The summed log-probability of each row's completion: logits `(B, T, V)` of the rows
/// `tokens` (B rows of T ids), where the first `prompt_lens[b]` tokens of row `b` are its
/// prompt. Returns `(B,)`, on the logits' tape.
///
/// Position `i`'s logits predict token `i + 1`, so row `b` sums
/// $\ln \mathrm{softmax}(z_{b,i})[\text{tokens}_{b,i+1}]$ over `i + 1 >= prompt_lens[b]`:
/// the prompt is given, not generated, so its tokens are masked out, as TRL does (its
/// `completion_mask`, labels −100 on the prompt).
///
/// Worked example: V = 2, one row `[0, 1, 1]` with a prompt of 2 tokens and all-zero
/// logits: only token 2 counts, ln ½ ≈ −0.693 (with no prompt mask it would be 2 ln ½).
// ANCHOR: completion_log_probs
pub fn completion_log_probs<T: Tape<f32, Dev>>(
    logits: Tensor<(usize, usize, usize), f32, Dev, T>,
    tokens: &[Vec<u32>],
    prompt_lens: &[usize],
) -> PerSeq<T> {
    let (b, t, v) = *logits.shape();
    assert!(
        tokens.len() == b && prompt_lens.len() == b,
        "{b} rows of logits, but {} token rows and {} prompt lengths",
        tokens.len(),
        prompt_lens.len()
    );
    assert!(t >= 2, "a row needs a prompt token and a completion token, got T = {t}");
    let dev = logits.device().clone();
    // Targets: each row shifted left by one, (B·(T−1),).
    let targets: Vec<usize> = tokens
        .iter()
        .flat_map(|row| {
            assert_eq!(row.len(), t, "every row must have the logits' length T = {t}");
            row[1..].iter().map(|&id| id as usize)
        })
        .collect();
    // 1 where the target token is part of the completion, 0 on the prompt.
    let mask: Vec<f32> = prompt_lens
        .iter()
        .flat_map(|&p| {
            assert!((1..t).contains(&p), "a prompt of {p} tokens in rows of {t}");
            (1..t).map(move |j| if j >= p { 1.0 } else { 0.0 })
        })
        .collect();
    let n = b * (t - 1);
    let logp = logits.slice((.., 0..t - 1, ..)).reshape_like(&(n, v)).log_softmax::<Axis<1>>();
    let picked = logp.select(dev.tensor_from_vec(targets, (n,))); // (B·(T−1),)
    let masked = picked * dev.tensor_from_vec(mask, (n,));
    masked.reshape_like(&(b, t - 1)).sum::<_, Axis<1>>() // (B,)
}
// ANCHOR_END: completion_log_probs

/// $\mathrm{softplus}(-x) = -\log\sigma(x)$ for each element of `x`, computed as
/// $\mathrm{logsumexp}(0, -x)$.
///
/// Subtle: `x.sigmoid().ln()` underflows to −∞ below x ≈ −88 (f32), and the textbook
/// stable form `relu(−x) + ln(1 + e^{−|x|})` has a kink at 0 where dfdx's `abs` and `relu`
/// give derivative 0, so its gradient at x = 0 (the first DPO step, policy = reference)
/// would be 0 instead of −½. A log-sum-exp over the pair (0, −x) is stable and smooth.
pub fn neg_log_sigmoid<T: Tape<f32, Dev>>(x: PerSeq<T>) -> PerSeq<T> {
    let b = x.shape().0;
    let dev = x.device().clone();
    let columns: Vec<f32> = (0..b).flat_map(|_| [0.0, -1.0]).collect();
    let pair = x.broadcast_like::<_, Axis<1>>(&(b, 2)) * dev.tensor_from_vec(columns, (b, 2));
    pair.logsumexp::<_, Axis<1>>() // (B,)
}

/// The DPO loss (TRL's `loss_type="sigmoid"`), averaged over the B pairs: each pair costs
/// $-\log\sigma\big(\beta[(\log\pi_w - \log\pi_{\text{ref},w}) - (\log\pi_l -
/// \log\pi_{\text{ref},l})]\big)$. The policy's summed completion log-probabilities carry the
/// tape; the reference's are constants (the reference is frozen).
///
/// Worked example: when the policy is the reference both log-ratios are 0, so every pair
/// costs −log σ(0) = ln 2 ≈ 0.693, whatever β. With β = 0.1, policy (−1, −3) against
/// reference (−2, −2) for (chosen, rejected): the argument is 0.1·(1 − (−1)) = 0.2 and
/// the loss −log σ(0.2) ≈ 0.598.
// ANCHOR: dpo_loss
pub fn dpo_loss<T: Tape<f32, Dev>>(
    policy_chosen: PerSeq<T>,
    policy_rejected: PerSeq<T>,
    ref_chosen: &PerSeq,
    ref_rejected: &PerSeq,
    beta: f32,
) -> Tensor<(), f32, Dev, T> {
    // log π_θ − log π_ref for each completion: β times these are the implicit rewards.
    let chosen_ratio = policy_chosen - ref_chosen.clone();
    let rejected_ratio = policy_rejected - ref_rejected.clone();
    // Subtle: β multiplies the difference inside the sigmoid; it sets how far the policy
    // may move from the reference, not the size of the loss.
    neg_log_sigmoid((chosen_ratio - rejected_ratio) * beta).mean()
}
// ANCHOR_END: dpo_loss

/// Conservative DPO (Mitchell 2023): with probability `label_smoothing` (ε) a label is
/// assumed flipped, so a pair costs (1 − ε)·(−log σ(βδ)) + ε·(−log σ(−βδ)). TRL's sigmoid
/// loss took ε before TRL 1.0; TRL 1.16 keeps the formula as `loss_type="aot"`, which on
/// a single pair is exactly this. ε = 0 is [`dpo_loss`].
pub fn conservative_dpo_loss<T: Tape<f32, Dev>>(
    policy_chosen: PerSeq<T>,
    policy_rejected: PerSeq<T>,
    ref_chosen: &PerSeq,
    ref_rejected: &PerSeq,
    beta: f32,
    label_smoothing: f32,
) -> Tensor<(), f32, Dev, T> {
    let delta = (policy_chosen - ref_chosen.clone()) - (policy_rejected - ref_rejected.clone());
    let scaled = delta * beta;
    // The argument is used twice: the copy shares its id, and its tape is merged back.
    let flipped = scaled.with_empty_tape().negate();
    let agree = neg_log_sigmoid(scaled) * (1.0 - label_smoothing);
    let disagree = neg_log_sigmoid(flipped) * label_smoothing;
    (agree + disagree).mean()
}

/// What TRL logs at each step, from plain values (no tape): the mean loss, the mean
/// implicit rewards $\hat r = \beta(\log\pi - \log\pi_\text{ref})$ of the chosen and the
/// rejected completions, the preference accuracy (the share of pairs with
/// $\hat r_w > \hat r_l$, strictly, so ties count as wrong) and the mean reward margin
/// $\hat r_w - \hat r_l$.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DpoStats {
    pub loss: f64,
    pub chosen_reward: f64,
    pub rejected_reward: f64,
    pub accuracy: f64,
    pub margin: f64,
}

/// [`DpoStats`] of B pairs, in f64.
pub fn dpo_stats(
    policy_chosen: &[f32],
    policy_rejected: &[f32],
    ref_chosen: &[f32],
    ref_rejected: &[f32],
    beta: f64,
) -> DpoStats {
    let b = policy_chosen.len();
    assert!(
        [policy_rejected.len(), ref_chosen.len(), ref_rejected.len()].iter().all(|&n| n == b),
        "the four log-probability vectors must have one value per pair"
    );
    let reward = |p: f32, r: f32| beta * (p as f64 - r as f64);
    let (mut s, n) = (
        DpoStats {
            loss: 0.0,
            chosen_reward: 0.0,
            rejected_reward: 0.0,
            accuracy: 0.0,
            margin: 0.0,
        },
        b as f64,
    );
    for i in 0..b {
        let (w, l) =
            (reward(policy_chosen[i], ref_chosen[i]), reward(policy_rejected[i], ref_rejected[i]));
        // −log σ(x) = ln(1 + e^{−x}), written to stay finite for large |x|.
        let x = w - l;
        s.loss += (-x).max(0.0) + (-x.abs()).exp().ln_1p();
        s.chosen_reward += w;
        s.rejected_reward += l;
        s.accuracy += f64::from(u8::from(w > l));
        s.margin += x;
    }
    DpoStats {
        loss: s.loss / n,
        chosen_reward: s.chosen_reward / n,
        rejected_reward: s.rejected_reward / n,
        accuracy: s.accuracy / n,
        margin: s.margin / n,
    }
}

/// The weight DPO's gradient puts on each pair, $\sigma(\hat r_l - \hat r_w)$: the paper's
/// §4 gradient is $-\beta\,\sigma(\hat r_l - \hat r_w)\,[\nabla\log\pi(y_w) -
/// \nabla\log\pi(y_l)]$, so one pair's loss has $\partial\mathcal L/\partial\log\pi_w =
/// -\beta\sigma(\hat r_l - \hat r_w)$ and $\partial\mathcal L/\partial\log\pi_l =
/// +\beta\sigma(\hat r_l - \hat r_w)$. A pair the implicit reward model already ranks right
/// gets little weight; one it ranks wrong gets up to 1. At policy = reference every pair
/// gets ½.
// ANCHOR: gradient_weight
pub fn dpo_gradient_weight(
    policy_chosen: &[f32],
    policy_rejected: &[f32],
    ref_chosen: &[f32],
    ref_rejected: &[f32],
    beta: f64,
) -> Vec<f64> {
    (0..policy_chosen.len())
        .map(|i| {
            let w = beta * (policy_chosen[i] as f64 - ref_chosen[i] as f64);
            let l = beta * (policy_rejected[i] as f64 - ref_rejected[i] as f64);
            1.0 / (1.0 + (w - l).exp()) // σ(l − w)
        })
        .collect()
}
// ANCHOR_END: gradient_weight

#[cfg(test)]
mod tests;
