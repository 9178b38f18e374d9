//! Running a long command (a `cargo install`, a notebook) with its output in a log
//! file, behind a spinner that shows the elapsed time and the log's latest line. Off a
//! terminal (CI) it prints a line a minute instead, so the job never looks hung.

use super::{cargo, command, shell_line};
use anyhow::{Context, Result};
use std::io::{IsTerminal, Read, Seek, SeekFrom};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `argv` in `dir` with its output in `log`, showing `label` and the log's latest
/// line behind a spinner on a terminal, or a line a minute elsewhere (CI logs).
pub fn run_logged(label: &str, argv: &[String], dir: &Path, log: &Path) -> Result<bool> {
    std::fs::create_dir_all(log.parent().unwrap_or(dir))?;
    let file = std::fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
    let mut cmd = if argv[0] == "cargo" { Command::new(cargo()) } else { command(&argv[0]) };
    cmd.args(&argv[1..]).current_dir(dir).stdin(Stdio::null());
    cmd.stdout(file.try_clone()?).stderr(file);
    // One shared target folder: the four cargo installs have many crates in common.
    if argv[0] == "cargo" && std::env::var_os("CARGO_TARGET_DIR").is_none() {
        cmd.env("CARGO_TARGET_DIR", dir.join("target/course/tools-build"));
    }
    let mut child = cmd.spawn().with_context(|| format!("starting `{}`", shell_line(argv)))?;
    let tty = std::io::stderr().is_terminal();
    let spinner = indicatif::ProgressBar::new_spinner();
    if tty {
        let style = indicatif::ProgressStyle::with_template(
            "{spinner} {prefix} {wide_msg} {elapsed_precise}",
        )
        .expect("valid template");
        spinner.set_style(style);
        spinner.set_prefix(label.to_string());
        spinner.enable_steady_tick(Duration::from_millis(120));
    } else {
        spinner.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let start = Instant::now();
    let mut last_note = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(Duration::from_millis(200));
        let latest = last_line(log).unwrap_or_default();
        spinner.set_message(latest.clone());
        if !tty && last_note.elapsed() >= Duration::from_secs(60) {
            eprintln!("  … {label}: {} so far, {latest}", elapsed(start.elapsed()));
            last_note = Instant::now();
        }
    };
    spinner.finish_and_clear();
    Ok(status.success())
}

/// The last non-empty line of a log, trimmed, read from its tail only.
fn last_line(log: &Path) -> Option<String> {
    let mut f = std::fs::File::open(log).ok()?;
    let len = f.metadata().ok()?.len();
    f.seek(SeekFrom::Start(len.saturating_sub(2048))).ok()?;
    let mut tail = String::new();
    f.take(2048).read_to_string(&mut tail).ok();
    tail.lines().rev().map(str::trim).find(|l| !l.is_empty()).map(|l| l.chars().take(100).collect())
}

/// `1m05s` or `42s`.
pub fn elapsed(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}
