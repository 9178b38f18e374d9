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

/// A catalogue lookup whose failure is the learner's (exit 2, valid ids listed).
pub fn exercise<'a>(catalog: &'a Catalog, id: &str) -> Result<&'a Exercise> {
    catalog.exercise(id).map_err(|e| user_error(e.to_string()))
}

/// `hint ID`: the hint, the book page and the file to edit.
pub fn hint(root: &Path, id: &str) -> Result<()> {
    let catalog = Catalog::load(root)?;
    let ex = exercise(&catalog, id)?;
    let section = catalog.section(&ex.section)?;
    println!("Hint for {id}:\n{}\n", ex.hints[0].trim());
    println!("Read: chapters/{} (`cargo course book` builds it)", section.page);
    println!("Edit: {}, `fn {}`", section.exercise_path(), ex.item);
    Ok(())
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
        let sections: Vec<&str> = catalog.sections.iter().map(|s| s.id.as_str()).collect();
        let ids: Vec<&str> = catalog.exercises.iter().map(|e| e.id.as_str()).collect();
        user_error(format!(
            "unknown section or exercise `{target}`; the sections are: {}; the exercises are: {}",
            sections.join(", "),
            ids.join(", ")
        ))
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

    #[test]
    fn pristine_stub_cuts_doc_and_body() {
        let file = "use x;\n\n/// Doc.\npub fn a() {\n    todo!()\n}\n\npub fn b() {}\n";
        assert_eq!(pristine_stub(file, "a").unwrap(), "/// Doc.\npub fn a() {\n    todo!()\n}\n");
        assert!(pristine_stub(file, "c").is_err());
    }
}
