//! §4.9: plausible wrong DPO losses.

use crate::gradient::Tr;
use crate::wrong::through_vec;
use dfdx::prelude::*;
use solutions::training::dpo::{dpo_loss, neg_log_sigmoid};
use solutions::Dev;

type P = Tensor<(usize,), f32, Dev>;
type TP = Tensor<(usize,), f32, Dev, Tr>;
type Loss = Tensor<(), f32, Dev, Tr>;

/// Forgot the reference model: −log σ(β(log π_w − log π_l)).
pub fn dpo_no_reference(pc: TP, pr: TP, _rc: &P, _rr: &P, beta: f32) -> Loss {
    neg_log_sigmoid((pc - pr) * beta).mean()
}

/// Chosen and rejected swapped.
pub fn dpo_swapped(pc: TP, pr: TP, rc: &P, rr: &P, beta: f32) -> Loss {
    dpo_loss(pr, pc, rr, rc, beta)
}

/// β applied outside the sigmoid: −β log σ(δ).
pub fn dpo_beta_outside(pc: TP, pr: TP, rc: &P, rr: &P, beta: f32) -> Loss {
    dpo_loss(pc, pr, rc, rr, 1.0) * beta
}

/// Summed over the pairs instead of averaged.
pub fn dpo_sum_over_pairs(pc: TP, pr: TP, rc: &P, rr: &P, beta: f32) -> Loss {
    let b = pc.shape().0 as f32;
    dpo_loss(pc, pr, rc, rr, beta) * b
}

/// log σ without the minus sign.
pub fn dpo_no_minus(pc: TP, pr: TP, rc: &P, rr: &P, beta: f32) -> Loss {
    dpo_loss(pc, pr, rc, rr, beta).negate()
}

/// `sigmoid().ln()`: −∞ once σ underflows.
pub fn dpo_sigmoid_then_ln(pc: TP, pr: TP, rc: &P, rr: &P, beta: f32) -> Loss {
    let delta = (pc - rc.clone()) - (pr - rr.clone());
    (delta * beta).sigmoid().ln().negate().mean()
}

/// The right loss, copied out and back in: no gradient reaches the policy.
pub fn dpo_through_vec(pc: TP, pr: TP, rc: &P, rr: &P, beta: f32) -> Loss {
    through_vec(dpo_loss(pc, pr, rc, rr, beta))
}
