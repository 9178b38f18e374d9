//! Why an exercise has no report after the graded tests ran, in words, with only that
//! test's part of the test binary's output.
//!
//! Each graded test writes its outcome to a file of its own (see `tests/src/report.rs`);
//! when one is missing, the test binary's exit status and libtest's output tell why: the
//! process died under it (a signal: a stack overflow, memory), it exited early
//! (`std::process::exit` in the learner's code), the test is not in the binary (edited
//! `tests/grade.rs`), or it ran but did not report.

use std::process::ExitStatus;

/// What the test binary did: its exit status and its stdout and stderr.
#[derive(Debug, Clone)]
pub struct TestRun {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// The table's one line and the full message for the test `test` that wrote no report.
pub fn explain(test: &str, run: &TestRun) -> (String, String) {
    let result = result_of(test, &run.stdout);
    let part = part_of(test, run);
    let shown = if part.is_empty() {
        "(the test printed nothing)".to_string()
    } else {
        format!("Its output:\n{part}")
    };
    let summary = match (result.as_deref(), killed_by(&run.status)) {
        (Some(r), _) => format!(
            "no result: the test `{test}` ran ({r}) but wrote no report; is \
             exercises/tests/grade.rs still the course's (`git checkout exercises/tests`)?"
        ),
        (None, Some(signal)) => {
            format!("no result: the test binary was killed by {signal} before `{test}` finished")
        }
        (None, None) if !mentioned(test, &run.stdout) && run.status.success() => format!(
            "no result: no test `{test}` ran; the test binary does not have it (filtered \
             out, or removed from exercises/tests/grade.rs)"
        ),
        (None, None) => match run.status.code() {
            Some(code) => format!(
                "no result: the test binary exited with status {code} before `{test}` \
                 finished; does your code call `std::process::exit`?"
            ),
            None => format!("no result: the test binary stopped before `{test}` finished"),
        },
    };
    (summary.clone(), format!("✗ {summary}\n{shown}"))
}

/// libtest's verdict line for `test`: `test ex_1_1_a ... ok` gives "ok".
fn result_of(test: &str, stdout: &str) -> Option<String> {
    let prefix = format!("test {test} ... ");
    stdout.lines().find_map(|l| l.strip_prefix(&prefix).map(|r| r.trim().to_string()))
}

fn mentioned(test: &str, stdout: &str) -> bool {
    stdout.lines().any(|l| l.starts_with(&format!("test {test} ")))
}

/// The lines that belong to `test`: its verdict, its captured output (the block after
/// `---- test stdout ----`), and stderr lines naming its thread (`thread 'test' has
/// overflowed its stack`), followed by the runtime's last words (`fatal runtime error`).
fn part_of(test: &str, run: &TestRun) -> String {
    let mut lines: Vec<&str> = vec![];
    let header = format!("---- {test} stdout ----");
    let mut inside = false;
    for line in run.stdout.lines() {
        if line == header {
            inside = true;
        } else if inside && (line.starts_with("---- ") || line == "failures:") {
            inside = false;
        }
        if inside || line.starts_with(&format!("test {test} ")) {
            lines.push(line);
        }
    }
    let thread = format!("'{test}'");
    for line in run.stderr.lines() {
        if line.contains(&thread) || line.starts_with("fatal runtime error") {
            lines.push(line);
        }
    }
    lines.join("\n").trim_end().to_string()
}

/// "signal 11 (SIGSEGV: ...)" when the process was killed by a signal.
fn killed_by(status: &ExitStatus) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        let signal = status.signal()?;
        let why = match signal {
            6 => {
                "SIGABRT: it aborted, e.g. a stack overflow from deep recursion, or a panic \
                  while panicking"
            }
            9 => "SIGKILL: out of memory, or stopped from outside",
            11 => "SIGSEGV: a segmentation fault, e.g. a stack overflow",
            _ => "",
        };
        Some(if why.is_empty() {
            format!("signal {signal}")
        } else {
            format!("signal {signal} ({why})")
        })
    }
    #[cfg(not(unix))]
    {
        let _ = status;
        None
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    fn run(raw: i32, stdout: &str, stderr: &str) -> TestRun {
        TestRun { status: ExitStatus::from_raw(raw), stdout: stdout.into(), stderr: stderr.into() }
    }

    const LISTING: &str = "\nrunning 2 tests\ntest ex_1_1_b ... FAILED\n\nfailures:\n\n\
        ---- ex_1_1_b stdout ----\nthread 'ex_1_1_b' panicked at x.rs:1:1:\nboom\n\n\
        ---- ex_1_1_c stdout ----\nother\n\nfailures:\n    ex_1_1_b\n";

    #[test]
    fn a_killed_binary_names_the_signal_and_shows_only_that_test() {
        let stderr = "thread 'ex_1_1_a' has overflowed its stack\nfatal runtime error: stack \
                      overflow\nthread 'ex_1_1_z' noise";
        let (summary, message) = explain("ex_1_1_a", &run(6, LISTING, stderr));
        assert!(summary.contains("killed by signal 6 (SIGABRT") && summary.contains("ex_1_1_a"));
        assert!(message.contains("has overflowed its stack") && message.contains("fatal"));
        assert!(!message.contains("ex_1_1_b") && !message.contains("ex_1_1_z"), "{message}");
    }

    #[test]
    fn a_test_that_ran_without_reporting_shows_its_own_block() {
        let (summary, message) = explain("ex_1_1_b", &run(1 << 8, LISTING, ""));
        assert!(summary.contains("ran (FAILED) but wrote no report"), "{summary}");
        assert!(message.contains("boom") && !message.contains("other"), "{message}");
        assert!(!message.contains("running 2 tests"), "not the whole listing: {message}");
    }

    #[test]
    fn a_missing_test_and_an_early_exit_are_told_apart() {
        let (summary, _) = explain("ex_9_9_x", &run(0, LISTING, ""));
        assert!(summary.contains("does not have it"), "{summary}");
        let (summary, message) = explain("ex_9_9_x", &run(3 << 8, LISTING, ""));
        assert!(summary.contains("exited with status 3"), "{summary}");
        assert!(message.contains("printed nothing"), "{message}");
    }
}
