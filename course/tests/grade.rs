//! End to end: the `course` binary on scratch copies of the course, as a learner runs it.
//!
//! A scratch course holds a copy of `exercises/` and the files the CLI reads, in a
//! workspace that builds like this checkout (`course::commands::grade::mirror`), in this
//! checkout's target dir: dfdx, the library and the suites are not rebuilt, only the
//! scratch `exercises` crate. Subtle: two scratch courses' `exercises` crates would share
//! one build output (cargo names a member's build after its path in the workspace), and
//! one's build then stands in for the other's; so only one test compiles, and it runs its
//! steps in sequence.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

fn real_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().unwrap()
}

/// This checkout's target dir: the test binary is `<target>/debug/deps/grade-<hash>`.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.ancestors().nth(3).unwrap().to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() != "target" {
                copy_dir(&src, &dst);
            }
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// A fresh scratch course at a fixed place under the target dir (fixed, so that reruns
/// reuse its build outputs instead of piling up new ones).
fn scratch_course(name: &str) -> PathBuf {
    let real = real_root();
    let dir = target_dir().join("course-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for file in ["book.toml", "rustfmt.toml"] {
        std::fs::copy(real.join(file), dir.join(file)).unwrap();
    }
    // New times: a scratch `exercises` must never pass for an earlier scratch build.
    copy_dir(&real.join("exercises"), &dir.join("exercises"));
    course::commands::grade::mirror::workspace(&real, &dir).unwrap();
    dir
}

fn course(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_course"))
        .args(args)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target_dir())
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(out: &Output) -> (String, String) {
    (String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

const FILE: &str = "exercises/src/foundations/self_attention.rs";

/// Pastes the library's code for `item` into the learner's file.
fn solve(root: &Path, id: &str, item: &str) {
    let catalog = stubgen::Catalog::load(root).unwrap();
    let path = root.join(FILE);
    let code = stubgen::solution_source(root, &catalog, id).unwrap();
    let solved = stubgen::replace_fn(&std::fs::read_to_string(&path).unwrap(), item, &code);
    std::fs::write(&path, solved.unwrap()).unwrap();
}

/// Puts a type error into `fn item`, just before its `todo!()`; returns its line.
fn break_fn(root: &Path, item: &str) -> usize {
    let path = root.join(FILE);
    let old = std::fs::read_to_string(&path).unwrap();
    let (start, end) = stubgen::fn_lines(&old, item).unwrap();
    let mut lines: Vec<String> = old.lines().map(String::from).collect();
    let at = (start..end).rev().find(|&i| lines[i - 1].trim_start().starts_with("todo!")).unwrap();
    lines.insert(at - 1, "    let oops: u32 = \"not a number\";".into());
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    at
}

#[test]
fn a_compile_error_hides_only_its_own_exercise() {
    let root = scratch_course("compile-error");
    solve(&root, "1.1.split_heads", "split_heads");
    let line = break_fn(&root, "merge_heads");
    exercises_build_with_the_workspace_features(&root);
    let started = Instant::now();
    let out = course(&root, &["grade", "1.1"]);
    let (stdout, stderr) = text(&out);
    eprintln!("grade with one broken exercise: {:.1} s", started.elapsed().as_secs_f64());
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    let row = |id: &str| stdout.lines().find(|l| l.contains(id)).unwrap_or_default().to_string();
    assert!(row("1.1.split_heads").contains("✓"), "{stdout}");
    let broken = row("1.1.merge_heads");
    assert!(broken.contains("✗") && broken.contains("does not compile"), "{stdout}");
    assert!(broken.contains(&format!("{FILE}:{line}:")), "points at line {line}: {stdout}");
    assert!(row("1.1.attention_weights").contains("not started"), "{stdout}");
    assert!(stdout.contains("1/4 passed in §1.1"), "{stdout}");
    // The full compiler message is the first failure shown.
    assert!(stdout.contains("mismatched types"), "{stdout}");
    let state = std::fs::read_to_string(root.join(".course-state.json")).unwrap();
    let state: serde_json::Value = serde_json::from_str(&state).unwrap();
    assert_eq!(state["exercises"]["1.1.split_heads"]["status"], "passed");
    assert_eq!(state["exercises"]["1.1.merge_heads"]["status"], "does_not_compile");

    // Once the broken one is reset, the crate compiles and grades directly.
    let out = course(&root, &["reset", "1.1.merge_heads", "--yes"]);
    assert!(out.status.success(), "{:?}", text(&out));
    let started = Instant::now();
    let out = course(&root, &["grade", "1.1.split_heads"]);
    eprintln!("grade after a reset: {:.1} s", started.elapsed().as_secs_f64());
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("1/1 passed in 1.1.split_heads"), "{stdout}");

    every_pristine_stub_is_reported_on_every_parallel_run(&root);
}

/// The scratch course's exercises reuse this checkout's build of dfdx and the library:
/// `cargo course grade` builds `-p exercises`, whose dependencies would otherwise get
/// other features than `cargo test`'s and be built a second time (`solutions/Cargo.toml`
/// says why and how). Cargo reports every unit it did not need to build as `"fresh":
/// true`. Run on a crate with a compile error, which fails fast, after its dependencies.
fn exercises_build_with_the_workspace_features(root: &Path) {
    let out = course::commands::grade::cargo::cargo()
        .args(["test", "-p", "exercises", "--test", "grade", "--no-run"])
        .args(["--message-format=json", "--color=never"])
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .unwrap();
    let mut checked = vec![];
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let m: serde_json::Value = serde_json::from_str(line).unwrap();
        let name = m["target"]["name"].as_str().unwrap_or_default();
        if m["reason"] == "compiler-artifact" && ["dfdx", "solutions"].contains(&name) {
            assert_eq!(
                m["fresh"], true,
                "{name} was built again for the exercises: a dependency's features differ \
                 from `cargo test`'s; `cargo tree -e features` finds which, and \
                 solutions/Cargo.toml's unification list should ask for them"
            );
            checked.push(name.to_string());
        }
    }
    checked.sort();
    assert_eq!(checked, ["dfdx", "solutions"], "both were in the build");
}

/// Every pristine stub, graded many times by the very binary `cargo course grade` runs,
/// in parallel and without `RUST_BACKTRACE` (which used to hide a race that lost reports):
/// every exercise must be reported as not started, every time. Run on the compile-error
/// test's scratch course, so that no second scratch build is needed.
fn every_pristine_stub_is_reported_on_every_parallel_run(root: &Path) {
    use course::commands::grade::{cargo, run_binary};
    let catalog = stubgen::Catalog::load(root).unwrap();
    for (path, text) in stubgen::render_all(root, &catalog).unwrap() {
        std::fs::write(root.join(path), text).unwrap();
    }
    let build = cargo::build(root, "exercises", Some(&target_dir())).unwrap();
    let exe = build.executable.unwrap_or_else(|| panic!("no test binary: {:?}", build.errors));
    let ids: Vec<&str> = catalog.exercises.iter().map(|e| e.id.as_str()).collect();
    let (rounds, parallel) = (8, 4);
    let started = Instant::now();
    std::thread::scope(|s| {
        for worker in 0..parallel {
            let (exe, ids) = (&exe, &ids);
            s.spawn(move || {
                for round in 0..rounds {
                    let reports = target_dir().join(format!("course-tests/race-{worker}"));
                    let graded = run_binary(exe, &root.join("exercises"), ids, &reports, |c| {
                        c.env_remove("RUST_BACKTRACE").arg("--test-threads=16");
                    })
                    .unwrap();
                    for g in graded {
                        assert_eq!(
                            g.status, "not_started",
                            "run {worker}.{round}: {} was {}: {}\n{}",
                            g.id, g.status, g.summary, g.message
                        );
                    }
                }
            });
        }
    });
    eprintln!(
        "{} gradings of {} stubs: {:.1} s",
        rounds * parallel,
        ids.len(),
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn unknown_ids_are_user_errors_naming_the_closest_not_the_catalogue() {
    let cases: [(&[&str], &str); 4] = [
        (&["grade", "1.1.split_head"], "did you mean `1.1.split_heads`?"),
        (&["hint", "1.1.nope"], "§1.1's exercises are attention_weights,"),
        (&["solution", "merge_head", "--yes"], "did you mean `1.1.merge_heads`?"),
        (&["reset", "9.9", "--yes"], "The sections are 1.1–1.9"),
    ];
    for (args, expected) in cases {
        let out = course(&real_root(), args);
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: expected {expected:?} in {stderr}");
        assert!(!stderr.contains("2.6.bits_per_char"), "not the whole catalogue: {stderr}");
    }
}

#[test]
fn hints_unlock_one_at_a_time_across_runs() {
    let root = scratch_course("hints");
    let first = text(&course(&root, &["hint", "1.1.split_heads"])).0;
    assert!(first.starts_with("Hint 1 of "), "{first}");
    assert!(first.contains("Edit: exercises/src/foundations/self_attention.rs"), "{first}");
    let catalog = stubgen::Catalog::load(&root).unwrap();
    let total = catalog.exercise("1.1.split_heads").unwrap().hints.len();
    for n in 2..=total {
        let out = text(&course(&root, &["hint", "1.1.split_heads"])).0;
        assert!(out.starts_with(&format!("Hint {n} of {total}")), "{out}");
    }
    let out = text(&course(&root, &["hint", "1.1.split_heads"])).0;
    assert!(out.starts_with("No more hints"), "{out}");
    let all = text(&course(&root, &["hint", "1.1.split_heads", "--all"])).0;
    assert_eq!(all.matches("Hint ").count(), total, "{all}");
    let help = text(&course(&root, &["hint", "--help"])).0;
    assert!(help.contains("--all") && help.contains("--reset") && help.contains("graded"));
}

#[test]
fn a_missing_file_names_the_command_that_restores_it() {
    let root = scratch_course("missing-file");
    let pristine = std::fs::read_to_string(root.join(FILE)).unwrap();
    std::fs::remove_file(root.join(FILE)).unwrap();
    let out = course(&root, &["grade"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(FILE) && stderr.contains("cargo course reset 1.1"), "{stderr}");
    // Nothing to lose: reset restores a missing file without --yes.
    let out = course(&root, &["reset", "1.1"]);
    assert!(out.status.success(), "{:?}", text(&out));
    assert_eq!(std::fs::read_to_string(root.join(FILE)).unwrap(), pristine);
}

#[test]
fn solutions_need_a_pass_or_an_explicit_yes() {
    let root = scratch_course("solution");
    let out = course(&root, &["solution", "1.1.split_heads"]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stderr.contains("--yes") && stdout.is_empty(), "{stderr}");
    let out = course(&root, &["solution", "1.1.split_heads", "--yes"]);
    assert!(text(&out).0.contains("pub fn split_heads"), "{:?}", text(&out));
    // Once passed (as recorded by `grade`), it is shown freely.
    let state = r#"{"exercises": {"1.1.split_heads": {"status": "failed", "first_passed": 1}}}"#;
    std::fs::write(root.join(".course-state.json"), state).unwrap();
    let out = course(&root, &["solution", "1.1.split_heads"]);
    assert!(out.status.success() && text(&out).0.contains("pub fn split_heads"));
    let out = course(&root, &["hint", "1.1.split_heads"]);
    let (stdout, _) = text(&out);
    assert!(stdout.contains("for 1.1.split_heads:") && stdout.contains("chapters/"), "{stdout}");
}

#[test]
fn reset_needs_yes_without_a_terminal_and_restores_the_stub() {
    let root = scratch_course("reset");
    let pristine = std::fs::read_to_string(root.join(FILE)).unwrap();
    solve(&root, "1.1.merge_heads", "merge_heads");
    let out = course(&root, &["reset", "1.1.merge_heads"]);
    assert_eq!(out.status.code(), Some(2), "{:?}", text(&out));
    assert!(text(&out).1.contains("--yes"));
    let out = course(&root, &["reset", "1.1.merge_heads", "--yes"]);
    assert!(out.status.success(), "{:?}", text(&out));
    assert_eq!(std::fs::read_to_string(root.join(FILE)).unwrap(), pristine);
}
