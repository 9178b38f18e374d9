//! §5.2 Greedy decoding (贪心解码), and its sampled twin: one token at a time.
//!
//! Each step runs the model on the sequence so far, passes the last logits through the
//! processor chain (§5.4) and takes the arg-max (greedy) or a draw (sampling, §5.1 and
//! §5.3). It stops after `max_new_tokens` or at the end token. Hugging Face:
//! `GenerationMixin._sample` (`generate(do_sample=False)` is greedy, `do_sample=True`
//! samples); see also Holtzman et al. 2019, arXiv 1904.09751, §2 on why greedy text loops.

use super::processors::DecodeConfig;
use super::sampling::sample_token;
use crate::architectures::gpt::Gpt;
use crate::Dev;
use dfdx::prelude::*;
use rand::Rng;

/// The first index of the largest value, as `torch.argmax` picks it.
pub fn argmax(logits: &[f32]) -> usize {
    (0..logits.len()).fold(0, |best, i| if logits[i] > logits[best] { i } else { best })
}

/// Generates up to `max_new_tokens` tokens after `prompt` and returns them (the prompt not
/// included). `next_logits(seq)` gives the model's logits (V,) for the token after `seq`.
/// Greedy unless `config.do_sample`, then sampled with `rng` after the warpers. `on_token` sees each token as it is produced (to stream it).
/// Generation stops after the end token `eos`, which is returned too, as in Hugging Face.
// ANCHOR: generate
pub fn generate(
    mut next_logits: impl FnMut(&[usize]) -> Vec<f32>,
    prompt: &[usize],
    max_new_tokens: usize,
    config: &DecodeConfig,
    eos: Option<usize>,
    rng: &mut impl Rng,
    mut on_token: impl FnMut(usize),
) -> Vec<usize> {
    let sampling = config.do_sample;
    let mut seq = prompt.to_vec();
    for _ in 0..max_new_tokens {
        let mut logits = next_logits(&seq);
        config.process(&mut logits, &seq, sampling);
        let next = if sampling { sample_token(&logits, rng) } else { argmax(&logits) };
        seq.push(next);
        on_token(next);
        if Some(next) == eos {
            break;
        }
    }
    seq.split_off(prompt.len())
}
// ANCHOR_END: generate

/// The GPT's logits (V,) for the token after `seq`, from at most its last `context` tokens
/// (nanoGPT's crop: a longer sequence slides its window). Plain recomputation; §5.5's KV
/// cache avoids redoing the prefix.
pub fn gpt_next_logits(model: &Gpt, seq: &[usize]) -> Vec<f32> {
    let dev: Dev = model.wte.device().clone();
    let window = &seq[seq.len().saturating_sub(model.config.context)..];
    let t = window.len();
    let tokens = dev.tensor_from_vec(window.to_vec(), (1, t));
    let logits = model.forward(tokens).as_vec(); // (1, T, V) flattened
    let v = model.config.vocab;
    logits[(t - 1) * v..t * v].to_vec()
}

#[cfg(test)]
pub(crate) mod tests;
