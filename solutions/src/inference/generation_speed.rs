//! §5.5 What the KV cache saves (KV 缓存的加速): generation timed with and without it.
//!
//! Without a cache, token t costs a forward pass over all t tokens so far; with it, one
//! token's projections and MLP plus attention over t cached keys. Generating up to a context
//! of n tokens therefore costs O(n²) token-passes without the cache and O(n) with it, and
//! the speed-up grows about linearly with the context. nanoGPT's `sample.py` recomputes;
//! Hugging Face's `generate()` caches by default (`use_cache=True`). `cargo course bench
//! generate` runs [`time_generation`] in a release build and stores the table
//! ([`SpeedupTable`]) that the book's figure draws.

use super::cached_forward::CachedGpt;
use super::greedy::{generate, gpt_next_logits};
use super::processors::DecodeConfig;
use super::sampling::seeded_rng;
use crate::architectures::gpt::{Gpt, GptConfig, Positions};
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// One context length, measured: greedy generation from the prompt up to `context` tokens.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Speed {
    /// The length the sequence grows to (prompt + generated).
    pub context: usize,
    pub new_tokens: usize,
    /// Milliseconds per generated token, with the cache.
    pub cached_ms: f64,
    /// Milliseconds per generated token, recomputing the whole prefix each time.
    pub recomputed_ms: f64,
}

impl Speed {
    /// How many times faster the cache is.
    pub fn speedup(&self) -> f64 {
        self.recomputed_ms / self.cached_ms
    }
}

/// A stored benchmark run: where it ran, the model, and one row per context length.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeedupTable {
    /// The command, build, machine and load of the run.
    pub provenance: String,
    pub model: GptConfig,
    pub rows: Vec<Speed>,
}

/// The benchmark's model: `cargo course train`'s default shape (4 layers, 4 heads, width
/// 128, learned positions) with room for `context` positions and `vocab` tokens, and
/// GPT-2's random initialisation from `seed` (timing does not depend on the weights).
pub fn bench_model(vocab: usize, context: usize, seed: u64) -> Gpt {
    let cfg = GptConfig {
        vocab,
        context,
        d_model: 128,
        heads: 4,
        layers: 4,
        positions: Positions::Learned,
    };
    Gpt::new(&crate::Dev::seed_from_u64(seed), cfg)
}

/// Greedy generation from `prompt` up to `context` tokens, timed with the cache and with
/// recomputation; returns the timing and both generated sequences (which must be equal).
pub fn time_generation(model: &Gpt, prompt: &[usize], context: usize) -> (Speed, [Vec<usize>; 2]) {
    let new_tokens = context - prompt.len();
    let greedy = DecodeConfig::default();
    let run = |next: &mut dyn FnMut(&[usize]) -> Vec<f32>| {
        let start = Instant::now();
        let out = generate(next, prompt, new_tokens, &greedy, None, &mut seeded_rng(0), |_| {});
        (start.elapsed().as_secs_f64() * 1e3 / new_tokens as f64, out)
    };
    let mut cached = CachedGpt::new(model);
    let (cached_ms, with) = run(&mut |s| cached.next_logits(s));
    let (recomputed_ms, without) = run(&mut |s| gpt_next_logits(model, s));
    (Speed { context, new_tokens, cached_ms, recomputed_ms }, [with, without])
}

#[cfg(test)]
mod tests;
