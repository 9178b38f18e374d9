//! §3.5 Sampling from a trained language model (采样生成).
//!
//! Autoregressive generation as nanoGPT's `GPT.generate`: crop the running sequence to the
//! model's context, take the logits of the last position, divide by the temperature, turn
//! them into probabilities with a softmax and draw the next token from them (PyTorch:
//! `torch.multinomial(F.softmax(logits / temperature, -1), 1)`); temperature 0 is greedy
//! decoding (`argmax`). Chapter 5 treats decoding properly (top-k, top-p, beams, a KV
//! cache); this is the minimum a training run needs to show what the model has learned.

use super::train_loop::LanguageModel;
use crate::Dev;
use dfdx::tensor::TensorFromVec;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// `prompt` followed by `count` generated tokens, drawn with `seed`'s RNG at `temperature`
/// (0 for greedy). Each step runs the model on the last `context` tokens only, as a model
/// with learned positions cannot see further back.
///
/// Subtle: no KV cache, so each new token costs a full forward pass over up to `context`
/// tokens; fine for the few hundred tokens printed during training.
pub fn generate<M: LanguageModel>(
    model: &M,
    prompt: &[u32],
    count: usize,
    context: usize,
    temperature: f32,
    seed: u64,
) -> Vec<u32> {
    assert!(!prompt.is_empty(), "generate needs at least one prompt token");
    let dev = Dev::default();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut ids = prompt.to_vec();
    for _ in 0..count {
        let window = &ids[ids.len().saturating_sub(context)..];
        let t = window.len();
        let tokens = dev.tensor_from_vec(window.iter().map(|&i| i as usize).collect(), (1, t));
        let logits = model.forward_logits(tokens).as_vec(); // (1, T, V), row-major
        let v = logits.len() / t;
        ids.push(pick(&logits[(t - 1) * v..], temperature, &mut rng));
    }
    ids
}

/// The next token from one row of logits: the argmax at temperature 0, otherwise a draw
/// from `softmax(logits / temperature)`.
pub fn pick(logits: &[f32], temperature: f32, rng: &mut impl Rng) -> u32 {
    let argmax =
        logits.iter().enumerate().fold(0, |best, (i, &z)| if z > logits[best] { i } else { best });
    if temperature <= 0.0 {
        return argmax as u32;
    }
    // Subtracting the maximum keeps exp() from overflowing; it cancels in the softmax.
    let max = logits[argmax];
    let weights: Vec<f64> =
        logits.iter().map(|&z| (((z - max) / temperature) as f64).exp()).collect();
    let mut u = rng.gen::<f64>() * weights.iter().sum::<f64>();
    for (i, w) in weights.iter().enumerate() {
        u -= w;
        if u < 0.0 {
            return i as u32;
        }
    }
    argmax as u32 // only reached through rounding when u lands on the total
}

#[cfg(test)]
mod tests;
