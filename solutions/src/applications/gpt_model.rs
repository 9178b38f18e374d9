//! §6.1 The tiny GPT as a [`LanguageModel`] (把微型 GPT 接入统一接口).
//!
//! Chapter 3's GPT with its tokenizer, decoded by chapter 5's [`generate`] through the KV
//! cache, behind the one-method contract of `language_model.rs`: text in, text out, ended
//! at a stop string. It is what a checkpoint of `cargo course train` becomes when an
//! application (a chain, an agent) drives it. Hugging Face: a `pipeline("text-generation")`
//! with `stop_strings=[...]` (`StopStringCriteria`); LangChain: `HuggingFacePipeline`.

use super::language_model::{cut_at_stop, LanguageModel};
use crate::architectures::gpt::{Gpt, GptConfig};
use crate::inference::cached_forward::CachedGpt;
use crate::inference::greedy::generate;
use crate::inference::processors::DecodeConfig;
use crate::inference::sampling::seeded_rng;
use crate::training::checkpoint::{MODEL_FILE, RUN_FILE};
use crate::training::token_stream::{Tokenizer, TokenizerSpec, UnknownChar};
use crate::Dev;
use anyhow::{Context, Result};
use dfdx::nn::LoadFromSafetensors;
use rand::rngs::StdRng;
use std::path::Path;

/// A GPT, its tokenizer and how to decode: greedy by default, as `generate()` is.
pub struct GptModel {
    pub model: Gpt,
    pub tokenizer: Tokenizer,
    /// The decoding knobs of §5.1–§5.4 (sampling, temperature, top-k, top-p, repetition).
    pub config: DecodeConfig,
    /// The most tokens one reply may have, when no stop string ends it sooner.
    pub max_new_tokens: usize,
    /// How many tokens the last reply took, to see that a stop string ended it early.
    pub last_new_tokens: usize,
    rng: StdRng,
}

impl GptModel {
    /// Greedy decoding, at most 64 tokens a reply; the sampler's seed is 0.
    pub fn new(model: Gpt, tokenizer: Tokenizer) -> Self {
        let (config, rng) = (DecodeConfig::default(), seeded_rng(0));
        Self { model, tokenizer, config, max_new_tokens: 64, last_new_tokens: 0, rng }
    }

    /// Restarts the sampler from `seed`, so that a sampled reply can be repeated.
    pub fn seed(&mut self, seed: u64) {
        self.rng = seeded_rng(seed);
    }

    /// Loads a checkpoint directory written by `cargo course train`: the model's shape and
    /// tokenizer from `checkpoint.json`, the weights from `model.safetensors`. The optimizer
    /// state, which generation does not need, is not read.
    pub fn from_checkpoint(dir: &Path) -> Result<Self> {
        // Only the two fields this needs; serde skips the rest of the run's config.
        #[derive(serde::Deserialize)]
        struct Run {
            model: GptConfig,
        }
        #[derive(serde::Deserialize)]
        struct Stored {
            run: Run,
            tokenizer: TokenizerSpec,
        }
        #[derive(serde::Deserialize)]
        struct File {
            config: Stored,
        }
        let path = dir.join(RUN_FILE);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("{}: cannot read the checkpoint", path.display()))?;
        let file: File = serde_json::from_str(&text).with_context(|| {
            format!("{}: not a checkpoint of `cargo course train`", path.display())
        })?;
        let mut model = Gpt::new(&Dev::default(), file.config.run.model);
        let path = dir.join(MODEL_FILE);
        model.load_safetensors(&path).map_err(|e| anyhow::anyhow!("{}: {e:?}", path.display()))?;
        Ok(Self::new(model, Tokenizer::from_spec(&file.config.tokenizer)))
    }

    /// [`LanguageModel::complete`], with a prompt the vocabulary cannot spell as an error.
    // ANCHOR: try_complete
    pub fn try_complete(&mut self, prompt: &str, stop: &[&str]) -> Result<String, UnknownChar> {
        let prompt: Vec<usize> =
            self.tokenizer.encode(prompt)?.iter().map(|&t| t as usize).collect();
        assert!(
            !prompt.is_empty(),
            "GptModel: the prompt is empty (the tiny GPT has no start token)"
        );
        let mut cached = CachedGpt::new(&self.model);
        let (mut seq, mut text) = (prompt.clone(), String::new());
        // One token per call of §5.2's `generate`, so that the stop strings are checked
        // after every token: `generate` itself only knows an end token. The sequence so
        // far goes in as the prompt, so the repetition controls still see all of it, and
        // the KV cache keeps each step to one new position.
        while seq.len() - prompt.len() < self.max_new_tokens {
            let next = |s: &[usize]| cached.next_logits(s);
            let new = generate(next, &seq, 1, &self.config, None, &mut self.rng, |_| {});
            seq.extend(new);
            let ids: Vec<u32> = seq[prompt.len()..].iter().map(|&t| t as u32).collect();
            text = self.tokenizer.decode(&ids);
            // Subtle: a stop string may be spread over several tokens (or end inside a
            // byte-level one), so the decoded text is searched, never the last token.
            if stop.iter().any(|s| !s.is_empty() && text.contains(s)) {
                break;
            }
        }
        self.last_new_tokens = seq.len() - prompt.len();
        Ok(cut_at_stop(&text, stop).to_string())
    }
    // ANCHOR_END: try_complete
}

impl LanguageModel for GptModel {
    /// Panics on a character outside the vocabulary (a character-level tokenizer cannot
    /// spell it); [`GptModel::try_complete`] returns it as an error instead.
    fn complete(&mut self, prompt: &str, stop: &[&str]) -> String {
        self.try_complete(prompt, stop).unwrap_or_else(|e| panic!("GptModel: the prompt: {e}"))
    }
}

#[cfg(test)]
mod tests;
