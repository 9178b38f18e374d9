//! `course watch`: re-grades whenever a file under `exercises/src` is saved, grading only
//! the section whose file changed, on a cleared screen. Ctrl-C stops it.
//!
//! Ctrl-C needs no handler of its own: the default one ends this process and the cargo it
//! runs (same process group), and nothing can be left half-written because the state
//! file is only ever replaced atomically (see `state`).

use crate::commands::grade;
use anyhow::{Context, Result};
use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
use notify::{RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::time::Duration;
use stubgen::Catalog;

/// Editors save in bursts (write, rename, chmod): wait for this much quiet, then grade once.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// What to grade after these files changed: `None` is everything (lib.rs, a mod.rs or an
/// unknown file changed), else the sections whose files changed.
pub fn targets(
    catalog: &Catalog,
    src: &Path,
    changed: &BTreeSet<PathBuf>,
) -> Option<BTreeSet<String>> {
    let mut sections = BTreeSet::new();
    for path in changed {
        let rel = path.strip_prefix(src).ok()?;
        let section =
            catalog.sections.iter().find(|s| rel == Path::new(&format!("{}.rs", s.module)))?;
        sections.insert(section.id.clone());
    }
    Some(sections)
}

/// Whether an event is a save: reads (rustc opening the files while grading) and
/// metadata changes must not trigger a grading, or watch would loop on its own builds.
fn is_save(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
            | EventKind::Access(AccessKind::Close(AccessMode::Write))
    )
}

pub fn run(root: &Path) -> Result<()> {
    let catalog = Catalog::load(root)?;
    let src = root.join("exercises/src");
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = tx.send(event);
    })
    .context("starting the file watcher")?;
    watcher
        .watch(&src, RecursiveMode::Recursive)
        .with_context(|| format!("watching {}", src.display()))?;
    grade_and_show(root, None);
    let rust_saves = |event: notify::Result<notify::Event>| -> Vec<PathBuf> {
        match event {
            Ok(e) if is_save(&e.kind) => {
                e.paths.into_iter().filter(|p| p.extension().is_some_and(|x| x == "rs")).collect()
            }
            _ => vec![],
        }
    };
    loop {
        let Ok(first) = rx.recv() else { return Ok(()) };
        let mut changed: BTreeSet<PathBuf> = rust_saves(first).into_iter().collect();
        loop {
            match rx.recv_timeout(DEBOUNCE) {
                Ok(event) => changed.extend(rust_saves(event)),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
        if changed.is_empty() {
            continue;
        }
        grade_and_show(root, targets(&catalog, &src, &changed));
    }
}

/// Clears the screen and grades; errors are printed, not fatal: the learner fixes the
/// file and saves again.
fn grade_and_show(root: &Path, sections: Option<BTreeSet<String>>) {
    let _ = console::Term::stdout().clear_screen();
    let targets: Vec<Option<String>> = match sections {
        None => vec![None],
        Some(s) => s.into_iter().map(Some).collect(),
    };
    for target in targets {
        if let Err(e) = grade::run_command(root, target.as_deref()) {
            println!("error: {e:#}");
        }
    }
    println!("\nWatching exercises/src: save a file to re-grade its section (Ctrl-C to stop).");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_file_grades_its_section_anything_else_everything() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let catalog = Catalog::load(&root).unwrap();
        let src = root.join("exercises/src");
        let set = |p: &[&str]| p.iter().map(|p| src.join(p)).collect::<BTreeSet<_>>();
        let s = &catalog.sections[0];
        let one = targets(&catalog, &src, &set(&[&format!("{}.rs", s.module)])).unwrap();
        assert_eq!(one.into_iter().collect::<Vec<_>>(), vec![s.id.clone()]);
        assert_eq!(targets(&catalog, &src, &set(&["lib.rs"])), None);
    }

    #[test]
    fn reads_are_not_saves() {
        assert!(!is_save(&EventKind::Access(AccessKind::Open(AccessMode::Any))));
        assert!(!is_save(&EventKind::Access(AccessKind::Close(AccessMode::Read))));
        assert!(is_save(&EventKind::Access(AccessKind::Close(AccessMode::Write))));
        assert!(is_save(&EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Any))));
    }
}
