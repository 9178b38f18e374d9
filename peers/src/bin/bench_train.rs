//! `cargo course bench train`: nanoGPT's CPU recipe on the course's dfdx GPT and on its
//! PyTorch peer (`peers/torch/train_gpt.py`), in the same run, on the same text.
//!
//! The recipe is nanoGPT's `config/train_shakespeare_char.py` for a CPU (Karpathy's README,
//! "I only have a macbook"): character level; 4 layers, 4 heads, width 128, context 64,
//! batch 12; 2000 iterations; AdamW with β₂ 0.99 and weight decay 0.1 on matrices and
//! embeddings; learning rate 1e-3 with 100 warm-up steps and a cosine decay to 1e-4;
//! clipping at global norm 1; no dropout. Printed: both validation losses (mean over the
//! same number of held-out batches), the time per iteration (median, and the ratio ours /
//! PyTorch), the CPU time per iteration (steadier than wall time on a shared machine) and
//! both peak resident memories. Built with `--release` by the course CLI. Threads: rayon's
//! (`RAYON_NUM_THREADS`) for ours, PyTorch's (`OMP_NUM_THREADS`) for the peer.

use clap::Parser;
use serde_json::Value;
use solutions::architectures::gpt::{Gpt, GptConfig, Positions};
use solutions::nlp::corpus::Source;
use solutions::training::adamw_groups::{AdamW, AdamWConfig};
use solutions::training::data_loader::train_val_split;
use solutions::training::token_stream::Tokenizer;
use solutions::training::train_loop::{evaluate, train_step, training_batch, LoopConfig};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

#[derive(Parser)]
#[command(about = "nanoGPT's CPU recipe on our GPT and on PyTorch's, same run")]
struct Args {
    /// A UTF-8 text file (default: the embedded corpus).
    #[arg(long, value_name = "FILE")]
    corpus: Option<PathBuf>,
    /// Training iterations (the recipe's 2000 by default; the schedule follows).
    #[arg(long, default_value_t = 2000)]
    iters: usize,
    /// Held-out batches in the final validation loss (as the peer's --eval-iters).
    #[arg(long, default_value_t = 20)]
    eval_iters: usize,
    #[arg(long, default_value_t = 1337)]
    seed: u64,
}

/// What one side measured.
struct Measured {
    name: String,
    val_loss: f64,
    median_s: f64,
    mean_s: f64,
    /// CPU time (all threads, user + system) per training iteration, warm-up included.
    cpu_s: f64,
    peak_rss_mb: f64,
}

/// Steps left out of the time per iteration: the first allocate and warm the caches.
const WARM_UP_STEPS: usize = 10;

fn main() {
    let args = Args::parse();
    let source = Source::from_option(args.corpus.clone());
    let text = source.read().unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(2);
    });
    let ours = train_ours(&text, &args);
    let torch = run_torch(&source, &text, &args);
    println!(
        "\nnanoGPT's CPU recipe on {}: {} iterations, character level, 4 layers × 4 heads × \
         width 128, context 64, batch 12",
        source.name(),
        args.iters
    );
    println!(
        "  {:<22} {:>9} {:>16} {:>15} {:>14}",
        "", "val loss", "median ms/iter", "mean ms/iter", "peak RSS MB"
    );
    let width = [Some(&ours), torch.as_ref()].into_iter().flatten().map(|m| m.name.len()).max();
    let width = width.unwrap_or(22);
    for m in [Some(&ours), torch.as_ref()].into_iter().flatten() {
        println!(
            "  {:<width$} {:>9.4} {:>16.1} {:>15.1} {:>14.0}   CPU {:.1} ms/iter",
            m.name,
            m.val_loss,
            1e3 * m.median_s,
            1e3 * m.mean_s,
            m.peak_rss_mb,
            1e3 * m.cpu_s,
        );
    }
    if let Some(t) = &torch {
        println!(
            "  time per iteration, ours / PyTorch: {:.2}× (median), {:.2}× (mean)",
            ours.median_s / t.median_s,
            ours.mean_s / t.mean_s
        );
        // Wall time suffers when other processes share the cores (PyTorch's OpenMP threads
        // spin while they wait); CPU time per iteration is the steadier comparison then.
        println!("  CPU time per iteration, ours / PyTorch: {:.2}×", ours.cpu_s / t.cpu_s);
    }
}

fn train_ours(text: &str, args: &Args) -> Measured {
    let tokenizer = Tokenizer::chars(text);
    let ids = tokenizer.encode(text).expect("a vocabulary built from the text covers it");
    let (train, val) = train_val_split(&ids, 0.9);
    let model_cfg = GptConfig {
        vocab: tokenizer.vocab_size(),
        context: 64,
        d_model: 128,
        heads: 4,
        layers: 4,
        positions: Positions::Learned,
    };
    let recipe = LoopConfig {
        batch: 12,
        context: 64,
        warmup: 100,
        max_steps: args.iters,
        max_lr: 1e-3,
        min_lr: 1e-4,
        grad_clip: 1.0,
    };
    let mut model = Gpt::new(&dfdx::prelude::Cpu::seed_from_u64(args.seed), model_cfg);
    let mut opt = AdamW::new(&model, AdamWConfig::nanogpt());
    let mut grads = dfdx::nn::ZeroGrads::alloc_grads(&model);
    let mut times = Vec::with_capacity(args.iters);
    let cpu_start = cpu_seconds();
    for step in 0..args.iters as u64 {
        let start = Instant::now();
        let batch = training_batch(train, &recipe, args.seed, step);
        let (x, y) = (&batch.0[..], &batch.1[..]);
        let stats = train_step(&mut model, &mut opt, &mut grads, (x, y), step, &recipe)
            .expect("CPU training step");
        times.push(start.elapsed().as_secs_f64());
        if step % 250 == 0 {
            eprintln!("ours iter {step}: loss {:.4}", stats.loss);
        }
    }
    let cpu_s = (cpu_seconds() - cpu_start) / args.iters.max(1) as f64;
    let val_loss = evaluate(&model, val, 12, 64, args.eval_iters, args.seed ^ 1) as f64;
    let (median_s, mean_s) = summarise(&times);
    Measured {
        name: format!("ours (dfdx, {} threads)", rayon_threads()),
        val_loss,
        median_s,
        mean_s,
        cpu_s,
        peak_rss_mb: peak_rss_mb().unwrap_or(f64::NAN),
    }
}

/// Runs the PyTorch peer, or says how to get it and returns `None`.
fn run_torch(source: &Source, text: &str, args: &Args) -> Option<Measured> {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let has_torch = Command::new(&python)
        .args(["-c", "import torch"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_torch {
        eprintln!(
            "PyTorch is not installed for {python}, so only ours ran. Install it with \
             `pip install torch` (the CPU wheel is enough) and run again."
        );
        return None;
    }
    // The peer reads a file; the embedded corpus is written to one first.
    let path = match source {
        Source::File(p) => p.clone(),
        Source::Embedded => {
            let p = std::env::temp_dir().join("course-bench-train-corpus.txt");
            std::fs::write(&p, text).expect("writing the corpus for the peer");
            p
        }
    };
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/torch/train_gpt.py");
    eprintln!("running the PyTorch peer ({script})…");
    let out = Command::new(&python)
        .arg(script)
        .arg("--corpus")
        .arg(&path)
        .args(["--iters", &args.iters.to_string(), "--eval-iters", &args.eval_iters.to_string()])
        .args(["--seed", &args.seed.to_string()])
        .stderr(Stdio::inherit())
        .output()
        .expect("running python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json: Value = match stdout.lines().last().map(serde_json::from_str) {
        Some(Ok(v)) if out.status.success() => v,
        _ => {
            eprintln!("the PyTorch peer failed ({}); its output: {stdout}", out.status);
            return None;
        }
    };
    let num = |k: &str| json[k].as_f64().unwrap_or(f64::NAN);
    Some(Measured {
        name: format!(
            "{} ({} threads)",
            json["peer"].as_str().unwrap_or("torch"),
            json["threads"].as_u64().unwrap_or(0)
        ),
        val_loss: num("val_loss"),
        median_s: num("seconds_per_iter_median"),
        mean_s: num("seconds_per_iter_mean"),
        cpu_s: num("cpu_seconds_per_iter"),
        peak_rss_mb: num("peak_rss_mb"),
    })
}

/// (median, mean) of the per-iteration times after the warm-up steps, as the peer computes.
fn summarise(times: &[f64]) -> (f64, f64) {
    let steady = if times.len() > WARM_UP_STEPS { &times[WARM_UP_STEPS..] } else { times };
    let mut sorted = steady.to_vec();
    sorted.sort_by(f64::total_cmp);
    (sorted[sorted.len() / 2], steady.iter().sum::<f64>() / steady.len() as f64)
}

/// CPU time this process has used so far, user + system, all threads (fields 14 and 15 of
/// /proc/self/stat, in clock ticks of 1/100 s; Linux only, else NaN).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Subtle: the command name (field 2) may contain spaces; the fields after it are
    // counted from its closing parenthesis.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    // Field 3 (the state letter) is the first after it, so utime (14) is the 12th.
    let fields: Vec<&str> = after.split_whitespace().collect();
    let tick = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
    match (tick(11), tick(12)) {
        (Some(user), Some(system)) => (user + system) / 100.0,
        _ => f64::NAN,
    }
}

/// The process's peak resident set (`VmHWM` in /proc/self/status; Linux only), in MiB as
/// the peer's `ru_maxrss / 1024`.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The threads our kernels and dfdx's may use: rayon's pool (`RAYON_NUM_THREADS`, else one
/// per core).
fn rayon_threads() -> usize {
    solutions::kernels::linear::threads()
}
