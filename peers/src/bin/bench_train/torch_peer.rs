//! The PyTorch side of the training benchmark: `peers/torch/train_gpt.py --blocks`, driven
//! a block of iterations at a time over its standard input and output.

use super::{summarise, Args, Measured};
use serde_json::Value;
use solutions::nlp::corpus::Source;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// The PyTorch peer, a Python process that trains a block whenever it is told to.
pub struct Peer {
    child: Child,
    /// Taken and closed by `finish`.
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    times: Vec<f64>,
    cpu_s: f64,
}

impl Peer {
    /// Starts the peer, or says how to get it and returns `None`.
    pub fn start(source: &Source, text: &str, args: &Args) -> Option<Peer> {
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        let has_torch = Command::new(&python)
            .args(["-c", "import torch"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !has_torch {
            eprintln!(
                "PyTorch is not installed for {python}, so only ours runs. Install it with \
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
        eprintln!("starting the PyTorch peer ({script}); the two sides take turns");
        let mut child = Command::new(&python)
            .arg(script)
            .arg("--corpus")
            .arg(&path)
            .args([
                "--iters",
                &args.iters.to_string(),
                "--eval-iters",
                &args.eval_iters.to_string(),
            ])
            .args(["--seed", &args.seed.to_string(), "--blocks"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| eprintln!("could not start {python}: {e}"))
            .ok()?;
        let stdin = child.stdin.take()?;
        let stdout = BufReader::new(child.stdout.take()?);
        Some(Peer { child, stdin: Some(stdin), stdout, times: vec![], cpu_s: 0.0 })
    }

    /// The peer's next `n` iterations: it answers with their times and CPU seconds.
    pub fn run(&mut self, n: usize) -> Result<(), String> {
        let stdin = self.stdin.as_mut().ok_or("its input is closed")?;
        writeln!(stdin, "{n}").and_then(|_| stdin.flush()).map_err(|e| e.to_string())?;
        let reply = self.line()?;
        let times = reply["times"].as_array().ok_or("its answer has no times")?;
        self.times.extend(times.iter().filter_map(Value::as_f64));
        self.cpu_s += reply["cpu_seconds"].as_f64().unwrap_or(f64::NAN);
        Ok(())
    }

    /// Closes the peer's input, so that it evaluates and prints its summary.
    pub fn finish(mut self) -> Result<Measured, String> {
        drop(self.stdin.take());
        let json = self.line()?;
        let status = self.child.wait().map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("it exited with {status}"));
        }
        let (median_s, mean_s) = summarise(&self.times);
        Ok(Measured {
            name: format!(
                "{} ({} threads)",
                json["peer"].as_str().unwrap_or("torch"),
                json["threads"].as_u64().unwrap_or(0)
            ),
            val_loss: json["val_loss"].as_f64().unwrap_or(f64::NAN),
            median_s,
            mean_s,
            cpu_s: self.cpu_s / self.times.len().max(1) as f64,
            peak_rss_mb: json["peak_rss_mb"].as_f64().unwrap_or(f64::NAN),
        })
    }

    /// One JSON line from the peer.
    fn line(&mut self) -> Result<Value, String> {
        let mut line = String::new();
        match self.stdout.read_line(&mut line) {
            Ok(0) => Err("it closed its output (its error is above)".into()),
            Ok(_) => serde_json::from_str(&line).map_err(|e| format!("{e} in {line:?}")),
            Err(e) => Err(e.to_string()),
        }
    }
}
