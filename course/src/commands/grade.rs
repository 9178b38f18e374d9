//! `course grade [SECTION_OR_ID]`: grades the learner's exercises with the course's suites
//! and prints a table of ✓/✗, the first failure's full message, and a summary.
//!
//! Under the hood it is `cargo test -p exercises --test grade`, with
//! `COURSE_GRADE_REPORT_DIR` naming a folder where each test writes its outcome to a file
//! of its own; a missing one is explained by `missing`. When the crate does
//! not compile, the errors are mapped to exercises and a patched copy is graded instead
//! (see `shadow`), so one broken exercise never hides the state of the others.

pub mod cargo;
mod manifest;
pub mod mirror;
pub mod missing;
mod shadow;

use crate::commands::exercise::confirm;
use crate::state::{self, State};
use crate::user_error;
use anyhow::{Context, Result};
use console::style;
use std::path::{Path, PathBuf};
use std::time::Instant;
use stubgen::{Catalog, Exercise};

/// The outcome of grading one exercise.
#[derive(Debug, Clone, PartialEq)]
pub struct Graded {
    pub id: String,
    /// As in the report: "passed", "not_started", "failed", "panicked", "calls_library";
    /// plus ours: "does_not_compile" and "no_result" (no report came back).
    pub status: String,
    /// One line for the table (empty when passed).
    pub summary: String,
    /// The full message for the learner (empty when passed).
    pub message: String,
}

/// The exercises `target` names (a section, an exercise, or everything) and the words for
/// the summary line ("§1.1"). Unknown names are the learner's error, with the closest ids.
pub fn resolve<'a>(
    catalog: &'a Catalog,
    target: Option<&'a str>,
) -> Result<(Vec<&'a Exercise>, String)> {
    let Some(target) = target else {
        return Ok((catalog.exercises.iter().collect(), "the course".into()));
    };
    if catalog.section(target).is_ok() {
        return Ok((catalog.exercises_in(target).collect(), format!("§{target}")));
    }
    if let Ok(ex) = catalog.exercise(target) {
        return Ok((vec![ex], target.to_string()));
    }
    Err(user_error(crate::suggest::unknown(catalog, target, "section or exercise")))
}

/// A missing exercise file breaks the whole crate: offer to restore it (on a terminal),
/// otherwise name the exact command.
pub fn check_files(root: &Path, catalog: &Catalog) -> Result<()> {
    for section in &catalog.sections {
        let rel = section.exercise_path();
        if root.join(&rel).is_file() {
            continue;
        }
        let command = format!("cargo course reset {}", section.id);
        match confirm(&format!("{rel} is missing. Restore the pristine stub?"))? {
            Some(true) => crate::commands::exercise::reset(root, &section.id, true)?,
            _ => {
                return Err(user_error(format!(
                    "{rel} is missing: restore the pristine stub with `{command}`"
                )))
            }
        }
    }
    Ok(())
}

/// Grades `exercises` and returns one outcome each, in the same order.
/// Also returns notes for the learner: the generated files (lib.rs, mod.rs) that did not
/// compile and were graded in their generated form.
pub fn grade(
    root: &Path,
    catalog: &Catalog,
    exercises: &[&Exercise],
) -> Result<(Vec<Graded>, Vec<String>)> {
    let ids: Vec<&str> = exercises.iter().map(|e| e.id.as_str()).collect();
    let build = cargo::build(root, "exercises", None)?;
    let learner = root.join("exercises");
    if let Some(exe) = &build.executable {
        let (target, none) = (target_dir(root)?, shadow::Patches::default());
        return Ok((run(root, exe, &learner, &ids, &target, &none, catalog)?, vec![]));
    }
    // It does not compile: patch the broken exercises out of a copy until it does.
    let target = target_dir(root)?;
    let mut patches = shadow::Patches::default();
    let mut left = patches.assign(catalog, &learner, &learner, &build.errors);
    for _round in 0..8 {
        if !left.is_empty() {
            break;
        }
        let workspace = shadow::write(root, catalog, &target, &patches)?;
        let build = cargo::build(&workspace, &shadow::package(root), Some(&target))?;
        let copy = workspace.join("exercises");
        if let Some(exe) = &build.executable {
            let notes = patches
                .scaffold
                .values()
                .map(|e| format!("{} (graded with the generated file instead)", location(root, e)))
                .collect();
            return Ok((run(root, exe, &copy, &ids, &target, &patches, catalog)?, notes));
        }
        left = patches.assign(catalog, &learner, &copy, &build.errors);
    }
    // An error no stub can fix (in tests/grade.rs, say): nothing can be graded.
    let first = left.first().map(|e| (location(root, e), e.rendered.clone()));
    let (summary, message) =
        first.unwrap_or_else(|| ("the crate does not compile".into(), String::new()));
    let results = ids
        .iter()
        .map(|id| Graded {
            id: id.to_string(),
            status: "does_not_compile".into(),
            summary: format!("does not compile: {summary}"),
            message: message.clone(),
        })
        .collect();
    Ok((results, vec![]))
}

/// Runs the graded tests and merges their reports with the compile errors.
fn run(
    root: &Path,
    exe: &Path,
    dir: &Path,
    ids: &[&str],
    target: &Path,
    patches: &shadow::Patches,
    catalog: &Catalog,
) -> Result<Vec<Graded>> {
    let reports = target.join(format!("course-grade/report-{}", std::process::id()));
    let graded = run_binary(exe, dir, ids, &reports, |_| {})?;
    Ok(graded
        .into_iter()
        .map(|g| {
            let section = catalog.exercise(&g.id).map(|e| e.section.as_str()).unwrap_or("");
            match patches.error_for(&g.id, section) {
                Some(e) => Graded {
                    id: g.id.clone(),
                    status: "does_not_compile".into(),
                    summary: format!("does not compile: {}", location(root, e)),
                    message: e.rendered.clone(),
                },
                None => g,
            }
        })
        .collect())
}

/// Runs the graded test binary `exe` (built from the crate in `dir`) on `ids` and returns
/// one outcome per id, in order; an exercise without a report says why (see `missing`).
/// `configure` may add arguments or environment to the run.
pub fn run_binary(
    exe: &Path,
    dir: &Path,
    ids: &[&str],
    reports: &Path,
    configure: impl FnOnce(&mut std::process::Command),
) -> Result<Vec<Graded>> {
    let (lines, test_run) = cargo::run_tests(exe, dir, ids, reports, configure)?;
    Ok(ids
        .iter()
        .map(|id| match lines.iter().find(|l| l.id == *id) {
            Some(l) => Graded {
                id: id.to_string(),
                status: l.status.clone(),
                summary: words(&l.status).into(),
                message: l.message.clone().unwrap_or_default(),
            },
            None => {
                let (summary, message) = missing::explain(&cargo::test_name(id), &test_run);
                Graded { id: id.to_string(), status: "no_result".into(), summary, message }
            }
        })
        .collect())
}

/// `exercises/src/x.rs:80:5: mismatched types`, the path relative to the course root.
fn location(root: &Path, e: &cargo::CompileError) -> String {
    let file = e.file.strip_prefix(root).unwrap_or(&e.file);
    format!("{}:{}:{}: {}", file.display(), e.line, e.column, e.message)
}

fn words(status: &str) -> &str {
    match status {
        "passed" => "passed",
        "not_started" => "not started",
        "failed" => "wrong result",
        "panicked" => "panicked",
        "calls_library" => "calls the library",
        other => other,
    }
}

/// The cargo target dir of the course (where the copy and its build live).
fn target_dir(root: &Path) -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return Ok(root.join(dir));
    }
    let out = cargo::cargo()
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .current_dir(root)
        .output()
        .context("running cargo metadata")?;
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    Ok(meta["target_directory"].as_str().map(PathBuf::from).unwrap_or_else(|| root.join("target")))
}

/// Prints the table, the first failure in full, and the summary line.
pub fn print_report(results: &[Graded], scope: &str, seconds: f64) {
    let width = results.iter().map(|g| g.id.len()).max().unwrap_or(0);
    for g in results {
        let mark = if g.status == "passed" { style("✓").green() } else { style("✗").red() };
        println!("  {mark} {:<width$}  {}", g.id, g.summary);
    }
    // A real failure teaches more than "not started", so it comes first.
    let first = results
        .iter()
        .find(|g| !matches!(g.status.as_str(), "passed" | "not_started"))
        .or_else(|| results.iter().find(|g| g.status != "passed"));
    if let Some(g) = first {
        println!("\n{} {}:\n{}", style("First failure,").bold(), g.id, g.message.trim_end());
    }
    let passed = results.iter().filter(|g| g.status == "passed").count();
    println!("\n{passed}/{} passed in {scope} ({seconds:.1} s)", results.len());
}

/// `grade [SECTION_OR_ID]`: grades, prints, records. `Ok(true)` when all passed.
pub fn run_command(root: &Path, target: Option<&str>) -> Result<bool> {
    let catalog = Catalog::load(root)?;
    let (exercises, scope) = resolve(&catalog, target)?;
    check_files(root, &catalog)?;
    let started = Instant::now();
    let spinner =
        indicatif::ProgressBar::new_spinner().with_message("compiling and grading your exercises…");
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let results = grade(root, &catalog, &exercises);
    spinner.finish_and_clear();
    let (results, notes) = results?;
    print_report(&results, &scope, started.elapsed().as_secs_f64());
    // A file that does not compile fails `cargo test` too: not all is well.
    let compiles = notes.is_empty();
    for note in notes {
        println!("{} {note}", style("note: does not compile:").yellow());
    }
    let mut st = State::load(root)?;
    let now = state::now();
    for g in &results {
        st.record(&g.id, &g.status, now);
    }
    st.save(root)?;
    Ok(compiles && results.iter().all(|g| g.status == "passed"))
}

#[cfg(test)]
mod tests;
