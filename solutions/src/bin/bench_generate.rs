//! `cargo course bench generate`: §5.5's KV cache against recomputation, in one run.
//!
//! On `cargo course train`'s default model shape (4 layers, 4 heads, width 128, the
//! embedded corpus's characters as vocabulary) with room for 256 positions and random
//! weights, greedy generation from an 8-character prompt grows the sequence to each context
//! length, once with the cache and once recomputing the prefix at every step. Printed:
//! milliseconds per generated token both ways (median of the repeats) and their ratio; the
//! run fails if the two ways generate different tokens. `--save FILE` stores the table as
//! JSON (the book's figure `kv_cache_speedup.svg` is drawn from the stored table).
//! Built with `--release` by the course CLI.
//!
//! Flags: `--contexts 32,64,128,256`, `--repeats 3`, `--save FILE`.

use solutions::inference::generation_speed::{bench_model, time_generation, Speed, SpeedupTable};
use solutions::nlp::corpus::Source;
use solutions::training::token_stream::Tokenizer;

fn main() {
    let (mut contexts, mut repeats, mut save) = (vec![32, 64, 128, 256], 3usize, None);
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| fail(&format!("{flag} needs a value")));
        match flag.as_str() {
            "--contexts" => {
                let v = value();
                contexts =
                    v.split(',').map(|c| c.trim().parse().unwrap_or_else(|_| fail(&v))).collect()
            }
            "--repeats" => repeats = value().parse().unwrap_or_else(|_| fail("--repeats N")),
            "--save" => save = Some(value()),
            other => fail(&format!("unknown flag {other}; use --contexts, --repeats, --save")),
        }
    }
    let text = Source::from_option(None).read().unwrap_or_else(|e| fail(&e.to_string()));
    let tokenizer = Tokenizer::chars(&text);
    let prompt: Vec<usize> =
        tokenizer.encode(&text[..8]).unwrap().into_iter().map(|t| t as usize).collect();
    let longest = *contexts.iter().max().unwrap_or(&256);
    let model = bench_model(tokenizer.vocab_size(), longest.max(prompt.len() + 1), 1337);
    let c = model.config;
    println!(
        "KV cache against recomputation: greedy generation from an {}-token prompt, GPT with \
         {} layers × {} heads × width {}, vocabulary {}, random weights, median of {repeats}",
        prompt.len(),
        c.layers,
        c.heads,
        c.d_model,
        c.vocab
    );
    println!(
        "  {:>8} {:>11} {:>16} {:>19} {:>9}",
        "context", "new tokens", "cached ms/token", "recomputed ms/token", "speed-up"
    );
    let mut rows = vec![];
    for &n in &contexts {
        let mut runs: Vec<Speed> = (0..repeats.max(1))
            .map(|_| {
                let (speed, [with, without]) = time_generation(&model, &prompt, n);
                if with != without {
                    fail(&format!("context {n}: the cache generated different tokens"));
                }
                speed
            })
            .collect();
        let median = |key: fn(&Speed) -> f64, runs: &mut Vec<Speed>| {
            runs.sort_by(|a, b| key(a).total_cmp(&key(b)));
            key(&runs[runs.len() / 2])
        };
        let cached_ms = median(|s| s.cached_ms, &mut runs);
        let recomputed_ms = median(|s| s.recomputed_ms, &mut runs);
        let row = Speed { context: n, new_tokens: n - prompt.len(), cached_ms, recomputed_ms };
        println!(
            "  {:>8} {:>11} {:>16.3} {:>19.3} {:>8.1}×",
            n,
            row.new_tokens,
            row.cached_ms,
            row.recomputed_ms,
            row.speedup()
        );
        rows.push(row);
    }
    println!("  identical tokens both ways at every context (asserted)");
    if let Some(path) = save {
        let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
        let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
        let provenance = format!(
            "cargo course bench generate (release build), {cores} cores, load average {}, median of {repeats}",
            load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
        );
        let table = SpeedupTable { provenance, model: c, rows };
        let json = serde_json::to_string_pretty(&table).unwrap() + "\n";
        std::fs::write(&path, json).unwrap_or_else(|e| fail(&format!("writing {path}: {e}")));
        println!("  table saved to {path}");
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(2);
}
