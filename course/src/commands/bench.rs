//! `cargo course bench`: the course's code timed against an outside peer in the same run.
//!
//! Benchmarks are built with `--release` (timing the dev profile would measure the
//! compiler's settings, not the algorithm) and print ratios (ours / peer) rather than
//! absolute times, because these machines are shared and noisy.

use crate::commands::corpus::CorpusArg;
use anyhow::{Context, Result};
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Subcommand)]
pub enum Target {
    /// BPE training: the naive and the efficient trainer against Hugging Face tokenizers'
    /// BpeTrainer on the same words and vocabulary size; prints the ratio efficient / HF.
    Bpe {
        #[command(flatten)]
        corpus: CorpusArg,
        /// The vocabulary size to train to.
        #[arg(long, value_name = "N")]
        vocab: Option<usize>,
        /// Also write the measured scaling (time against corpus size) as an SVG.
        #[arg(long, value_name = "FILE")]
        plot: Option<PathBuf>,
    },
    /// §3.5: nanoGPT's CPU recipe (character level, 4 layers, width 128, 2000 iterations) on
    /// our GPT and on a PyTorch peer of it; prints both validation losses, the time per
    /// iteration as a ratio ours / PyTorch, and both peak memories. Without torch installed,
    /// it says how to install it and runs ours alone.
    Train {
        #[command(flatten)]
        corpus: CorpusArg,
        /// Training iterations (the recipe's 2000 by default).
        #[arg(long, value_name = "N")]
        iters: Option<usize>,
        /// Iterations per turn (100 by default): the two sides take turns, so both are timed
        /// in the same phases of a shared machine's drifting speed.
        #[arg(long, value_name = "N")]
        block: Option<usize>,
    },
    /// §5.5: greedy generation with the KV cache against recomputing the prefix, on the
    /// default `train` model shape with random weights, at contexts 32 to 256; prints ms per
    /// token both ways and the speed-up, and fails if the tokens differ.
    Generate {
        /// The context lengths to measure, comma-separated.
        #[arg(long, value_name = "N,N,...", default_value = "32,64,128,256")]
        contexts: String,
        /// Runs per context; the median is printed.
        #[arg(long, value_name = "N", default_value_t = 3)]
        repeats: usize,
        /// Store the measured table as JSON (the book's figure reads
        /// data/bench/kv_cache_speedup.json).
        #[arg(long, value_name = "FILE")]
        save: Option<PathBuf>,
    },
}

pub fn run(root: &Path, target: Target) -> Result<()> {
    match target {
        Target::Bpe { corpus, vocab, plot } => {
            // Check the corpus here, so that a bad file is one line before any compiling.
            corpus.read()?;
            let mut args: Vec<String> = vec![];
            if let Some(path) = &corpus.corpus {
                args.extend(["--corpus".into(), absolute(path).display().to_string()]);
            }
            if let Some(n) = vocab {
                args.extend(["--vocab".into(), n.to_string()]);
            }
            if let Some(path) = &plot {
                args.extend(["--plot".into(), absolute(path).display().to_string()]);
            }
            release_binary(root, "peers", "bench_bpe", &args)
        }
        Target::Train { corpus, iters, block } => {
            corpus.read()?;
            let mut args: Vec<String> = vec![];
            if let Some(path) = &corpus.corpus {
                args.extend(["--corpus".into(), absolute(path).display().to_string()]);
            }
            for (flag, value) in [("--iters", iters), ("--block", block)] {
                if let Some(n) = value {
                    args.extend([flag.into(), n.to_string()]);
                }
            }
            release_binary(root, "peers", "bench_train", &args)
        }
        Target::Generate { contexts, repeats, save } => {
            let mut args =
                vec!["--contexts".into(), contexts, "--repeats".into(), repeats.to_string()];
            if let Some(path) = &save {
                args.extend(["--save".into(), absolute(path).display().to_string()]);
            }
            release_binary(root, "solutions", "bench_generate", &args)
        }
    }
}

/// Paths are resolved against the caller's directory before cargo changes it.
fn absolute(path: &Path) -> PathBuf {
    std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.into())
}

/// Builds and runs a release binary of the workspace, passing its exit status on.
fn release_binary(root: &Path, package: &str, bin: &str, args: &[String]) -> Result<()> {
    eprintln!("building {bin} with --release (the first time takes a few minutes)…");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args(["run", "--release", "--quiet", "--package", package, "--bin", bin, "--"])
        .args(args)
        .status()
        .with_context(|| format!("running cargo for {bin}"))?;
    if !status.success() {
        std::process::exit(status.code().unwrap_or(1));
    }
    Ok(())
}
