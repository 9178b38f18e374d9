//! Driving cargo for `course grade`: build the graded test binary with
//! `--message-format=json` (so compile errors come back with file and line), then run it
//! with `COURSE_GRADE_REPORT_DIR` set, and read one JSON report per exercise.
//!
//! This is `cargo test -p exercises --test grade` split in two: building first tells us
//! *which* exercise does not compile, and running the binary ourselves lets us grade a
//! patched copy of the crate without touching the learner's files.

use super::missing::TestRun;
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One compiler error, located at its primary span.
#[derive(Debug, Clone, PartialEq)]
pub struct CompileError {
    /// The file as cargo reports it, made absolute.
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The one-line message, e.g. "mismatched types".
    pub message: String,
    /// The full diagnostic as rustc prints it (source excerpt, notes, help).
    pub rendered: String,
}

/// What building the graded tests produced: the test binary, or the errors.
#[derive(Debug, Default)]
pub struct Build {
    pub executable: Option<PathBuf>,
    pub errors: Vec<CompileError>,
    /// cargo's stderr, for failures that are not compile errors (a bad manifest, ...).
    pub stderr: String,
}

/// The cargo that runs us (`cargo course` sets `$CARGO`), else the one on the PATH.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The variable naming the report folder; the same as `graded::report::REPORT_DIR_VAR`
/// (the CLI does not link the graded suites).
pub const REPORT_DIR_VAR: &str = "COURSE_GRADE_REPORT_DIR";

/// Builds the `grade` test binary of `package` in the workspace at `workspace`.
pub fn build(workspace: &Path, package: &str, target_dir: Option<&Path>) -> Result<Build> {
    let mut cmd = cargo();
    cmd.args(["test", "-p", package, "--test", "grade", "--no-run"])
        .args(["--message-format=json", "--color=never"])
        .current_dir(workspace)
        .stdin(Stdio::null());
    if let Some(dir) = target_dir {
        cmd.env("CARGO_TARGET_DIR", dir);
    }
    let out = cmd.output().context("running cargo (is Rust installed? https://rustup.rs)")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut build = parse_messages(&stdout, workspace);
    build.stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if !out.status.success() && build.errors.is_empty() {
        bail!("cargo could not build the exercises:\n{}", build.stderr.trim_end());
    }
    Ok(build)
}

#[derive(Deserialize)]
struct Message {
    reason: String,
    #[serde(default)]
    executable: Option<PathBuf>,
    #[serde(default)]
    target: Option<Target>,
    #[serde(default)]
    message: Option<Diagnostic>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
}

#[derive(Deserialize)]
struct Diagnostic {
    level: String,
    message: String,
    #[serde(default)]
    rendered: Option<String>,
    #[serde(default)]
    spans: Vec<Span>,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    line_start: usize,
    column_start: usize,
    is_primary: bool,
}

/// Reads cargo's JSON messages: the `grade` executable and every error with a location.
/// Relative file names are relative to the workspace root.
pub fn parse_messages(stdout: &str, workspace: &Path) -> Build {
    let mut build = Build::default();
    for line in stdout.lines().filter(|l| l.starts_with('{')) {
        let Ok(msg) = serde_json::from_str::<Message>(line) else { continue };
        match msg.reason.as_str() {
            "compiler-artifact" if msg.target.as_ref().is_some_and(|t| t.name == "grade") => {
                build.executable = msg.executable.or(build.executable);
            }
            "compiler-message" => {
                let Some(d) = msg.message.filter(|d| d.level == "error") else { continue };
                // Errors without a span ("aborting due to ...") say nothing new.
                let Some(span) = d.spans.iter().find(|s| s.is_primary).or(d.spans.first()) else {
                    continue;
                };
                build.errors.push(CompileError {
                    file: workspace.join(&span.file_name),
                    line: span.line_start,
                    column: span.column_start,
                    message: d.message.clone(),
                    rendered: d.rendered.unwrap_or(d.message),
                });
            }
            _ => {}
        }
    }
    build
}

/// One line of the graded suite's report (see `tests/src/report.rs`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ReportLine {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub message: Option<String>,
}

/// Runs the test binary on exactly the tests of `ids`, from `crate_dir` as `cargo test`
/// would, and returns the reports found in `report_dir` (one file per test, see
/// `tests/src/report.rs`) and what the binary did (to explain a missing report).
/// `configure` may add arguments or environment (the tests use it).
pub fn run_tests(
    exe: &Path,
    crate_dir: &Path,
    ids: &[&str],
    report_dir: &Path,
    configure: impl FnOnce(&mut Command),
) -> Result<(Vec<ReportLine>, TestRun)> {
    // A fresh folder: a report left from an earlier run must not stand in for a missing one.
    let _ = std::fs::remove_dir_all(report_dir);
    std::fs::create_dir_all(report_dir)
        .with_context(|| format!("creating {}", report_dir.display()))?;
    let names: Vec<String> = ids.iter().map(|id| test_name(id)).collect();
    let mut cmd = Command::new(exe);
    cmd.args(&names)
        .arg("--exact")
        .current_dir(crate_dir)
        .env(REPORT_DIR_VAR, report_dir)
        .stdin(Stdio::null());
    configure(&mut cmd);
    let out = cmd.output().with_context(|| format!("running {}", exe.display()))?;
    let mut lines = vec![];
    for id in ids {
        let Ok(text) = std::fs::read_to_string(report_dir.join(format!("{id}.json"))) else {
            continue;
        };
        if let Ok(line) = serde_json::from_str::<ReportLine>(&text) {
            lines.push(line);
        }
    }
    let _ = std::fs::remove_dir_all(report_dir);
    let run = TestRun {
        status: out.status,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    Ok((lines, run))
}

/// The test's name for an exercise id: `1.1.split_heads` -> `ex_1_1_split_heads`.
pub fn test_name(id: &str) -> String {
    format!("ex_{}", id.replace('.', "_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_errors_and_the_executable() {
        let ws = Path::new("/ws");
        let stdout = r#"
{"reason":"compiler-message","message":{"level":"warning","message":"unused","rendered":"w","spans":[]}}
{"reason":"compiler-message","message":{"level":"error","message":"mismatched types","rendered":"error[E0308]: mismatched types\n --> x","spans":[{"file_name":"/dep/x.rs","line_start":1,"column_start":1,"is_primary":false},{"file_name":"exercises/src/a.rs","line_start":80,"column_start":5,"is_primary":true}]}}
{"reason":"compiler-message","message":{"level":"error","message":"aborting due to 1 previous error","rendered":"e","spans":[]}}
{"reason":"compiler-artifact","target":{"name":"grade"},"executable":"/t/grade-1"}
{"reason":"build-finished","success":false}
Compiling junk that is not json"#;
        let b = parse_messages(stdout, ws);
        assert_eq!(b.executable, Some(PathBuf::from("/t/grade-1")));
        assert_eq!(b.errors.len(), 1);
        let e = &b.errors[0];
        assert_eq!(
            (e.file.as_path(), e.line, e.column),
            (Path::new("/ws/exercises/src/a.rs"), 80, 5)
        );
        assert_eq!(e.message, "mismatched types");
        assert!(e.rendered.starts_with("error[E0308]"));
    }

    #[test]
    fn test_names_follow_the_ids() {
        assert_eq!(test_name("1.1.split_heads"), "ex_1_1_split_heads");
    }
}
