//! §5.3 Drawing the next token (采样): one draw from the processed, renormalised
//! distribution.
//!
//! Hugging Face: `torch.multinomial(softmax(scores), num_samples=1)` in
//! `GenerationMixin._sample`. The draws cannot equal torch's (another RNG), so the tests
//! compare frequencies with the distribution instead, within 5 standard errors.

use rand::Rng;

/// The sampler's seeded generator (`cargo course generate --seed S`).
pub use crate::seeded_rng;

/// Softmax of processed logits (−∞ entries get probability 0).
pub fn probabilities(logits: &[f32]) -> Vec<f32> {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = logits.iter().map(|&z| (z - max).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.iter().map(|e| e / sum).collect()
}

/// One token drawn from softmax(logits) by inverting the cumulative distribution.
// ANCHOR: sample_token
pub fn sample_token(logits: &[f32], rng: &mut impl Rng) -> usize {
    let probs = probabilities(logits);
    let u: f32 = rng.gen();
    let mut cumulative = 0.0;
    for (i, p) in probs.iter().enumerate() {
        cumulative += p;
        if u < cumulative {
            return i;
        }
    }
    // Rounding can leave the total a hair below u: fall back to the last possible token.
    probs.iter().rposition(|&p| p > 0.0).expect("at least one token has probability > 0")
}
// ANCHOR_END: sample_token

#[cfg(test)]
mod tests;
