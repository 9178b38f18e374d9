//! End to end: `cargo course generate` on a tiny checkpoint trained for a few steps. Each
//! bad input is one line with exit status 2; greedy and beam search are deterministic;
//! sampling follows its seed; every flag is accepted; the KV cache changes no token.

use std::path::{Path, PathBuf};
mod common;

use common::course;
use std::process::Output;

/// A tiny character-level checkpoint (seconds in the dev profile) in `dir/run`.
fn checkpoint(dir: &Path) -> PathBuf {
    let lines: Vec<String> =
        (0..60).map(|i| format!("line {i}: the lower newest widest low {}", i * 7 % 13)).collect();
    let corpus = dir.join("tiny.txt");
    std::fs::write(&corpus, lines.join("\n")).unwrap();
    let out = dir.join("run");
    let (c, o) = (corpus.to_str().unwrap(), out.to_str().unwrap());
    let mut args = vec!["train", "--corpus", c, "--out", o, "--layers", "1", "--heads", "2"];
    args.extend(["--width", "16", "--context", "16", "--batch", "4", "--iters", "4"]);
    args.extend(["--eval-every", "4", "--sample-len", "4"]);
    let r = course(&args);
    assert!(r.status.success(), "training failed: {}", String::from_utf8_lossy(&r.stderr));
    out
}

fn generate(ckpt: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["generate", "the low", "--checkpoint", ckpt.to_str().unwrap()];
    args.extend(["--max-new-tokens", "12"]);
    args.extend(extra);
    course(&args)
}

fn assert_one_line_error(out: &Output, says: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "expected exit 2; stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "not one line: {stderr}");
    assert!(stderr.contains(says), "the error does not say {says:?}: {stderr}");
}

#[test]
fn generate_rejects_bad_checkpoints_values_and_prompts_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    assert_one_line_error(&generate(&missing, &[]), "cannot read checkpoint");
    let ckpt = checkpoint(dir.path());
    for (flags, says) in [
        (&["--top-p", "0"][..], "top-p must be in (0, 1]"),
        (&["--top-p", "1.5"], "top-p must be in (0, 1]"),
        (&["--temperature", "0"], "greedy"),
        (&["--temperature", "-1"], "temperature must be"),
        (&["--num-beams", "0"], "num-beams must be at least 1"),
        (&["--top-k", "0"], "top-k must be at least 1"),
        (&["--repetition-penalty", "0"], "repetition-penalty must be"),
    ] {
        assert_one_line_error(&generate(&ckpt, flags), says);
    }
    let c = ckpt.to_str().unwrap();
    assert_one_line_error(
        &course(&["generate", "the λ", "--checkpoint", c]),
        "not in the vocabulary",
    );
    // A corrupt checkpoint: the weights cut in half.
    let weights = ckpt.join("model.safetensors");
    let bytes = std::fs::read(&weights).unwrap();
    std::fs::write(&weights, &bytes[..bytes.len() / 2]).unwrap();
    assert_one_line_error(&generate(&ckpt, &[]), "model.safetensors");
}

#[test]
fn generate_streams_with_every_flag() {
    let dir = tempfile::tempdir().unwrap();
    let ckpt = checkpoint(dir.path());
    let text = |o: &Output| {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout.clone()).unwrap()
    };
    let greedy = text(&generate(&ckpt, &[]));
    assert!(greedy.starts_with("the low"), "the prompt is echoed first: {greedy:?}");
    assert!(greedy.trim_end().chars().count() > "the low".len(), "nothing generated: {greedy:?}");
    assert_eq!(greedy, text(&generate(&ckpt, &[])), "greedy decoding is deterministic");
    let sampled = ["--temperature", "1.5", "--top-k", "20", "--top-p", "0.95", "--seed", "3"];
    assert_eq!(text(&generate(&ckpt, &sampled)), text(&generate(&ckpt, &sampled)), "seeded");
    // §5.5: the KV cache changes no token (the checkpoint's context is 16, so 12 new
    // tokens after a 7-character prompt also run past it, where the window slides).
    assert_eq!(greedy, text(&generate(&ckpt, &["--no-cache"])), "greedy, without the cache");
    let uncached = [&sampled[..], &["--no-cache"]].concat();
    assert_eq!(text(&generate(&ckpt, &sampled)), text(&generate(&ckpt, &uncached)), "sampled");
    for flags in [
        &["--repetition-penalty", "1.3"][..],
        &["--no-repeat-ngram-size", "2"],
        &["--num-beams", "3", "--length-penalty", "0.5"],
    ] {
        let out = text(&generate(&ckpt, flags));
        assert!(out.starts_with("the low"), "{flags:?}: {out:?}");
    }
}
