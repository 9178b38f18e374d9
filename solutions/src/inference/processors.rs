//! §5.4 The logits-processor chain (logits 处理器链), in Hugging Face `generate()`'s order.
//!
//! Each step of decoding turns the model's last logits into the next token. Between the
//! two, Hugging Face runs a `LogitsProcessorList`: first the processors that change what is
//! allowed (repetition penalty, then no-repeat-n-gram), then, only when sampling, the
//! warpers that reshape the distribution (temperature, then top-k, then top-p). The order
//! matters: top-p measured before the temperature would keep a different set.
//! Hugging Face: `GenerationMixin._get_logits_processor` and `GenerationConfig`.

use super::repetition::{apply_repetition_penalty, banned_tokens};
use super::temperature::{apply_temperature, check_temperature};
use super::truncation::{top_k_filter, top_p_filter};

/// The decoding knobs of `cargo course generate`, with Hugging Face's names and defaults
/// (each default switches its processor off).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecodeConfig {
    /// `do_sample`: draw the next token (with the warpers below) instead of the arg-max.
    pub do_sample: bool,
    /// `temperature`; 1.0 leaves the logits alone. Used only when sampling.
    pub temperature: f32,
    /// `top_k`; 0 switches top-k off (as Hugging Face does). Used only when sampling.
    pub top_k: usize,
    /// `top_p` in (0, 1]; 1.0 switches top-p off. Used only when sampling.
    pub top_p: f32,
    /// `repetition_penalty` > 0; 1.0 switches it off.
    pub repetition_penalty: f32,
    /// `no_repeat_ngram_size`; 0 switches it off.
    pub no_repeat_ngram_size: usize,
    /// `min_tokens_to_keep` of top-k and top-p (Hugging Face uses 2 under beam search).
    pub min_tokens_to_keep: usize,
}

impl Default for DecodeConfig {
    fn default() -> Self {
        Self {
            do_sample: false,
            temperature: 1.0,
            top_k: 0,
            top_p: 1.0,
            repetition_penalty: 1.0,
            no_repeat_ngram_size: 0,
            min_tokens_to_keep: 1,
        }
    }
}

impl DecodeConfig {
    /// Checks every value as Hugging Face's constructors do, with a one-line message.
    pub fn validate(&self) -> Result<(), String> {
        check_temperature(self.temperature)?;
        if !(self.top_p > 0.0 && self.top_p <= 1.0) {
            return Err(format!("top-p must be in (0, 1], got {}", self.top_p));
        }
        if !(self.repetition_penalty > 0.0 && self.repetition_penalty.is_finite()) {
            return Err(format!(
                "repetition-penalty must be a finite number > 0 (1.0 is off), got {}",
                self.repetition_penalty
            ));
        }
        if self.min_tokens_to_keep == 0 {
            return Err("min_tokens_to_keep must be at least 1".into());
        }
        Ok(())
    }

    /// Runs the chain on one row of logits (V,) in place. `history` is the whole sequence
    /// so far, prompt included (Hugging Face penalises prompt tokens too).
    // ANCHOR: process
    pub fn process(&self, logits: &mut [f32], history: &[usize], sampling: bool) {
        if self.repetition_penalty != 1.0 {
            apply_repetition_penalty(logits, history, self.repetition_penalty);
        }
        if self.no_repeat_ngram_size > 0 {
            for id in banned_tokens(history, self.no_repeat_ngram_size) {
                logits[id] = f32::NEG_INFINITY;
            }
        }
        if sampling {
            if self.temperature != 1.0 {
                apply_temperature(logits, self.temperature);
            }
            if self.top_k > 0 {
                top_k_filter(logits, self.top_k, self.min_tokens_to_keep);
            }
            if self.top_p < 1.0 {
                top_p_filter(logits, self.top_p, self.min_tokens_to_keep);
            }
        }
    }
    // ANCHOR_END: process
}

#[cfg(test)]
mod tests;
