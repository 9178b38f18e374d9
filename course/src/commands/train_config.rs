//! The configuration of a `cargo course train` run: its flags, the defaults (nanoGPT's
//! shakespeare_char recipe at a 2-core size), and what a checkpoint stores so that a
//! resumed run can be checked against it field by field.

use crate::commands::corpus::CorpusArg;
use crate::user_error;
use anyhow::Result;
use clap::ValueEnum;
use serde::{Deserialize, Serialize};
use solutions::architectures::gpt::{GptConfig, Positions};
use solutions::training::adamw_groups::AdamWConfig;
use solutions::training::token_stream::{Tokenizer, TokenizerSpec};
use solutions::training::train_loop::LoopConfig;
use std::path::PathBuf;

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenizerKind {
    /// One token per character (nanoGPT's shakespeare_char).
    Char,
    /// Chapter 2's byte-level BPE, trained on the corpus to --vocab tokens.
    Bpe,
}

/// The flags. Model and recipe flags are options so that a resumed run can tell which ones
/// were given: those must agree with the checkpoint, the others are taken from it.
#[derive(clap::Args, Debug, Default)]
pub struct Args {
    #[command(flatten)]
    pub corpus: CorpusArg,
    /// The tokenization (default: char).
    #[arg(long, value_enum)]
    pub tokenizer: Option<TokenizerKind>,
    /// Vocabulary size of the BPE, 256 bytes plus merges (default: 512).
    #[arg(long, value_name = "N")]
    pub vocab: Option<usize>,
    /// Transformer blocks (default: 4).
    #[arg(long, value_name = "N")]
    pub layers: Option<usize>,
    /// Attention heads; must divide --width (default: 4).
    #[arg(long, value_name = "N")]
    pub heads: Option<usize>,
    /// Width of the residual stream (default: 128).
    #[arg(long, value_name = "N")]
    pub width: Option<usize>,
    /// Context length in tokens (default: 64).
    #[arg(long, value_name = "N")]
    pub context: Option<usize>,
    /// Sequences per batch (default: 12).
    #[arg(long, value_name = "N")]
    pub batch: Option<usize>,
    /// Optimizer steps in the whole run (default: 600, about 2 minutes on 2 idle cores).
    #[arg(long, value_name = "N")]
    pub iters: Option<u64>,
    /// Peak learning rate; it warms up over the first 100 steps (fewer for short runs), then
    /// decays along a cosine to a tenth of it (default: 1e-3).
    #[arg(long, value_name = "LR")]
    pub lr: Option<f64>,
    /// Seed of the initial weights and of every batch (default: 1337).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Evaluate, sample and save a checkpoint every N steps (default: 250).
    #[arg(long, value_name = "N")]
    pub eval_every: Option<u64>,
    /// Tokens generated per sample at each evaluation.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub sample_len: usize,
    /// Sampling temperature; 0 is greedy.
    #[arg(long, value_name = "T", default_value_t = 0.8)]
    pub temperature: f32,
    /// The checkpoint directory (default: the --resume directory, else target/course-train).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Continue the run saved in DIR, exactly as if it had never stopped.
    #[arg(long, value_name = "DIR")]
    pub resume: Option<PathBuf>,
    /// Stop after this step, saving a checkpoint as Ctrl-C does (to resume later).
    #[arg(long, value_name = "STEP")]
    pub stop_after: Option<u64>,
}

/// Everything that fixes a run's numbers; a resumed run must match it field by field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// FNV-1a of the corpus text, so that a resume on another text is refused.
    pub corpus_fnv: String,
    pub tokenizer: TokenizerKind,
    pub bpe_vocab: Option<usize>,
    pub model: GptConfig,
    pub recipe: LoopConfig,
    pub adamw: AdamWConfig,
    pub iters: u64,
    pub seed: u64,
    pub eval_every: u64,
    pub eval_iters: usize,
}

/// What `checkpoint.json` holds as its `config`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stored {
    pub run: TrainConfig,
    /// The corpus's name, for messages only.
    pub corpus: String,
    pub tokenizer: TokenizerSpec,
}

/// A new run's config and tokenizer from the flags and the corpus.
pub fn fresh(args: &Args, text: &str, fnv: String) -> Result<Stored> {
    let kind = args.tokenizer.unwrap_or(TokenizerKind::Char);
    let bpe_vocab = (kind == TokenizerKind::Bpe).then(|| args.vocab.unwrap_or(512));
    let tokenizer = match bpe_vocab {
        Some(n) if n < 257 => {
            return Err(user_error(format!("--vocab {n}: BPE needs more than the 256 bytes")))
        }
        Some(n) => Tokenizer::byte_bpe(text, n),
        None => Tokenizer::chars(text),
    };
    let defaults = TrainConfig {
        corpus_fnv: fnv,
        tokenizer: kind,
        bpe_vocab,
        model: GptConfig {
            vocab: 0,
            context: 64,
            d_model: 128,
            heads: 4,
            layers: 4,
            positions: Positions::Learned,
        },
        recipe: LoopConfig {
            batch: 12,
            context: 64,
            warmup: 100,
            max_steps: 600,
            max_lr: 1e-3,
            min_lr: 1e-4,
            grad_clip: 1.0,
        },
        adamw: AdamWConfig::nanogpt(),
        // 600 steps: under 2 minutes on 2 idle cores in the dev profile (176 ms a step, measured),
        // where words start to appear; nanoGPT's 2000 is `--iters 2000`.
        iters: 600,
        seed: 1337,
        eval_every: 250,
        eval_iters: 10,
    };
    let run = apply_flags(args, defaults, tokenizer.vocab_size());
    if run.model.heads == 0 || !run.model.d_model.is_multiple_of(run.model.heads) {
        return Err(user_error(format!(
            "--width {} is not a multiple of --heads {}",
            run.model.d_model, run.model.heads
        )));
    }
    if run.iters == 0 || run.eval_every == 0 || run.recipe.batch == 0 || run.recipe.context == 0 {
        return Err(user_error("--iters, --eval-every, --batch and --context must be at least 1"));
    }
    Ok(Stored { run, corpus: args.corpus.source().name(), tokenizer: tokenizer.spec() })
}

/// `base` with every flag that was given applied; the schedule follows --iters and --lr.
pub fn apply_flags(args: &Args, base: TrainConfig, vocab: usize) -> TrainConfig {
    let mut c = base;
    c.tokenizer = args.tokenizer.unwrap_or(c.tokenizer);
    if c.tokenizer == TokenizerKind::Bpe {
        c.bpe_vocab = args.vocab.or(c.bpe_vocab);
    }
    c.model.vocab = vocab;
    c.model.layers = args.layers.unwrap_or(c.model.layers);
    c.model.heads = args.heads.unwrap_or(c.model.heads);
    c.model.d_model = args.width.unwrap_or(c.model.d_model);
    let context = args.context.unwrap_or(c.recipe.context);
    (c.model.context, c.recipe.context) = (context, context);
    c.recipe.batch = args.batch.unwrap_or(c.recipe.batch);
    c.iters = args.iters.unwrap_or(c.iters);
    c.recipe.max_steps = c.iters as usize;
    // nanoGPT warms up for 100 steps; a short run gets a tenth of its length instead.
    c.recipe.warmup = 100.min(c.recipe.max_steps / 10);
    if let Some(lr) = args.lr {
        (c.recipe.max_lr, c.recipe.min_lr) = (lr, lr / 10.0);
    }
    c.seed = args.seed.unwrap_or(c.seed);
    c.eval_every = args.eval_every.unwrap_or(c.eval_every);
    c
}

/// FNV-1a, 64 bits: a fingerprint of the corpus, not a security hash.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3))
}
