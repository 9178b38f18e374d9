//! Graded suite for §4.9: the DPO loss from summed completion log-probabilities.
//!
//! The expected loss is recomputed here in f64 by a plain loop. The cases are chosen so
//! that each usual slip gives a different number: a reference far from the policy (so
//! leaving it out shows), pairs the policy already ranks right (so swapping chosen and
//! rejected shows), β ≠ 1 (so β outside the sigmoid shows), several pairs (so a sum over
//! pairs shows), and a log-ratio gap of −600 (so `sigmoid().ln()` underflows). Then the
//! gradient with respect to both policy inputs is compared with the library's.

use crate::compare::Tol;
use crate::gradient::{backward_weighted, check_gradient, grad_of, plain, traced, Tr};
use crate::{Check, Failure};
use dfdx::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::Dev;

/// Summed log-probabilities, one per pair, `(B,)`.
pub type PerSeq = Tensor<(usize,), f32, Dev>;
/// The same on the tape.
pub type TPerSeq = Tensor<(usize,), f32, Dev, Tr>;

/// (label, β, policy chosen, policy rejected, reference chosen, reference rejected).
type Case = (&'static str, f32, Vec<f32>, Vec<f32>, Vec<f32>, Vec<f32>);

/// −log σ(x), stable.
fn softplus_neg(x: f64) -> f64 {
    (-x).max(0.0) + (-x.abs()).exp().ln_1p()
}

/// The mean over pairs of `per_pair(δ)` where δ = (π_w − ref_w) − (π_l − ref_l).
fn mean_over_pairs(c: &Case, per_pair: impl Fn(f64, f64, f64, f64) -> f64) -> f64 {
    let (_, _, pc, pr, rc, rr) = c;
    let b = pc.len();
    (0..b).map(|i| per_pair(pc[i] as f64, pr[i] as f64, rc[i] as f64, rr[i] as f64)).sum::<f64>()
        / b as f64
}

fn cases() -> Vec<Case> {
    let mut rng = StdRng::seed_from_u64(49);
    let mut draw = |n: usize, lo: f32, hi: f32| -> Vec<f32> {
        (0..n).map(|_| rng.gen_range(lo..hi)).collect()
    };
    let same = vec![-12.0, -3.5, -20.0];
    let other = vec![-9.0, -15.0, -2.0];
    vec![
        (
            "the worked example: β = 0.1, policy (−1, −3), reference (−2, −2)",
            0.1,
            vec![-1.0],
            vec![-3.0],
            vec![-2.0],
            vec![-2.0],
        ),
        ("policy = reference (3 pairs, β = 0.5)", 0.5, same.clone(), other.clone(), same, other),
        (
            "6 seeded pairs, β = 0.3, the reference 1 to 8 nats away",
            0.3,
            draw(6, -30.0, -5.0),
            draw(6, -30.0, -5.0),
            draw(6, -30.0, -5.0),
            draw(6, -30.0, -5.0),
        ),
        (
            "a pair 600 nats on the wrong side and one on the right side, β = 1",
            1.0,
            vec![-700.0, -10.0],
            vec![-100.0, -30.0],
            vec![-100.0, -20.0],
            vec![-100.0, -20.0],
        ),
    ]
}

/// Grades `dpo_loss(policy_chosen, policy_rejected, &ref_chosen, &ref_rejected, beta)`.
pub fn check_dpo_loss<F>(f: F) -> Check
where
    F: Fn(TPerSeq, TPerSeq, &PerSeq, &PerSeq, f32) -> Tensor<(), f32, Dev, Tr>,
{
    let dev = Dev::default();
    let t = |v: &[f32]| -> PerSeq { dev.tensor_from_vec(v.to_vec(), (v.len(),)) };
    let tol = Tol { abs: 1e-4, rel: 1e-5 };
    for case in cases() {
        let (label, beta, pc, pr, rc, rr) = &case;
        let b = *beta as f64;
        let delta = |pc: f64, pr: f64, rc: f64, rr: f64| (pc - rc) - (pr - rr);
        let want = mean_over_pairs(&case, |w, l, rw, rl| softplus_neg(b * delta(w, l, rw, rl)));
        let (x, y) = (t(pc), t(pr));
        let out = f(traced(&x), traced(&y), &t(rc), &t(rr), *beta);
        let got = plain(out).array() as f64;
        if tol.allows(got, want) {
            let w = |x: TPerSeq, y: TPerSeq| {
                solutions::training::dpo::dpo_loss(x, y, &t(rc), &t(rr), *beta)
            };
            check_both_gradients(label, &x, &y, |x, y| f(x, y, &t(rc), &t(rr), *beta), w)?;
            continue;
        }
        let close = |v: f64| tol.allows(got, v);
        let cause = if !got.is_finite() {
            "the loss is not finite: σ(x) underflows f32 to 0 below x ≈ −100, and ln 0 = −∞. \
             Compute −log σ(x) = ln(1 + e^{−x}) in a stable form, e.g. a log-sum-exp over \
             (0, −x)"
        } else if close(mean_over_pairs(&case, |w, l, _, _| softplus_neg(b * (w - l)))) {
            "that is −log σ(β(log π_w − log π_l)): the reference model's log-probabilities were \
             left out. DPO's implicit reward is β·(log π − log π_ref); subtract the reference \
             from each completion first"
        } else if close(mean_over_pairs(&case, |w, l, rw, rl| {
            softplus_neg(-b * delta(w, l, rw, rl))
        })) {
            "chosen and rejected are swapped: the loss falls when the *chosen* completion's \
             log-ratio rises above the rejected one's, δ = (π_w − ref_w) − (π_l − ref_l)"
        } else if close(mean_over_pairs(&case, |w, l, rw, rl| {
            b * softplus_neg(delta(w, l, rw, rl))
        })) {
            "β multiplies the loss outside the sigmoid: −β log σ(δ) only rescales the loss. β \
             belongs inside, −log σ(β·δ), where it sets how far the policy may drift from the \
             reference"
        } else if close(
            pc.len() as f64
                * mean_over_pairs(&case, |w, l, rw, rl| softplus_neg(b * delta(w, l, rw, rl))),
        ) {
            "you summed over the pairs; TRL (and the paper's expectation) average them, so \
             that the loss does not grow with the batch size"
        } else if close(-want)
            || close(mean_over_pairs(&case, |w, l, rw, rl| -softplus_neg(b * delta(w, l, rw, rl))))
        {
            "the minus sign is missing: the loss is −log σ(β·δ), which is ≥ 0 and shrinks as \
             the chosen completion's reward pulls ahead"
        } else {
            "each pair costs −log σ(β[(log π_w − log π_ref,w) − (log π_l − log π_ref,l)]), \
             and the loss is their mean"
        };
        return Err(Failure::new(format!(
            "dpo_loss on {label} is {got:.6}, expected {want:.6} (tolerance {tol}): {cause}."
        )));
    }
    Ok(())
}

/// dL/d(policy_chosen) and dL/d(policy_rejected) for L = out ⊙ W, against the library's.
fn check_both_gradients(
    label: &str,
    x: &PerSeq,
    y: &PerSeq,
    got: impl FnOnce(TPerSeq, TPerSeq) -> Tensor<(), f32, Dev, Tr>,
    want: impl FnOnce(TPerSeq, TPerSeq) -> Tensor<(), f32, Dev, Tr>,
) -> Check {
    let mut g = backward_weighted(got(traced(x), traced(y)));
    let mut w = backward_weighted(want(traced(x), traced(y)));
    let what = format!("dpo_loss on {label}");
    let shape = [x.shape().0];
    let (gx, wx) = (grad_of(&mut g, x), grad_of(&mut w, x));
    check_gradient(&what, "policy_chosen", &gx, &wx, &shape)?;
    let (gy, wy) = (grad_of(&mut g, y), grad_of(&mut w, y));
    check_gradient(&what, "policy_rejected", &gy, &wy, &shape)
}
