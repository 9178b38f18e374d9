//! `cargo course generate "PROMPT"`: chapter 5's decoding on a checkpoint of `cargo course
//! train` (生成文本).
//!
//! Greedy by default, as Hugging Face's `generate()`; `--temperature`, `--top-k` or
//! `--top-p` switch on sampling (`do_sample=True`), `--num-beams` beam search. The
//! repetition controls apply to all three. All of them run the model through §5.5's KV
//! cache (`--no-cache` recomputes the prefix for every token, with the same tokens). The pieces live in `solutions::inference`; this
//! file only wires them to flags, the checkpoint and the terminal. Every bad input (a
//! missing or corrupt checkpoint, an out-of-range value, a prompt the vocabulary cannot
//! spell) is a one-line error with exit status 2.

use super::train::Stored;
use crate::user_error;
use anyhow::Result;
use dfdx::prelude::Cpu;
use solutions::architectures::gpt::Gpt;
use solutions::inference::beam_search::{beam_search, BeamConfig};
use solutions::inference::cached_forward::CachedGpt;
use solutions::inference::greedy::{generate, gpt_next_logits};
use solutions::inference::processors::DecodeConfig;
use solutions::inference::sampling::seeded_rng;
use solutions::training::adamw_groups::AdamW;
use solutions::training::checkpoint;
use solutions::training::token_stream::Tokenizer;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The flags, with Hugging Face's names and defaults.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The text to continue; every character must be in the checkpoint's vocabulary.
    pub prompt: String,
    /// A directory written by `cargo course train` (default: target/course-train).
    #[arg(long, value_name = "DIR")]
    pub checkpoint: Option<PathBuf>,
    /// How many tokens to generate.
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub max_new_tokens: usize,
    /// Sample at this temperature (> 0); without it (or top-k, top-p), decoding is greedy.
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub temperature: Option<f32>,
    /// Sample from the K most likely tokens only (ties with the K-th kept).
    #[arg(long, value_name = "K")]
    pub top_k: Option<usize>,
    /// Sample from the smallest set of likely tokens whose probability reaches P, in (0, 1].
    #[arg(long, value_name = "P", allow_hyphen_values = true)]
    pub top_p: Option<f32>,
    /// Make every token already seen less likely (> 0; 1.0 is off, 1.2 is common).
    #[arg(long, value_name = "R", default_value_t = 1.0, allow_hyphen_values = true)]
    pub repetition_penalty: f32,
    /// Never repeat an N-gram (0 is off).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub no_repeat_ngram_size: usize,
    /// Beam search with B beams (1 is greedy or sampling).
    #[arg(long, value_name = "B", default_value_t = 1)]
    pub num_beams: usize,
    /// Beam search's length penalty α: scores are sum log p / length^α.
    #[arg(long, value_name = "L", default_value_t = 1.0, allow_hyphen_values = true)]
    pub length_penalty: f32,
    /// The seed of the sampler.
    #[arg(long, value_name = "S", default_value_t = 1337)]
    pub seed: u64,
    /// Recompute the whole prefix for every token instead of using the KV cache (§5.5;
    /// Hugging Face's `use_cache=False`): the same tokens, slower.
    #[arg(long)]
    pub no_cache: bool,
}

impl Args {
    /// The processors' settings, checked as Hugging Face checks them.
    fn decode_config(&self) -> Result<DecodeConfig> {
        if self.num_beams == 0 {
            return Err(user_error("--num-beams must be at least 1 (1 means no beam search)"));
        }
        if self.top_k == Some(0) {
            return Err(user_error("--top-k must be at least 1 (leave it out to switch it off)"));
        }
        let do_sample = self.temperature.is_some() || self.top_k.is_some() || self.top_p.is_some();
        if do_sample && self.num_beams > 1 {
            return Err(user_error(
                "beam search here is deterministic: use --num-beams, or sampling \
                 (--temperature/--top-k/--top-p), not both",
            ));
        }
        if !self.length_penalty.is_finite() {
            return Err(user_error(format!(
                "--length-penalty must be finite, got {}",
                self.length_penalty
            )));
        }
        let config = DecodeConfig {
            do_sample,
            temperature: self.temperature.unwrap_or(1.0),
            top_k: self.top_k.unwrap_or(0),
            top_p: self.top_p.unwrap_or(1.0),
            repetition_penalty: self.repetition_penalty,
            no_repeat_ngram_size: self.no_repeat_ngram_size,
            min_tokens_to_keep: 1,
        };
        config.validate().map_err(|e| user_error(format!("--{e}")))?;
        Ok(config)
    }
}

/// The model and tokenizer saved in `dir` by `cargo course train`.
pub fn load(dir: &Path) -> Result<(Gpt, Tokenizer)> {
    let stored = checkpoint::load_run::<Stored>(dir).map_err(|e| user_error(format!("{e:#}")))?;
    let cfg = stored.config.run;
    let mut model = Gpt::new(&Cpu::seed_from_u64(0), cfg.model);
    // Subtle: the checkpoint loader also restores the optimizer, which generation does
    // not use; it is built only to be filled.
    let mut opt = AdamW::new(&model, cfg.adamw);
    checkpoint::load::<Stored, _>(dir, &mut model, &mut opt)
        .map_err(|e| user_error(format!("{e:#}")))?;
    Ok((model, Tokenizer::from_spec(&stored.config.tokenizer)))
}

pub fn run(root: &Path, args: Args) -> Result<()> {
    let config = args.decode_config()?;
    let dir = args.checkpoint.clone().unwrap_or(root.join("target/course-train"));
    let (model, tokenizer) = load(&dir)?;
    let prompt =
        tokenizer.encode(&args.prompt).map_err(|e| user_error(format!("the prompt: {e}")))?;
    if prompt.is_empty() {
        return Err(user_error("the prompt is empty: give the model at least one character"));
    }
    let prompt: Vec<usize> = prompt.into_iter().map(|t| t as usize).collect();
    // §5.5: the KV cache, unless asked not to; both give the same logits within 1e-5
    // (`solutions::inference::cached_forward`'s tests) and the same tokens.
    let mut cached = CachedGpt::new(&model);
    let next = |s: &[usize]| {
        if args.no_cache {
            gpt_next_logits(&model, s)
        } else {
            cached.next_logits(s)
        }
    };
    let decode =
        |ids: &[usize]| tokenizer.decode(&ids.iter().map(|&t| t as u32).collect::<Vec<_>>());
    let mut out = std::io::stdout().lock();
    write!(out, "{}", args.prompt)?;
    out.flush()?;
    if args.num_beams > 1 {
        let beam = BeamConfig {
            num_beams: args.num_beams,
            length_penalty: args.length_penalty,
            max_new_tokens: args.max_new_tokens,
            eos: None,
        };
        let best = beam_search(next, &prompt, &beam, &config).swap_remove(0);
        writeln!(out, "{}", decode(&best.tokens[prompt.len()..]))?;
        eprintln!("(beam search, {} beams: score {:.4})", args.num_beams, best.score);
        return Ok(());
    }
    // Stream: print what the tokens so far decode to beyond what is already printed. A
    // byte-level token may end inside a character; wait until the character is complete.
    let (mut generated, mut shown) = (Vec::new(), 0);
    let mut rng = seeded_rng(args.seed);
    generate(next, &prompt, args.max_new_tokens, &config, None, &mut rng, |t| {
        generated.push(t);
        let text = decode(&generated);
        if !text.ends_with('\u{FFFD}') && text.len() > shown && text.is_char_boundary(shown) {
            let _ = write!(out, "{}", &text[shown..]);
            let _ = out.flush();
            shown = text.len();
        }
    });
    writeln!(out)?;
    Ok(())
}
