//! End to end: `cargo course train` on a tiny model and corpus. Bad corpora and bad
//! checkpoints are one line naming the file (exit 2); a run writes its checkpoint and loss
//! curve; stopping halfway and resuming gives the uninterrupted run's losses bit for bit.

use serde_json::Value;
use std::path::{Path, PathBuf};
mod common;

use common::course;
use std::process::Output;

/// A small English and Chinese text, long enough for windows of 16 in its held-out tenth.
fn corpus(dir: &Path) -> PathBuf {
    let lines: Vec<String> = (0..60)
        .map(|i| format!("line {i}: the lower newest widest low 语言模型 {}", i * 7 % 13))
        .collect();
    let path = dir.join("tiny.txt");
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

/// Trains the tiny model (seconds even in the dev profile) with `extra` flags.
fn train(corpus: &Path, out: &Path, extra: &[&str]) -> Output {
    let (c, o) = (corpus.to_str().unwrap(), out.to_str().unwrap());
    let mut args = vec!["train", "--corpus", c, "--out", o, "--layers", "1", "--heads", "2"];
    args.extend(["--width", "16", "--context", "16", "--batch", "4", "--lr", "3e-3"]);
    args.extend(["--iters", "8", "--eval-every", "4", "--sample-len", "8"]);
    args.extend(extra);
    course(&args)
}

fn run_json(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("checkpoint.json")).unwrap()).unwrap()
}

fn assert_one_line_error(out: &Output, names: &str, says: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "expected exit 2; stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "not one line: {stderr}");
    assert!(stderr.contains(names), "the error does not name {names}: {stderr}");
    assert!(stderr.contains(says), "the error does not say {says:?}: {stderr}");
}

#[test]
fn train_rejects_bad_corpora_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("binary.bin");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\x00\x00").unwrap();
    let missing = dir.path().join("missing.txt");
    for (path, says) in [(&missing, "no such file"), (&binary, "looks binary")] {
        let p = path.to_str().unwrap();
        assert_one_line_error(&course(&["train", "--corpus", p]), p, says);
    }
}

#[test]
fn train_writes_a_checkpoint_and_a_loss_curve() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let o = train(&corpus(dir.path()), &out, &[]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&o.stderr));
    for name in ["model.safetensors", "optimizer.safetensors", "checkpoint.json"] {
        assert!(out.join(name).is_file(), "no {name} in the checkpoint directory");
    }
    let svg = std::fs::read_to_string(out.join("loss.svg")).expect("no loss.svg");
    assert!(svg.contains("<svg") && svg.contains("validation"), "loss.svg has no curves");
    let run = run_json(&out);
    assert_eq!(run["step"], 8, "the checkpoint should be at the last step");
    assert_eq!(run["losses"].as_array().unwrap().len(), 8, "one training loss per step");
    assert_eq!(run["val_losses"].as_array().unwrap().len(), 2, "evaluations at steps 4 and 8");
    assert!(stdout.contains("validation loss"), "no evaluation printed: {stdout}");
}

#[test]
fn train_stopped_and_resumed_gives_the_same_losses_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    let text = corpus(dir.path());
    let (whole, halves) = (dir.path().join("whole"), dir.path().join("halves"));
    assert!(train(&text, &whole, &[]).status.success());
    let o = train(&text, &halves, &["--stop-after", "3"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The halted run really stopped: otherwise the comparison below proves nothing.
    assert_eq!(run_json(&halves)["losses"].as_array().unwrap().len(), 3, "did not stop at 3");
    let h = halves.to_str().unwrap();
    let o = course(&["train", "--corpus", text.to_str().unwrap(), "--resume", h]);
    assert!(o.status.success(), "resume failed: {}", String::from_utf8_lossy(&o.stderr));
    let (a, b) = (run_json(&whole), run_json(&halves));
    // JSON floats are printed in full (shortest round-trip form), so equality is bitwise.
    assert_eq!(a["losses"], b["losses"], "training losses differ after the resume");
    assert_eq!(a["val_losses"], b["val_losses"], "validation losses differ after the resume");
}

#[test]
fn train_resume_refuses_damaged_or_mismatched_checkpoints() {
    let dir = tempfile::tempdir().unwrap();
    let text = corpus(dir.path());
    let t = text.to_str().unwrap();
    let out = dir.path().join("run");
    assert!(train(&text, &out, &["--stop-after", "2"]).status.success());
    let o = out.to_str().unwrap();
    // Another model shape than the checkpoint's: the differing field is named.
    let json = out.join("checkpoint.json");
    let wrong = course(&["train", "--corpus", t, "--resume", o, "--layers", "2"]);
    assert_one_line_error(&wrong, json.to_str().unwrap(), "layers");
    // A truncated weights file, as a crash in the middle of a copy would leave.
    let model = out.join("model.safetensors");
    let bytes = std::fs::read(&model).unwrap();
    std::fs::write(&model, &bytes[..bytes.len() / 2]).unwrap();
    let broken = course(&["train", "--corpus", t, "--resume", o]);
    assert_one_line_error(&broken, model.to_str().unwrap(), "not a valid safetensors");
}
