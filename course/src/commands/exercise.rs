//! `course hint ID`, `course solution ID` and `course reset ID|SECTION`: the commands that
//! act on one exercise. The pristine stubs come from `stubgen`, the same generator that
//! wrote `exercises/`, so a reset restores exactly the committed stub.

use crate::state::State;
use crate::user_error;
use anyhow::{anyhow, Context, Result};
use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use stubgen::{Catalog, Exercise, Section};

/// Every generated file of the exercises crate, as `stubs` writes it (formatted), keyed by
/// its path relative to the root (`exercises/src/...`).
pub fn pristine_files(root: &Path, catalog: &Catalog) -> Result<BTreeMap<PathBuf, String>> {
    Ok(stubgen::render_all(root, catalog)?.into_iter().collect())
}

/// One exercise's stub (doc comment and all), cut from the pristine file's text so that it
/// is formatted exactly as the committed stub.
pub fn pristine_stub(pristine_file: &str, item: &str) -> Result<String> {
    let (start, end) = stubgen::fn_lines(pristine_file, item)
        .ok_or_else(|| anyhow!("no `fn {item}` in the generated stubs"))?;
    let lines: Vec<&str> = pristine_file.lines().collect();
    Ok(lines[start - 1..end].join("\n") + "\n")
}

/// Asks a yes/no question on the terminal; `None` when stdin is not a terminal.
pub fn confirm(question: &str) -> Result<Option<bool>> {
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    eprint!("{question} [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(Some(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes")))
}

/// A catalogue lookup whose failure is the learner's (exit 2, the closest ids named).
pub fn exercise<'a>(catalog: &'a Catalog, id: &str) -> Result<&'a Exercise> {
    catalog.exercise(id).map_err(|_| user_error(crate::suggest::unknown(catalog, id, "exercise")))
}

/// What `hint ID` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HintMode {
    /// The next hint, one more each time (the default).
    Next,
    /// Every hint shown so far, again.
    All,
    /// Forget the hints seen: the next `hint ID` starts from the first.
    Reset,
}

/// `hint ID [--all | --reset]`: graded hints, from the idea down to the exact calls. The
/// number seen is remembered per exercise in `.course-state.json`, so asking again gives
/// the next one; then the book page and the file to edit.
pub fn hint(root: &Path, id: &str, mode: HintMode) -> Result<()> {
    print!("{}", hint_text(root, id, mode)?);
    Ok(())
}

/// What [`hint`] prints, after recording the hints seen.
pub fn hint_text(root: &Path, id: &str, mode: HintMode) -> Result<String> {
    let catalog = Catalog::load(root)?;
    let ex = exercise(&catalog, id)?;
    let section = catalog.section(&ex.section)?;
    let mut state = State::load(root)?;
    let total = ex.hints.len();
    let seen = state.hints.get(id).copied().unwrap_or(0).min(total);
    let show = |n: usize| format!("Hint {n} of {total} for {id}:\n{}\n", ex.hints[n - 1].trim());
    let mut out = String::new();
    match mode {
        HintMode::Reset => {
            state.hints.remove(id);
            state.save(root)?;
            out.push_str(&format!(
                "{id}: hints start again from the first (`cargo course hint {id}`).\n"
            ));
            return Ok(out);
        }
        HintMode::All if seen == 0 => out.push_str(&format!(
            "No hints seen yet for {id}: `cargo course hint {id}` shows the first.\n"
        )),
        HintMode::All => {
            let shown: Vec<String> = (1..=seen).map(show).collect();
            out.push_str(&shown.join("\n"));
        }
        HintMode::Next if seen == total => out.push_str(&format!(
            "No more hints for {id}: you have seen all {total}. `cargo course hint {id} --all` \
             shows them again; `cargo course solution {id}` shows the library's code.\n"
        )),
        HintMode::Next => {
            out.push_str(&show(seen + 1));
            out.push_str(&if seen + 1 == total {
                "(That was the last hint.)\n".to_string()
            } else {
                format!("(Stuck still? `cargo course hint {id}` again for hint {}.)\n", seen + 2)
            });
            state.hints.insert(id.to_string(), seen + 1);
            state.save(root)?;
        }
    }
    out.push_str(&format!(
        "\nRead: chapters/{} (`cargo course book` builds it)\nEdit: {}, `fn {}`\n",
        section.page,
        section.exercise_path(),
        ex.item
    ));
    Ok(out)
}

/// `solution ID`: the library's code, freely once the exercise has passed, otherwise only
/// after a confirmation (`--yes`, or `y` on a terminal).
pub fn solution(root: &Path, id: &str, yes: bool) -> Result<()> {
    let catalog = Catalog::load(root)?;
    exercise(&catalog, id)?;
    if !yes && !State::load(root)?.has_passed(id) {
        match confirm("You have not passed this exercise yet. Show the solution before you have passed?")? {
            Some(true) => {}
            Some(false) => return Ok(()),
            None => {
                return Err(user_error(format!(
                    "{id} has not passed yet: pass --yes to see its solution anyway (`cargo course solution {id} --yes`)"
                )))
            }
        }
    }
    print!("{}", stubgen::solution_source(root, &catalog, id)?);
    Ok(())
}

/// `reset ID|SECTION`: puts back the pristine stub of one exercise, or the whole file of a
/// section, asking first (on a terminal) unless `yes`. A missing file is restored without
/// asking: there is nothing in it to lose.
pub fn reset(root: &Path, target: &str, yes: bool) -> Result<()> {
    let catalog = Catalog::load(root)?;
    let pristine = pristine_files(root, &catalog)?;
    restore_scaffold(root, &pristine)?;
    if let Ok(section) = catalog.section(target) {
        return reset_file(root, section, &pristine, yes, "all your work in it");
    }
    let ex = catalog.exercise(target).map_err(|_| {
        user_error(crate::suggest::unknown(&catalog, target, "section or exercise"))
    })?;
    let section = catalog.section(&ex.section)?;
    let path = root.join(section.exercise_path());
    let Ok(text) = std::fs::read_to_string(&path) else {
        return reset_file(root, section, &pristine, yes, "");
    };
    let file = pristine_file(&pristine, section)?;
    let updated = match stubgen::replace_fn(&text, &ex.item, &pristine_stub(file, &ex.item)?) {
        Ok(updated) => updated,
        Err(e) => {
            eprintln!("{} cannot be patched ({e:#}).", section.exercise_path());
            return reset_file(root, section, &pristine, yes, "the other exercises in it too");
        }
    };
    if updated == text {
        println!("{target} is already the pristine stub.");
        return Ok(());
    }
    if !agreed(
        &format!("Reset {target} to its stub? Your code in `fn {}` will be lost.", ex.item),
        yes,
        target,
    )? {
        return Ok(());
    }
    crate::state::write_atomic(&path, updated.as_bytes())?;
    println!("{target}: restored the pristine stub in {}", section.exercise_path());
    Ok(())
}

fn pristine_file<'a>(
    pristine: &'a BTreeMap<PathBuf, String>,
    section: &Section,
) -> Result<&'a String> {
    pristine
        .get(Path::new(&section.exercise_path()))
        .ok_or_else(|| anyhow!("no generated file for §{}", section.id))
}

/// Restores the whole file of `section`; `losing` says what is lost (empty: nothing).
fn reset_file(
    root: &Path,
    section: &Section,
    pristine: &BTreeMap<PathBuf, String>,
    yes: bool,
    losing: &str,
) -> Result<()> {
    let rel = section.exercise_path();
    let path = root.join(&rel);
    let text = pristine_file(pristine, section)?;
    if path.exists() && !losing.is_empty() {
        if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
            println!("§{} is already the pristine stubs.", section.id);
            return Ok(());
        }
        if !agreed(&format!("Restore the whole of {rel}? This loses {losing}."), yes, &section.id)?
        {
            return Ok(());
        }
    }
    std::fs::create_dir_all(path.parent().expect("exercise files live in a folder"))?;
    crate::state::write_atomic(&path, text.as_bytes())
        .with_context(|| format!("restoring {rel}"))?;
    println!("§{}: restored the pristine stubs in {rel}", section.id);
    Ok(())
}

/// `lib.rs` and the chapters' `mod.rs` only list modules: a missing one is restored as is.
fn restore_scaffold(root: &Path, pristine: &BTreeMap<PathBuf, String>) -> Result<()> {
    for (rel, text) in pristine {
        let is_scaffold = rel.ends_with("lib.rs") || rel.ends_with("mod.rs");
        if is_scaffold && !root.join(rel).exists() {
            std::fs::create_dir_all(root.join(rel).parent().expect("has a folder"))?;
            std::fs::write(root.join(rel), text)?;
            println!("restored the missing {}", rel.display());
        }
    }
    Ok(())
}

/// `--yes`, or a `y` on the terminal; without a terminal, a user error naming `--yes`.
fn agreed(question: &str, yes: bool, target: &str) -> Result<bool> {
    if yes {
        return Ok(true);
    }
    match confirm(question)? {
        Some(answer) => Ok(answer),
        None => Err(user_error(format!(
            "reset discards your code: pass --yes to confirm (`cargo course reset {target} --yes`)"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A course root holding only a catalogue whose exercise `1.1.a` has three hints.
    fn three_hint_course() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("exercises")).unwrap();
        let info = r#"
[[section]]
id = "1.1"
title = "t"
title_zh = "t"
module = "foundations/attn"
page = "p.md"
notebook = "n.ipynb"
task = "t"
[[exercise]]
id = "1.1.a"
section = "1.1"
item = "a"
hints = ["the idea", "the shapes", "the exact calls"]
todo = []
"#;
        std::fs::write(dir.path().join("exercises/info.toml"), info).unwrap();
        dir
    }

    #[test]
    fn hints_come_one_at_a_time_and_persist_across_runs() {
        let course = three_hint_course();
        let root = course.path();
        let next = || hint_text(root, "1.1.a", HintMode::Next).unwrap();
        let first = next();
        assert!(first.starts_with("Hint 1 of 3 for 1.1.a:\nthe idea\n"), "{first}");
        assert!(!first.contains("the shapes") && first.contains("Edit: exercises/src/"), "{first}");
        // Each call loads the state file afresh, as a new process would.
        let raw = std::fs::read_to_string(State::path(root)).unwrap();
        assert!(raw.contains(r#""1.1.a": 1"#), "{raw}");
        assert!(next().starts_with("Hint 2 of 3 for 1.1.a:\nthe shapes"));
        let last = next();
        assert!(last.starts_with("Hint 3 of 3") && last.contains("last hint"), "{last}");
        let after = next();
        assert!(after.starts_with("No more hints for 1.1.a") && after.contains("--all"));
        let all = hint_text(root, "1.1.a", HintMode::All).unwrap();
        assert!(all.contains("the idea") && all.contains("the shapes") && all.contains("exact"));
        assert!(all.contains("Hint 1 of 3") && all.contains("Hint 3 of 3"), "{all}");
        hint_text(root, "1.1.a", HintMode::Reset).unwrap();
        assert!(next().starts_with("Hint 1 of 3"));
    }

    #[test]
    fn all_before_any_hint_shows_none_and_records_nothing() {
        let course = three_hint_course();
        let all = hint_text(course.path(), "1.1.a", HintMode::All).unwrap();
        assert!(all.starts_with("No hints seen yet") && !all.contains("the idea"), "{all}");
        assert!(!State::path(course.path()).exists());
        // The grading record and the hints live side by side in one state file.
        let mut st = State::default();
        st.record("1.1.a", "failed", 5);
        st.save(course.path()).unwrap();
        hint_text(course.path(), "1.1.a", HintMode::Next).unwrap();
        let back = State::load(course.path()).unwrap();
        assert_eq!((back.hints["1.1.a"], back.exercises["1.1.a"].status.as_str()), (1, "failed"));
    }

    #[test]
    fn pristine_stub_cuts_doc_and_body() {
        let file = "use x;\n\n/// Doc.\npub fn a() {\n    todo!()\n}\n\npub fn b() {}\n";
        assert_eq!(pristine_stub(file, "a").unwrap(), "/// Doc.\npub fn a() {\n    todo!()\n}\n");
        assert!(pristine_stub(file, "c").is_err());
    }
}
