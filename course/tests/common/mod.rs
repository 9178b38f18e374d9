//! What the end-to-end tests share: running the `course` binary as a learner would, from
//! the checkout's root, with no terminal on stdin.

use std::path::Path;
use std::process::{Command, Output, Stdio};

pub fn course(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_course"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .stdin(Stdio::null())
        .output()
        .unwrap()
}
