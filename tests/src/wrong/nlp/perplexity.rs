//! §2.6: plausible wrong perplexities, log-probabilities and bits per character.

use crate::gradient::Tr;
use crate::wrong::through_vec;
use dfdx::prelude::*;
use solutions::nlp::perplexity::token_log_probs;
use solutions::Dev;
use std::f64::consts::LN_2;

type T2 = Tensor<(usize, usize), f32, Dev, Tr>;
type T1 = Tensor<(usize,), f32, Dev, Tr>;

fn mean_nll(lp: &[f64]) -> f64 {
    -lp.iter().sum::<f64>() / lp.len() as f64
}

/// The inverse of the arithmetic mean of the probabilities.
pub fn perplexity_mean_of_probs(lp: &[f64]) -> f64 {
    lp.len() as f64 / lp.iter().map(|l| l.exp()).sum::<f64>()
}

/// exp of the mean log-probability, without the minus sign.
pub fn perplexity_no_minus(lp: &[f64]) -> f64 {
    (lp.iter().sum::<f64>() / lp.len() as f64).exp()
}

/// The product of the probabilities to the power −1/N: underflows on long sequences.
pub fn perplexity_product_of_probs(lp: &[f64]) -> f64 {
    lp.iter().map(|l| l.exp()).product::<f64>().powf(-1.0 / lp.len() as f64)
}

/// Converted the loss to bits, then exponentiated with e.
pub fn perplexity_bits_then_exp(lp: &[f64]) -> f64 {
    (mean_nll(lp) / LN_2).exp()
}

/// softmax, then ln: the probability of a far-below target underflows to 0.
pub fn log_probs_softmax_then_ln(logits: T2, targets: &[usize]) -> T1 {
    let idx = logits.device().tensor_from_vec(targets.to_vec(), (targets.len(),));
    logits.softmax::<Axis<1>>().ln().select(idx)
}

/// The raw logit of each target, unnormalised.
pub fn log_probs_raw_logits(logits: T2, targets: &[usize]) -> T1 {
    let idx = logits.device().tensor_from_vec(targets.to_vec(), (targets.len(),));
    logits.select(idx)
}

/// log_softmax over the positions (Axis<0>) instead of the vocabulary.
pub fn log_probs_over_positions(logits: T2, targets: &[usize]) -> T1 {
    let idx = logits.device().tensor_from_vec(targets.to_vec(), (targets.len(),));
    logits.log_softmax::<Axis<0>>().select(idx)
}

/// The right log-probabilities, copied out and back in: the values pass, the gradient that
/// training needs is gone.
pub fn log_probs_through_vec(logits: T2, targets: &[usize]) -> T1 {
    through_vec(token_log_probs(logits, targets))
}

/// Bits per token, not per character.
pub fn bpc_per_token(lp: &[f64], _text: &str) -> f64 {
    mean_nll(lp) / LN_2
}

/// Divided by `str::len`, the UTF-8 bytes.
pub fn bpc_per_byte(lp: &[f64], text: &str) -> f64 {
    -lp.iter().sum::<f64>() / LN_2 / text.len() as f64
}

/// Nats per character: forgot to divide by ln 2.
pub fn bpc_in_nats(lp: &[f64], text: &str) -> f64 {
    -lp.iter().sum::<f64>() / text.chars().count() as f64
}
