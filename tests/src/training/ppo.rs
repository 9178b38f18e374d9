//! Graded suites for §4.8: GAE, PPO's clipped surrogate loss and the KL-penalised rewards.
//!
//! The expected values are recomputed here in f64 by plain loops, from TRL's formulas. The
//! cases are chosen so that each usual slip gives a different number: γ ≠ λ and γ ≠ 1 (so
//! swapping them, or dropping γ, shows), a last value far from 0 (so bootstrapping the last
//! token from it shows), ratios beyond both ends of the clip range with advantages of both
//! signs (so min/max and a missing exp show), and a completion whose log-probabilities
//! differ from the reference's in both directions (so the KL's sign shows).

use crate::compare::{close_list, Tol};
use crate::gradient::{check_input_gradient, plain, traced, Tr};
use crate::{Check, Failure};
use dfdx::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::Dev;

/// One number per token, `(N,)`.
pub type PerToken = Tensor<(usize,), f32, Dev>;
/// The same on the tape.
pub type TPerToken = Tensor<(usize,), f32, Dev, Tr>;

const TOL: Tol = Tol { abs: 1e-5, rel: 1e-4 };

/// GAE in f64 with the knobs the known mistakes turn: `last` is the value after the last
/// token, `forward` accumulates from the start instead of the end.
fn gae_f64(r: &[f32], v: &[f32], (gamma, lam): (f64, f64), last: f64, forward: bool) -> Vec<f64> {
    let k = r.len();
    let next = |t: usize| if t + 1 < k { v[t + 1] as f64 } else { last };
    let delta: Vec<f64> = (0..k).map(|t| r[t] as f64 + gamma * next(t) - v[t] as f64).collect();
    let mut a = vec![0.0; k];
    let mut acc = 0.0;
    let order: Vec<usize> = if forward { (0..k).collect() } else { (0..k).rev().collect() };
    for t in order {
        acc = delta[t] + gamma * lam * acc;
        a[t] = acc;
    }
    a
}

/// (label, rewards, values, γ, λ).
type GaeCase = (String, Vec<f32>, Vec<f32>, f32, f32);

fn gae_cases() -> Vec<GaeCase> {
    // Subtle: the seeded cases come first. On the worked example (γ = 1) accumulating
    // forwards and swapping γ and λ happen to give the same numbers, so they could not be
    // told apart there.
    let mut cases = vec![];
    let mut rng = StdRng::seed_from_u64(48);
    for (k, gamma, lam) in [(6, 0.9f32, 0.6f32), (9, 0.8, 0.95)] {
        let r: Vec<f32> = (0..k).map(|_| rng.gen_range(-1.0..1.0)).collect();
        let mut v: Vec<f32> = (0..k).map(|_| rng.gen_range(-2.0..2.0)).collect();
        v[k - 1] = 1.5; // the last value far from 0
        cases.push((format!("{k} seeded tokens, γ = {gamma}, λ = {lam}"), r, v, gamma, lam));
    }
    let worked = "the worked example (γ = 1, λ = 0.5)".to_string();
    cases.push((worked, vec![0.0, 1.0], vec![0.5, 0.5], 1.0, 0.5));
    cases.push(("one token (γ = 0.9, λ = 0.7)".into(), vec![0.8], vec![0.3], 0.9, 0.7));
    cases
}

/// Grades `gae(rewards, values, gamma, lam) -> (advantages, returns)`.
pub fn check_gae<F>(f: F) -> Check
where
    F: Fn(&[f32], &[f32], f32, f32) -> (Vec<f32>, Vec<f32>),
{
    for (label, r, v, gamma, lam) in gae_cases() {
        let gl = (gamma as f64, lam as f64);
        let want = gae_f64(&r, &v, gl, 0.0, false);
        let (adv, ret) = f(&r, &v, gamma, lam);
        let close = |x: &[f64]| crate::compare::all_close(&adv, x, TOL);
        if !close(&want) {
            let k = r.len();
            let cause = if adv.len() != k {
                "one advantage per token"
            } else if close(&gae_f64(&r, &v, gl, v[k - 1] as f64, false)) {
                "the last token bootstrapped from its own value V_{K−1}: nothing follows the \
                 completion's last token (the episode ends, TRL's `nextvalues = 0.0`), so its \
                 δ is r − V, with V_K = 0"
            } else if close(&gae_f64(&r, &v, (gl.1, gl.0), 0.0, false)) {
                "γ and λ are swapped: the TD error δ_t = r_t + γ·V_{t+1} − V_t discounts with \
                 γ alone; λ only enters the accumulation A_t = δ_t + γλ·A_{t+1}"
            } else if close(&gae_f64(&r, &v, gl, 0.0, true)) {
                "you accumulated from the first token forwards: an advantage sums the TD \
                 errors of the *future*, A_t = δ_t + γλ·A_{t+1}, so loop from the last token \
                 back"
            } else if close(&gae_f64(&r, &v, (gl.0, 1.0), 0.0, false)) {
                "λ was ignored (λ = 1, the Monte-Carlo advantage): multiply the carried \
                 advantage by γλ"
            } else {
                "δ_t = r_t + γ·V_{t+1} − V_t (V_K = 0), A_t = δ_t + γλ·A_{t+1} from the end"
            };
            close_list(&format!("gae on {label}: advantage "), "advantages", &adv, &want, TOL)
                .map_err(|e| Failure::new(format!("{e} Likely cause: {cause}.")))?;
        }
        let want_ret: Vec<f64> = want.iter().zip(&v).map(|(a, &x)| a + x as f64).collect();
        if ret.len() == r.len() && crate::compare::all_close(&ret, &want, TOL) && want != want_ret {
            return Err(Failure::new(format!(
                "gae on {label}: the returns equal the advantages. The value head regresses to \
                 returns = advantages + values (TRL's `returns = advantages + values`, taken \
                 before the advantages are whitened)."
            )));
        }
        close_list(&format!("gae on {label}: return "), "returns", &ret, &want_ret, TOL)
            .map_err(|e| Failure::new(format!("{e} returns = advantages + values.")))?;
    }
    Ok(())
}

/// Per-token rewards in f64, with the knobs the known mistakes turn.
fn rewards_f64(
    lp: &[f32],
    rl: &[f32],
    score: f32,
    beta: f32,
    sign: f64,
    at: Option<usize>,
) -> Vec<f64> {
    let k = lp.len();
    (0..k)
        .map(|t| {
            let kl = -sign * beta as f64 * (lp[t] as f64 - rl[t] as f64);
            let paid = match at {
                Some(i) => i == t,
                None => true,
            };
            kl + if paid { score as f64 } else { 0.0 }
        })
        .collect()
}

/// Grades `kl_penalized_rewards(logprobs, ref_logprobs, score, beta) -> rewards`.
pub fn check_kl_penalized_rewards<F>(f: F) -> Check
where
    F: Fn(&[f32], &[f32], f32, f32) -> Vec<f32>,
{
    let mut cases = vec![(
        "the worked example (β = 0.1, score 2)".to_string(),
        vec![-1.0, -2.0, -0.5],
        vec![-1.5, -1.0, -0.5],
        2.0,
        0.1,
    )];
    let mut rng = StdRng::seed_from_u64(84);
    for (k, beta, score) in [(1, 0.05f32, -0.7f32), (7, 0.2, 1.3)] {
        let lp: Vec<f32> = (0..k).map(|_| rng.gen_range(-5.0..-0.1)).collect();
        let rl: Vec<f32> = lp.iter().map(|x| x + rng.gen_range(-1.5..1.5)).collect();
        cases.push((format!("{k} seeded tokens, β = {beta}, score {score}"), lp, rl, score, beta));
    }
    for (label, lp, rl, score, beta) in cases {
        let k = lp.len();
        let want = rewards_f64(&lp, &rl, score, beta, 1.0, Some(k - 1));
        let got = f(&lp, &rl, score, beta);
        let close = |x: &[f64]| crate::compare::all_close(&got, x, TOL);
        if close(&want) {
            continue;
        }
        let cause = if got.len() != k {
            "one reward per completion token"
        } else if close(&rewards_f64(&lp, &rl, score, beta, -1.0, Some(k - 1))) {
            "the KL term has the wrong sign: a token the policy makes *more* likely than the \
             reference costs reward, −β·(log π − log π_ref)"
        } else if close(&rewards_f64(&lp, &rl, score, beta, 1.0, None)) {
            "the score was added to every token: the reward model scores the whole completion \
             once, so it is paid at the last token only (GAE carries it back)"
        } else if close(&rewards_f64(&lp, &rl, score, beta, 1.0, Some(0))) {
            "the score was added to the first token: it belongs to the last, where the \
             completion is finished and the reward model has seen all of it"
        } else if close(&rewards_f64(&lp, &rl, score, 1.0, 1.0, Some(k - 1))) {
            "β is missing: the KL penalty is β·(log π − log π_ref) per token"
        } else {
            "reward_t = −β·(log π_t − log π_ref,t), plus the score at the last token"
        };
        return close_list(
            &format!("kl_penalized_rewards on {label}: reward "),
            "rewards",
            &got,
            &want,
            TOL,
        )
        .map_err(|e| Failure::new(format!("{e} Likely cause: {cause}.")));
    }
    Ok(())
}

/// PPO's loss in f64: `reduce` combines the two negated terms, `exp` turns the log-ratio
/// into the ratio (or not), `sign` −1 negates the objective.
fn clip_loss_f64(
    lp: &[f32],
    old: &[f32],
    a: &[f32],
    eps: f32,
    (exp, reduce, sign): (bool, fn(f64, f64) -> f64, f64),
) -> f64 {
    let eps = eps as f64;
    let n = lp.len();
    (0..n)
        .map(|i| {
            let d = lp[i] as f64 - old[i] as f64;
            let ratio = if exp { d.exp() } else { d };
            let adv = a[i] as f64 * sign;
            reduce(-adv * ratio, -adv * ratio.clamp(1.0 - eps, 1.0 + eps))
        })
        .sum::<f64>()
        / n as f64
}

/// Grades `ppo_clip_loss(logprobs, &old_logprobs, &advantages, cliprange)`.
pub fn check_ppo_clip_loss<F>(f: F) -> Check
where
    F: Fn(TPerToken, &PerToken, &PerToken, f32) -> Tensor<(), f32, Dev, Tr>,
{
    let dev = Dev::default();
    let t = |v: &[f32]| -> PerToken { dev.tensor_from_vec(v.to_vec(), (v.len(),)) };
    let mut cases = vec![
        ("the worked example (A = 2, ε = 0.2)".to_string(), vec![-0.5], vec![-1.0], vec![2.0], 0.2),
        ("the worked example with A = −2".into(), vec![-0.5], vec![-1.0], vec![-2.0], 0.2),
    ];
    let mut rng = StdRng::seed_from_u64(77);
    for (n, eps) in [(12usize, 0.2f32), (9, 0.1)] {
        let old: Vec<f32> = (0..n).map(|_| rng.gen_range(-4.0..-0.2)).collect();
        let lp: Vec<f32> = old.iter().map(|x| x + rng.gen_range(-0.6..0.6)).collect();
        let a: Vec<f32> = (0..n).map(|_| rng.gen_range(-2.0..2.0)).collect();
        cases.push((format!("{n} seeded tokens, ε = {eps}"), lp, old, a, eps));
    }
    for (label, lp, old, a, eps) in cases {
        let want = clip_loss_f64(&lp, &old, &a, eps, (true, f64::max, 1.0));
        let x = t(&lp);
        let got = plain(f(traced(&x), &t(&old), &t(&a), eps)).array() as f64;
        let close = |v: f64| TOL.allows(got, v);
        if close(want) {
            let what = format!("ppo_clip_loss on {label}");
            check_input_gradient(
                &what,
                "logprobs",
                &x,
                |x| f(x, &t(&old), &t(&a), eps),
                |x| solutions::training::ppo::ppo_clip_loss(x, &t(&old), &t(&a), eps),
            )?;
            continue;
        }
        let cause = if close(clip_loss_f64(&lp, &old, &a, eps, (true, f64::min, 1.0))) {
            "you took the min of the negated terms: the paper maximises min(ρA, clip(ρ)·A), \
             and negating a min gives a max, max(−ρA, −clip(ρ)·A). The min of the negated \
             terms picks the optimistic one and the clip never holds the policy back"
        } else if close(clip_loss_f64(&lp, &old, &a, eps, (false, f64::max, 1.0))) {
            "the ratio was not exponentiated: the inputs are log-probabilities, so ρ = \
             exp(log π − log π_old), which is 1 (not 0) when the policy has not moved"
        } else if close(-want) || close(clip_loss_f64(&lp, &old, &a, eps, (true, f64::min, -1.0))) {
            "the sign is flipped: that is the objective min(ρA, clip(ρ)·A) itself; the loss to \
             minimise is its negation"
        } else if close(clip_loss_f64(&lp, &old, &a, eps, (true, |u, _| u, 1.0))) {
            "the clip is missing: that is the plain policy-gradient loss −ρA; add the clipped \
             term and keep the larger (more pessimistic) of the two"
        } else if close(want * lp.len() as f64) {
            "you summed over the tokens; TRL averages them (`masked_mean`)"
        } else {
            "each token costs max(−A·ρ, −A·clip(ρ, 1 − ε, 1 + ε)) with ρ = exp(log π − log \
             π_old), and the loss is their mean"
        };
        return Err(Failure::new(format!(
            "ppo_clip_loss on {label} is {got:.6}, expected {want:.6} (tolerance {TOL}): {cause}."
        )));
    }
    Ok(())
}
