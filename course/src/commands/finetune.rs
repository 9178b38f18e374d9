//! `cargo course finetune`: §4.5's LoRA fine-tune of a `cargo course train` checkpoint on
//! a text of your own (LoRA 微调).
//!
//! The base model is loaded from `--from`, wrapped with rank-r adapters on `attn.c_attn`
//! and `attn.c_proj` (PEFT's `get_peft_model`), trained with §3.5's `train_step` on the
//! new text (or, with `--full`, every parameter is trained instead), then merged
//! (`merge_and_unload()`) and saved as an ordinary checkpoint that `cargo course generate
//! --checkpoint DIR` reads. `--compare` runs the page's experiment instead (English
//! pre-training, then LoRA against full fine-tuning on the Chinese half) and can store it.
//! The pieces live in `solutions::training`; this file wires them to files and the terminal,
//! with `train`'s progress bar and `generate`'s checkpoint loader.

use super::corpus::CorpusArg;
use super::train::{progress_bar, Stored};
use crate::user_error;
use anyhow::{Context, Result};
use dfdx::nn::ZeroGrads;
use dfdx::prelude::Cpu;
use solutions::nlp::corpus::{Source, CHINESE};
use solutions::training::adamw_groups::AdamW;
use solutions::training::checkpoint::{self, RunState};
use solutions::training::data_loader::train_val_split;
use solutions::training::lora::LoraConfig;
use solutions::training::lora_finetune::{compare_finetunes, FinetuneSetup, VAL_SEED};
use solutions::training::lora_gpt::{trainable_count, LoraGpt, TARGET_MODULES};
use solutions::training::train_loop::{evaluate, train_step, training_batch};
use solutions::training::train_loop::{LanguageModel, LoopConfig};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The flags.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The base model: a directory written by `cargo course train` (default:
    /// target/course-train).
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,
    /// The text to adapt to (default: the Chinese half of the embedded corpus). The base
    /// model's vocabulary must spell it: a character-level base knows only the characters
    /// of its own corpus, a BPE base (`train --tokenizer bpe`) every text.
    #[command(flatten)]
    pub corpus: CorpusArg,
    /// Rank r of the LoRA update BA.
    #[arg(long, value_name = "R", default_value_t = 8)]
    pub lora_rank: usize,
    /// LoRA's α: the update is scaled by α/r (default: 2r).
    #[arg(long, value_name = "A")]
    pub lora_alpha: Option<f32>,
    /// Train every parameter instead of LoRA adapters (full fine-tuning), to compare.
    #[arg(long)]
    pub full: bool,
    /// Optimizer steps.
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub iters: usize,
    /// Peak learning rate, warmed up then decayed along a cosine (default: 3e-3 with LoRA,
    /// 1e-3 with --full).
    #[arg(long, value_name = "LR")]
    pub lr: Option<f64>,
    /// Validation loss every N steps.
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub eval_every: usize,
    /// Where the merged model goes, as a checkpoint `cargo course generate --checkpoint DIR`
    /// reads (default: target/course-finetune).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Run the page's experiment instead: pre-train a small GPT on the English half of the
    /// embedded corpus, adapt it to the Chinese half by LoRA and by full fine-tuning, and
    /// print the table (about a minute).
    #[arg(long, conflicts_with_all = ["from", "corpus", "full", "out"])]
    pub compare: bool,
    /// With --compare: store the measurement as JSON (the book's figure is drawn from
    /// data/bench/lora_finetune.json).
    #[arg(long, value_name = "FILE", requires = "compare")]
    pub save: Option<PathBuf>,
}

pub fn run(root: &Path, args: Args) -> Result<()> {
    if args.compare {
        return compare(args.save.as_deref());
    }
    if args.lora_rank == 0 || args.iters == 0 || args.eval_every == 0 {
        return Err(user_error("--lora-rank, --iters and --eval-every must be at least 1"));
    }
    let from = args.from.clone().unwrap_or(root.join("target/course-train"));
    let (base, tokenizer) = super::generate::load(&from)?;
    let mut stored =
        checkpoint::load_run::<Stored>(&from).map_err(|e| user_error(format!("{e:#}")))?.config;
    let (text, name) = match args.corpus.source() {
        Source::Embedded => (CHINESE.to_string(), "the embedded corpus's Chinese half".into()),
        source @ Source::File(_) => (args.corpus.read()?, source.name()),
    };
    let ids = tokenizer.encode(&text).map_err(|e| {
        user_error(format!(
            "{name}: {e} of {}: adapt to a text in the base's characters, or train the base \
             with --tokenizer bpe",
            from.display()
        ))
    })?;
    let (train, val) = train_val_split(&ids, 0.9);
    let (batch, context) = (stored.run.recipe.batch, stored.run.recipe.context);
    if val.len() <= context + 1 {
        return Err(user_error(format!(
            "{name}: {} tokens, so the held-out 10 % cannot fill one window of {}; use a \
             longer text",
            ids.len(),
            context + 1
        )));
    }
    let lr = args.lr.unwrap_or(if args.full { 1e-3 } else { 3e-3 });
    let cfg = LoopConfig {
        batch,
        context,
        warmup: args.iters / 10,
        max_steps: args.iters,
        max_lr: lr,
        min_lr: lr / 10.0,
        grad_clip: 1.0,
    };
    let seed = stored.run.seed;
    let full_count = trainable_count(&base);
    let (merged, losses, val_losses, secs) = if args.full {
        println!(
            "full fine-tune of {}: {} trainable parameters",
            from.display(),
            full_count.trainable
        );
        let mut model = base;
        let (l, v, s) = adapt(&mut model, (train, val), &cfg, args.eval_every, seed)?;
        (model, l, v, s)
    } else {
        let alpha = args.lora_alpha.unwrap_or(2.0 * args.lora_rank as f32);
        let lora = LoraConfig { rank: args.lora_rank, alpha };
        let mut model = LoraGpt::new(&Cpu::seed_from_u64(seed), &base, lora);
        let c = trainable_count(&model);
        println!(
            "LoRA r = {}, α = {alpha} on {} of {}: {} trainable of {} ({:.2} %); AdamW state \
             {} bytes, against {} for a full fine-tune",
            lora.rank,
            TARGET_MODULES.join(", "),
            from.display(),
            c.trainable,
            c.total,
            100.0 * c.trainable as f64 / c.total as f64,
            c.adamw_bytes,
            full_count.adamw_bytes
        );
        let (l, v, s) = adapt(&mut model, (train, val), &cfg, args.eval_every, seed)?;
        (model.merge(), l, v, s)
    };
    let out = args.out.clone().unwrap_or(root.join("target/course-finetune"));
    stored.corpus = name;
    stored.run.corpus_fnv = format!("{:016x}", super::train_config::fnv1a(text.as_bytes()));
    let state = RunState { config: stored.clone(), step: 0, seed, losses, val_losses };
    let opt = AdamW::new(&merged, stored.run.adamw);
    checkpoint::save(&out, &merged, &opt, &state).map_err(|e| user_error(format!("{e:#}")))?;
    let (first, last) = (state.val_losses[0].1, state.val_losses.last().unwrap().1);
    println!(
        "done: validation loss {first:.3} -> {last:.3} in {secs:.1} s of training; merged model \
         in {}. Try: cargo course generate --checkpoint {} \"…\"",
        out.display(),
        out.display()
    );
    Ok(())
}

type Curves = (Vec<f32>, Vec<(u64, f32)>, f64);

/// §3.5's loop on `model` with `train`'s progress bar; the validation loss at step 0 and
/// every `eval_every` steps.
fn adapt<M: LanguageModel>(
    model: &mut M,
    (train, val): (&[u32], &[u32]),
    cfg: &LoopConfig,
    eval_every: usize,
    seed: u64,
) -> Result<Curves> {
    let mut opt = AdamW::new(model, solutions::training::adamw_groups::AdamWConfig::nanogpt());
    let mut grads = model.alloc_grads();
    let eval = |m: &M| evaluate(m, val, cfg.batch, cfg.context, 10, VAL_SEED);
    let (mut losses, mut val_losses, mut secs) = (vec![], vec![(0, eval(model))], 0.0);
    let bar = progress_bar(cfg.max_steps as u64, 0);
    for step in 0..cfg.max_steps as u64 {
        let (x, y) = training_batch(train, cfg, seed, step);
        let start = Instant::now();
        let stats = train_step(model, &mut opt, &mut grads, (&x, &y), step, cfg)?;
        secs += start.elapsed().as_secs_f64();
        losses.push(stats.loss);
        bar.set_position(step + 1);
        bar.set_message(format!("loss {:.3}", stats.loss));
        if (step + 1) % eval_every as u64 == 0 || step + 1 == cfg.max_steps as u64 {
            let v = eval(model);
            val_losses.push((step + 1, v));
            bar.suspend(|| {
                println!("step {:>5}/{}: validation loss {v:.3}", step + 1, cfg.max_steps)
            });
        }
    }
    bar.finish();
    Ok((losses, val_losses, secs))
}

/// The page's experiment, printed as its table (and stored with `--save`).
fn compare(save: Option<&Path>) -> Result<()> {
    let setup = FinetuneSetup::page();
    println!("pre-training on English, then LoRA and full fine-tuning on Chinese ({setup:?})");
    let mut run = compare_finetunes(&setup, 0);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let profile = if cfg!(debug_assertions) { "dev" } else { "release" };
    run.provenance = format!(
        "cargo course finetune --compare ({profile} build), load average {}; {}",
        load.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
        run.provenance
    );
    println!(
        "pre-trained: English validation loss {:.3}, Chinese {:.3} ({:.1} s)",
        run.pretrained_english_val, run.pretrained_chinese_val, run.pretrain_seconds
    );
    println!("| method | trainable | Chinese val. loss | English val. loss after | time |");
    for r in [&run.lora, &run.full] {
        println!(
            "| {} | {} ({:.2} %) | {:.3} | {:.3} | {:.1} s |",
            r.method,
            r.count.trainable,
            100.0 * r.count.trainable as f64 / r.count.total as f64,
            r.chinese_val.last().map_or(f32::NAN, |v| v.1),
            r.english_val_after,
            r.seconds
        );
    }
    if let Some(path) = save {
        let json = serde_json::to_string_pretty(&run)?;
        std::fs::write(path, json + "\n").with_context(|| format!("{}", path.display()))?;
        println!("saved to {}", path.display());
    }
    Ok(())
}
