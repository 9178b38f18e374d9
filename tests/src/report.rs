//! Running one check safely and reporting its outcome to the learner and to the CLI.

use serde::Serialize;
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Why a check failed, in words meant for the learner.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure(pub String);

impl Failure {
    pub fn new(message: impl Into<String>) -> Self {
        Failure(message.into())
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The outcome of grading one exercise.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", content = "message", rename_all = "snake_case")]
pub enum Outcome {
    Passed,
    /// The body is still the stub's `todo!()`.
    NotStarted(String),
    /// A check found a wrong value.
    Failed(String),
    /// The learner's code panicked (a shape mismatch, an index out of range, ...).
    Panicked(String),
}

impl Outcome {
    /// The message to show when the exercise did not pass.
    pub fn failure(&self) -> Option<&str> {
        match self {
            Outcome::Passed => None,
            Outcome::NotStarted(m) | Outcome::Failed(m) | Outcome::Panicked(m) => Some(m),
        }
    }
}

#[derive(Serialize)]
struct ReportLine<'a> {
    id: &'a str,
    #[serde(flatten)]
    outcome: &'a Outcome,
}

/// Runs `check` for exercise `id`, turning panics into outcomes. When the environment
/// variable `COURSE_GRADE_REPORT` names a file, one JSON line per exercise is appended to
/// it: that is how `cargo course grade` learns each exercise's state.
pub fn grade(id: &str, check: impl FnOnce() -> crate::Check) -> Outcome {
    let outcome = match catch_unwind(AssertUnwindSafe(check)) {
        Ok(Ok(())) => Outcome::Passed,
        Ok(Err(failure)) => Outcome::Failed(format!("✗ {id}: {failure}")),
        Err(payload) => {
            let text = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "a panic without a message".into());
            if text.contains(stub_marker()) {
                let item = id.rsplit('.').next().unwrap_or(id);
                Outcome::NotStarted(format!(
                    "✗ {id}: not started yet. Replace the `todo!()` in `fn {item}` with your \
                     code (hint: `cargo course hint {id}`)."
                ))
            } else {
                Outcome::Panicked(format!(
                    "✗ {id}: your code panicked: {text}\n  A dfdx shape panic usually means two \
                     axes do not line up: `dbg!(t.shape())` on each tensor shows which."
                ))
            }
        }
    };
    if let Some(path) = std::env::var_os("COURSE_GRADE_REPORT") {
        let line = serde_json::to_string(&ReportLine { id, outcome: &outcome }).expect("json");
        // One short append per exercise: O_APPEND keeps parallel tests' lines whole.
        if let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
            let _ = writeln!(file, "{line}");
        }
    }
    outcome
}

/// The phrase every stub's `todo!()` carries (see the `stubgen` crate).
pub fn stub_marker() -> &'static str {
    "exercise not started"
}
