//! End to end: every command that reads a corpus takes `--corpus FILE`, and a bad file is
//! one line on stderr naming it, with exit status 2, never a panic.

use std::path::{Path, PathBuf};
mod common;

use common::course;

fn file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn bad_corpus_files_are_one_line_errors_in_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases = [
        (d.join("missing.txt"), "no such file"),
        (d.to_path_buf(), "is a directory"),
        (file(d, "empty.txt", b""), "is empty"),
        (file(d, "binary.bin", b"\x89PNG\r\n\x1a\n\x00\x00"), "looks binary"),
        (file(d, "latin1.txt", b"na\xefve caf\xe9"), "is not valid UTF-8"),
    ];
    for (path, expected) in &cases {
        let p = path.to_str().unwrap();
        for args in [
            vec!["corpus", "--corpus", p],
            vec!["tokenize", "--corpus", p, "hello"],
            vec!["bench", "bpe", "--corpus", p],
        ] {
            let out = course(&args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
            assert_eq!(stderr.lines().count(), 1, "{args:?}: not one line: {stderr}");
            assert!(stderr.contains(p) && stderr.contains(expected), "{args:?}: {stderr}");
        }
    }
}

#[test]
fn a_small_corpus_of_ones_own_is_measured_and_tokenized() {
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> =
        (0..40).map(|i| format!("line {i}: the lower newest widest low 语言模型 {i}")).collect();
    let path = file(dir.path(), "mine.txt", lines.join("\n").as_bytes());
    let p = path.to_str().unwrap();

    let out = course(&["corpus", "--corpus", p]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.starts_with(p) && stdout.contains("§2.1") && stdout.contains("§2.6"),
        "{stdout}"
    );

    let out =
        course(&["tokenize", "--corpus", p, "-m", "byte-bpe", "--vocab", "300", "lowest low"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The pieces, joined, give the text back: byte-level BPE is lossless, and ASCII pieces
    // print as themselves (a piece may start with the space before its word).
    let row = stdout.lines().find(|l| l.contains("ByteBpe")).expect(&stdout);
    let pieces: Vec<&str> = row.split(" │ ").skip(1).collect();
    assert!(pieces.len() < "lowest low".len(), "no merge learned: {row}");
    assert_eq!(pieces.concat(), "lowest low", "{row}");

    let out = course(&["tokenize", "--corpus", p, "--vocab", "10", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--vocab 10: too small"));
}
