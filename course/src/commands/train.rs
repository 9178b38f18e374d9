//! `cargo course train`: §3.5's tiny GPT trained end to end on a corpus (训练一个小 GPT).
//!
//! nanoGPT's `train.py` (Karpathy) as one command: a character-level or byte-level BPE
//! token stream with a held-out split, the GPT of §3.2, AdamW with nanoGPT's decay groups,
//! warm-up then cosine decay, clipping by global norm; a progress bar, a validation loss and
//! samples at each evaluation, checkpoints (safetensors + JSON) that resume exactly, Ctrl-C
//! that saves, and a loss-curve SVG at the end. The pieces live in `solutions::training`;
//! this file only wires them to files and the terminal. The flags and defaults are in
//! `train_config.rs`, the plot in `train_plot.rs`.

use super::train_config::{apply_flags, fnv1a, fresh};
pub use super::train_config::{Args, Stored, TokenizerKind, TrainConfig};
use super::train_plot::write_loss_curve;
use crate::user_error;
use anyhow::Result;
use dfdx::prelude::Cpu;
use solutions::architectures::gpt::Gpt;
use solutions::nlp::corpus::{Source, CHINESE, ENGLISH};
use solutions::training::adamw_groups::AdamW;
use solutions::training::checkpoint::{self, RunState};
use solutions::training::data_loader::train_val_split;
use solutions::training::sample::generate;
use solutions::training::token_stream::Tokenizer;
use solutions::training::train_loop::{evaluate, train_step, training_batch};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Validation batches get a seed of their own, fixed for the run (see `evaluate`).
const VAL_SEED_SALT: u64 = 0x7661_6c69_6461_7465; // "validate"

pub fn run(root: &Path, args: Args) -> Result<()> {
    let text = args.corpus.read()?;
    let fnv = format!("{:016x}", fnv1a(text.as_bytes()));
    let stored = match &args.resume {
        Some(dir) => {
            let stored = checkpoint::load_run::<Stored>(dir)
                .map_err(|e| user_error(format!("{e:#}")))?
                .config;
            if stored.run.corpus_fnv != fnv {
                return Err(user_error(format!(
                    "{}: saved from another text ({}); resume with the same --corpus",
                    dir.join(checkpoint::RUN_FILE).display(),
                    stored.corpus
                )));
            }
            let wanted = apply_flags(&args, stored.run.clone(), stored.run.model.vocab);
            checkpoint::ensure_same_config(dir, &stored.run, &wanted)
                .map_err(|e| user_error(format!("{e:#}")))?;
            stored
        }
        None => fresh(&args, &text, fnv)?,
    };
    let cfg = stored.run.clone();
    let tokenizer = Tokenizer::from_spec(&stored.tokenizer);
    // The embedded corpus is English, then Chinese: held out as one block, its last 10 %
    // would be all Chinese. Each language is split on its own instead.
    let parts: Vec<&str> = match args.corpus.source() {
        Source::Embedded => vec![ENGLISH, CHINESE],
        Source::File(_) => vec![text.as_str()],
    };
    let (mut train, mut val, mut total) = (vec![], vec![], 0);
    for part in parts {
        let ids = tokenizer.encode(part).map_err(|e| user_error(format!("corpus: {e}")))?;
        let (t, v) = train_val_split(&ids, 0.9);
        total += ids.len();
        train.extend_from_slice(t);
        val.extend_from_slice(v);
    }
    let (train, val) = (&train[..], &val[..]);
    let need = cfg.recipe.context + 1;
    if val.len() <= need {
        return Err(user_error(format!(
            "{}: {} tokens, so the held-out 10 % has {} and cannot fill one window of {need}; \
             use a longer text or a smaller --context",
            args.corpus.source().name(),
            total,
            val.len()
        )));
    }

    let mut model = Gpt::new(&Cpu::seed_from_u64(cfg.seed), cfg.model);
    let mut opt = AdamW::new(&model, cfg.adamw);
    let out = args.out.clone().or(args.resume.clone()).unwrap_or(root.join("target/course-train"));
    let mut state = match &args.resume {
        Some(dir) => checkpoint::load::<Stored, _>(dir, &mut model, &mut opt)
            .map_err(|e| user_error(format!("{e:#}")))?,
        None => RunState {
            config: stored.clone(),
            step: 0,
            seed: cfg.seed,
            losses: vec![],
            val_losses: vec![],
        },
    };
    let params: usize = opt.params().iter().map(|p| p.m.len()).sum();
    println!(
        "training a GPT of {:.2} M parameters ({} layers, {} heads, width {}, context {}) on {} \
         ({total} tokens, {}-level, vocabulary {}); checkpoints in {}",
        params as f64 / 1e6,
        cfg.model.layers,
        cfg.model.heads,
        cfg.model.d_model,
        cfg.model.context,
        stored.corpus,
        if cfg.tokenizer == TokenizerKind::Char { "character" } else { "BPE" },
        tokenizer.vocab_size(),
        out.display()
    );
    if state.step > 0 {
        println!("resuming at step {} of {}", state.step, cfg.iters);
    }

    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    // Subtle: the handler only sets a flag; the loop saves between steps, so a checkpoint is
    // never taken from half-updated weights. A second Ctrl-C quits at once.
    ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    })?;

    let bar = progress_bar(cfg.iters, state.step);
    let tokens_per_step = (cfg.recipe.batch * cfg.recipe.context) as f64;
    let mut grads = dfdx::nn::ZeroGrads::alloc_grads(&model);
    let mut rate: Option<f64> = None; // tokens per second, smoothed
    let (mut train_secs, first_step) = (0.0, state.step);
    let prompts = prompts(&text, &tokenizer);
    let save = |model: &Gpt, opt: &AdamW, state: &RunState<Stored>| -> Result<()> {
        checkpoint::save(&out, model, opt, state).map_err(|e| user_error(format!("{e:#}")))
    };
    while state.step < cfg.iters {
        let step = state.step;
        let start = Instant::now();
        let (x, y) = training_batch(train, &cfg.recipe, cfg.seed, step);
        let stats = train_step(&mut model, &mut opt, &mut grads, (&x, &y), step, &cfg.recipe)?;
        let secs = start.elapsed().as_secs_f64();
        train_secs += secs;
        let now = tokens_per_step / secs;
        rate = Some(rate.map_or(now, |r| 0.9 * r + 0.1 * now));
        state.losses.push(stats.loss);
        state.step += 1;
        bar.set_position(state.step);
        bar.set_message(format!("loss {:.3} · {:.0} tok/s", stats.loss, rate.unwrap_or(0.0)));
        if state.step % cfg.eval_every == 0 || state.step == cfg.iters {
            show_evaluation(&model, val, &mut state, &prompts, &tokenizer, &args, &bar);
            save(&model, &opt, &state)?;
        }
        let interrupted = stop.load(Ordering::SeqCst);
        if interrupted || args.stop_after == Some(state.step) {
            save(&model, &opt, &state)?;
            bar.abandon();
            let why = if interrupted { "interrupted" } else { "stopped" };
            println!(
                "{why} after step {}; saved to {}. Continue with: cargo course train --resume {}",
                state.step,
                out.display(),
                out.display()
            );
            if interrupted {
                std::process::exit(130);
            }
            return Ok(());
        }
    }
    bar.finish();
    let svg = out.join("loss.svg");
    write_loss_curve(&svg, &state.losses, &state.val_losses)?;
    let last = state.val_losses.last().map_or(f32::NAN, |v| v.1);
    let steps = (state.step - first_step).max(1) as f64;
    println!(
        "done: validation loss {last:.3}; {steps} steps in {train_secs:.0} s of training \
         ({:.0} ms per step, {:.0} tokens/s, evaluations not counted); loss curve in {}",
        1e3 * train_secs / steps,
        steps * tokens_per_step / train_secs,
        svg.display()
    );
    Ok(())
}

/// Measures the validation loss, records it in `state`, and prints it above the progress
/// bar with the mean training loss since the last evaluation and one sample per prompt.
fn show_evaluation(
    model: &Gpt,
    val: &[u32],
    state: &mut RunState<Stored>,
    prompts: &[Vec<u32>],
    tokenizer: &Tokenizer,
    args: &Args,
    bar: &indicatif::ProgressBar,
) {
    let cfg = state.config.run.clone();
    let v = evaluate(
        model,
        val,
        cfg.recipe.batch,
        cfg.recipe.context,
        cfg.eval_iters,
        cfg.seed ^ VAL_SEED_SALT,
    );
    state.val_losses.push((state.step, v));
    let recent = &state.losses[state.losses.len().saturating_sub(cfg.eval_every as usize)..];
    let train_mean = recent.iter().sum::<f32>() / recent.len() as f32;
    let samples: Vec<String> = prompts
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let seed = cfg.seed ^ state.step.rotate_left(17) ^ k as u64;
            let ids =
                generate(model, p, args.sample_len, cfg.model.context, args.temperature, seed);
            tokenizer.decode(&ids)
        })
        .collect();
    bar.suspend(|| {
        println!(
            "step {:>5}/{}: train loss {train_mean:.3}, validation loss {v:.3}",
            state.step, cfg.iters
        );
        for s in &samples {
            println!("    │ {}", s.replace('\n', "\n    │ "));
        }
    });
}

/// The starts of the first and the last line (English and Chinese in the embedded corpus),
/// so that the samples show both languages.
fn prompts(text: &str, tokenizer: &Tokenizer) -> Vec<Vec<u32>> {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let starts = [lines.first(), lines.last()].into_iter().flatten().map(|l| {
        let words: Vec<&str> = l.split_inclusive(' ').take(2).collect();
        words.concat().chars().take(12).collect::<String>()
    });
    let mut out: Vec<Vec<u32>> = vec![];
    for s in starts {
        let ids = tokenizer.encode(&s).unwrap_or_default();
        if !ids.is_empty() && !out.contains(&ids) {
            out.push(ids);
        }
    }
    out
}

/// The progress bar of a training run (also `finetune`'s).
pub(crate) fn progress_bar(len: u64, pos: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:30.cyan/blue} {pos}/{len} {msg} · {elapsed_precise}, ETA {eta}",
        )
        .expect("template"),
    );
    bar.set_position(pos);
    bar.reset_eta();
    bar
}
