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
mod tests {
    use super::pick;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    #[test]
    fn temperature_zero_is_argmax_and_sampling_follows_the_softmax() {
        let mut rng = StdRng::seed_from_u64(3);
        assert_eq!(pick(&[0.1, 2.0, -1.0], 0.0, &mut rng), 1);
        // Logits ln 1, ln 3: probabilities 1/4 and 3/4 at temperature 1.
        let logits = [0.0, 3f32.ln()];
        let n = 20_000;
        let ones = (0..n).filter(|_| pick(&logits, 1.0, &mut rng) == 1).count();
        let freq = ones as f64 / n as f64;
        // 4 standard deviations of a binomial proportion: sqrt(0.75 · 0.25 / n) ≈ 0.003.
        assert!((freq - 0.75).abs() < 0.012, "token 1 drawn {freq:.4} of the time, not 0.75");
        // A low temperature sharpens towards the argmax.
        let cold = (0..n).filter(|_| pick(&logits, 0.25, &mut rng) == 1).count();
        assert!(cold as f64 / n as f64 > 0.98, "temperature 0.25 drew token 1 only {cold}/{n}");
    }
}
