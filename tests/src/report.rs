//! Running one check safely and reporting its outcome to the learner and to the CLI.

use serde::Serialize;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// The environment variable naming the folder where each graded test writes its outcome,
/// as `<id>.json` (see [`grade`]); `cargo course grade` sets it and reads the folder.
pub const REPORT_DIR_VAR: &str = "COURSE_GRADE_REPORT_DIR";

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
    /// The learner's function calls the library's own code instead of computing the result.
    CallsLibrary(String),
}

impl Outcome {
    /// The message to show when the exercise did not pass.
    pub fn failure(&self) -> Option<&str> {
        match self {
            Outcome::Passed => None,
            Outcome::NotStarted(m)
            | Outcome::Failed(m)
            | Outcome::Panicked(m)
            | Outcome::CallsLibrary(m) => Some(m),
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
/// variable [`REPORT_DIR_VAR`] names a folder, the outcome is also written there as
/// `<id>.json`: that is how `cargo course grade` learns each exercise's state.
pub fn grade(id: &str, check: impl FnOnce() -> crate::Check) -> Outcome {
    let outcome = run_check(id, check);
    report(id, &outcome);
    outcome
}

/// Grades the learner's own code: `library_calls` are the sentences a scan of their source
/// found ("your `fn x` calls the library's `solutions::…::x`"); any of them fails the
/// exercise without running the check, whose values would come from the library.
pub fn grade_own_code(
    id: &str,
    library_calls: Vec<String>,
    check: impl FnOnce() -> crate::Check,
) -> Outcome {
    let outcome = match library_calls.first() {
        None => run_check(id, check),
        Some(first) => {
            let more = match library_calls.len() {
                1 => String::new(),
                n => format!(" (and {} more such call{})", n - 1, if n == 2 { "" } else { "s" }),
            };
            Outcome::CallsLibrary(format!(
                "✗ {id}: {first}{more}. Calling the library passes the checks without \
                 teaching you anything: write the computation yourself \
                 (`cargo course hint {id}` helps)."
            ))
        }
    };
    report(id, &outcome);
    outcome
}

/// The library's source folder, as the graded crate was built against it: the source scan
/// reads it to know which names are the library's functions.
pub fn library_source_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../solutions/src"))
}

fn run_check(id: &str, check: impl FnOnce() -> crate::Check) -> Outcome {
    match catch_unwind(AssertUnwindSafe(check)) {
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
    }
}

/// Writes the outcome to `$COURSE_GRADE_REPORT_DIR/<id>.json`, if that variable is set.
///
/// Subtle: one file per test, not one shared file that every test appends to. The shared
/// file lost lines: `writeln!` on a `File` issues the text and its newline as two
/// `write` calls, so two tests finishing together produced `{..}{..}\n\n`, and even a
/// single `write_all` is only atomic under `O_APPEND` on local Unix file systems (not on
/// NFS, not guaranteed on Windows). A file per test shares nothing; it is written under a
/// temporary name and renamed, so the reader sees a whole report or none, and a missing
/// file names exactly the test that did not report.
fn report(id: &str, outcome: &Outcome) {
    if let Some(dir) = std::env::var_os(REPORT_DIR_VAR) {
        write_report(Path::new(&dir), id, outcome);
    }
}

fn write_report(dir: &Path, id: &str, outcome: &Outcome) {
    let json = serde_json::to_string(&ReportLine { id, outcome }).expect("json") + "\n";
    let tmp = dir.join(format!(".{id}.json.tmp-{}", std::process::id()));
    let written = std::fs::write(&tmp, json)
        .and_then(|()| std::fs::rename(&tmp, dir.join(format!("{id}.json"))));
    if let Err(e) = written {
        // Printed into this test's captured output, which the CLI shows when the report
        // is missing.
        eprintln!("could not write the grade report for {id} in {}: {e}", dir.display());
    }
}

/// The phrase every stub's `todo!()` carries (see the `stubgen` crate).
pub fn stub_marker() -> &'static str {
    "exercise not started"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::foundations::self_attention::check_split_heads;

    /// A learner's file whose `split_heads` forwards to the library.
    const FORWARDS: &str = "use solutions::foundations::self_attention::Mask;\n\
        pub fn split_heads(x: X, heads: usize) -> Y {\n\
            solutions::foundations::self_attention::split_heads(x, heads)\n\
        }\n";

    fn library_split_heads() -> crate::Check {
        check_split_heads(solutions::foundations::self_attention::split_heads)
    }

    #[test]
    fn a_stub_that_calls_the_library_does_not_pass() {
        // Its values are the library's, so the value checks alone would pass it.
        assert_eq!(run_check("1.1.split_heads", library_split_heads), Outcome::Passed);
        let calls = stubgen::library_calls_in(FORWARDS, "split_heads", library_source_dir());
        let outcome = grade_own_code("1.1.split_heads", calls, library_split_heads);
        let expected = "your `fn split_heads` calls the library's \
                        `solutions::foundations::self_attention::split_heads`";
        assert!(
            matches!(&outcome, Outcome::CallsLibrary(m) if m.contains(expected) && m.contains("yourself")),
            "{outcome:?}"
        );
        // The same code without the call is graded on its values.
        assert_eq!(grade_own_code("1.1.split_heads", vec![], library_split_heads), Outcome::Passed);
    }

    #[test]
    fn each_report_is_a_whole_file_of_its_own() {
        let dir = std::env::temp_dir().join(format!("graded-report-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::thread::scope(|s| {
            for i in 0..32 {
                let dir = &dir;
                s.spawn(move || write_report(dir, &format!("9.9.ex{i}"), &Outcome::Passed));
            }
        });
        for i in 0..32 {
            let text = std::fs::read_to_string(dir.join(format!("9.9.ex{i}.json"))).unwrap();
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(
                (value["id"].as_str(), value["status"].as_str()),
                (Some(&*format!("9.9.ex{i}")), Some("passed"))
            );
        }
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 32, "no temporary file is left");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
