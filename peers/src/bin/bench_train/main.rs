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
//!
//! The two sides take turns of `--block` iterations (the peer waits on its input between
//! turns), not one whole run after the other: a shared machine's speed drifts by 20–30 %
//! within minutes, and one side would otherwise be timed in a fast phase and the other in
//! a slow one. Interleaved, both see the same phases, and the ratio is what it measures.

use clap::Parser;
use solutions::architectures::gpt::{Gpt, GptConfig, Positions};
use solutions::nlp::corpus::Source;
use solutions::training::adamw_groups::{AdamW, AdamWConfig};
use solutions::training::data_loader::train_val_split;
use solutions::training::token_stream::Tokenizer;
use solutions::training::train_loop::{evaluate, train_step, training_batch, LoopConfig};
use std::path::PathBuf;
use std::time::Instant;
use torch_peer::Peer;

mod torch_peer;

#[derive(Parser)]
#[command(about = "nanoGPT's CPU recipe on our GPT and on PyTorch's, same run")]
struct Args {
    /// A UTF-8 text file (default: the embedded corpus).
    #[arg(long, value_name = "FILE")]
    corpus: Option<PathBuf>,
    /// Training iterations (the recipe's 2000 by default; the schedule follows).
    #[arg(long, default_value_t = 2000)]
    iters: usize,
    /// Iterations per turn: the two sides take turns, so both see the same phases of a
    /// shared machine's speed.
    #[arg(long, default_value_t = 100)]
    block: usize,
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
    let mut ours = Ours::new(&text, &args);
    let mut peer = Peer::start(&source, &text, &args);
    // Turns of `block` iterations each: ours, then the peer's.
    let mut done = 0;
    while done < args.iters {
        let n = args.block.max(1).min(args.iters - done);
        ours.run(n);
        if let Some(p) = &mut peer {
            if let Err(e) = p.run(n) {
                eprintln!("the PyTorch peer stopped: {e}; only ours goes on");
                peer = None;
            }
        }
        done += n;
    }
    let ours = ours.finish(&args);
    let torch = peer.and_then(|p| p.finish().map_err(|e| eprintln!("the PyTorch peer: {e}")).ok());
    report(&source, &args, &ours, torch.as_ref());
}

fn report(source: &Source, args: &Args, ours: &Measured, torch: Option<&Measured>) {
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
    let sides = [Some(ours), torch].into_iter().flatten();
    let width = sides.clone().map(|m| m.name.len()).max().unwrap_or(22);
    for m in sides {
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
    if let Some(t) = torch {
        println!(
            "  time per iteration, ours / PyTorch: {:.2}× (median), {:.2}× (mean); the sides \
             took turns of {} iterations",
            ours.median_s / t.median_s,
            ours.mean_s / t.mean_s,
            args.block
        );
        // Wall time suffers when other processes share the cores (PyTorch's OpenMP threads
        // spin while they wait); CPU time per iteration is the steadier comparison then.
        println!("  CPU time per iteration, ours / PyTorch: {:.2}×", ours.cpu_s / t.cpu_s);
    }
}

/// Our GPT in training, one turn at a time.
struct Ours {
    model: Gpt,
    opt: AdamW,
    grads: dfdx::prelude::Gradients<f32, dfdx::prelude::Cpu>,
    train: Vec<u32>,
    val: Vec<u32>,
    recipe: LoopConfig,
    seed: u64,
    times: Vec<f64>,
    cpu_s: f64,
}

impl Ours {
    fn new(text: &str, args: &Args) -> Self {
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
        let model = Gpt::new(&dfdx::prelude::Cpu::seed_from_u64(args.seed), model_cfg);
        let opt = AdamW::new(&model, AdamWConfig::nanogpt());
        let grads = dfdx::nn::ZeroGrads::alloc_grads(&model);
        let (train, val) = (train.to_vec(), val.to_vec());
        let times = Vec::with_capacity(args.iters);
        Self { model, opt, grads, train, val, recipe, seed: args.seed, times, cpu_s: 0.0 }
    }

    /// The next `n` iterations.
    fn run(&mut self, n: usize) {
        let cpu_start = cpu_seconds();
        for _ in 0..n {
            let step = self.times.len() as u64;
            let start = Instant::now();
            let batch = training_batch(&self.train, &self.recipe, self.seed, step);
            let (x, y) = (&batch.0[..], &batch.1[..]);
            let (model, opt, grads) = (&mut self.model, &mut self.opt, &mut self.grads);
            let stats = train_step(model, opt, grads, (x, y), step, &self.recipe)
                .expect("CPU training step");
            self.times.push(start.elapsed().as_secs_f64());
            if step.is_multiple_of(250) {
                eprintln!("ours iter {step}: loss {:.4}", stats.loss);
            }
        }
        self.cpu_s += cpu_seconds() - cpu_start;
    }

    fn finish(self, args: &Args) -> Measured {
        let val_loss = evaluate(&self.model, &self.val, 12, 64, args.eval_iters, self.seed ^ 1);
        let (median_s, mean_s) = summarise(&self.times);
        Measured {
            name: format!("ours (dfdx, {} threads)", rayon_threads()),
            val_loss: val_loss as f64,
            median_s,
            mean_s,
            cpu_s: self.cpu_s / self.times.len().max(1) as f64,
            peak_rss_mb: peak_rss_mb().unwrap_or(f64::NAN),
        }
    }
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
