//! Grading around compile errors: a shadow copy of the learner's crate.
//!
//! When `exercises/` does not compile, no test runs, and one typo would hide every other
//! exercise. So each compiler error is mapped to the exercise whose `fn` spans its line
//! (or to the whole section file when the error lies outside every `fn` or the file does
//! not parse). A copy of the crate, in `<target>/course-grade/<package>/exercises`, gets the
//! pristine stub in place of each broken `fn` (the pristine file in place of each broken
//! file) and is graded instead. The copy lives in a workspace that builds like the course
//! (`mirror.rs`) in the course's target dir, so the library and the suites already built
//! there are reused. The learner's files are never touched.
//!
//! Errors can come in stages (rustc stops at parse errors before type checking), so the
//! caller repeats build, map, patch until the copy compiles or nothing is left to patch.

use super::cargo::CompileError;
pub use super::manifest::{manifest, package};
use crate::commands::exercise::{pristine_files, pristine_stub};
use anyhow::{anyhow, Context, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use stubgen::Catalog;

/// What the shadow copy replaces, with the error that made it necessary (located in the
/// learner's own file, so that the report points at their line).
#[derive(Debug, Default)]
pub struct Patches {
    /// Exercise id -> its first error; the `fn` gets its pristine stub.
    pub fns: BTreeMap<String, CompileError>,
    /// Section id -> its first error; the whole file gets its pristine version.
    pub files: BTreeMap<String, CompileError>,
    /// Generated scaffolding (`src/lib.rs`, `src/<chapter>/mod.rs`) restored as generated.
    pub scaffold: BTreeMap<PathBuf, CompileError>,
}

impl Patches {
    /// The error that keeps exercise `id` of section `section` from compiling, if any.
    pub fn error_for(&self, id: &str, section: &str) -> Option<&CompileError> {
        self.fns.get(id).or_else(|| self.files.get(section))
    }

    /// Maps `errors`, reported on the crate in `built` (the learner's `exercises/` or the
    /// shadow), to patches. Returns the errors that no new patch can fix.
    pub fn assign(
        &mut self,
        catalog: &Catalog,
        learner: &Path,
        built: &Path,
        errors: &[CompileError],
    ) -> Vec<CompileError> {
        // Patches made before this build were in the code it compiled: an error inside
        // one of them means the patch was not enough. Patches made while reading this
        // build's errors just collect that place's further errors.
        let before = Patches {
            fns: self.fns.clone(),
            files: self.files.clone(),
            scaffold: self.scaffold.clone(),
        };
        let mut left = vec![];
        for e in errors {
            if !self.assign_one(catalog, learner, built, e, &before) {
                left.push(e.clone());
            }
        }
        left
    }

    fn assign_one(
        &mut self,
        catalog: &Catalog,
        learner: &Path,
        built: &Path,
        e: &CompileError,
        before: &Patches,
    ) -> bool {
        let Ok(rel) = e.file.strip_prefix(built) else { return false };
        let Some(section) =
            catalog.sections.iter().find(|s| rel == Path::new(&format!("src/{}.rs", s.module)))
        else {
            // lib.rs or a chapter's mod.rs: regenerate it in the copy (once).
            let generated = rel == Path::new("src/lib.rs")
                || catalog
                    .chapters()
                    .iter()
                    .any(|(c, _)| rel == Path::new(&format!("src/{c}/mod.rs")));
            return generated && !before.scaffold.contains_key(rel) && {
                let mut located = e.clone();
                located.file = learner.join(rel);
                self.scaffold.entry(rel.to_path_buf()).or_insert(located);
                true
            };
        };
        if before.files.contains_key(&section.id) {
            return false; // the pristine file itself fails: nothing more to patch here
        }
        if self.files.contains_key(&section.id) {
            return true; // already going back to pristine
        }
        let mut located = e.clone();
        located.file = learner.join(rel);
        let built_text = std::fs::read_to_string(&e.file).unwrap_or_default();
        let learner_text = std::fs::read_to_string(&located.file).unwrap_or_default();
        let hit = catalog.exercises_in(&section.id).find_map(|ex| {
            stubgen::fn_lines(&built_text, &ex.item)
                .filter(|(a, b)| (*a..=*b).contains(&e.line))
                .map(|r| (ex, r))
        });
        match hit {
            Some((ex, _)) if self.fns.contains_key(&ex.id) && !before.fns.contains_key(&ex.id) => {}
            Some((ex, (start, _))) if !self.fns.contains_key(&ex.id) => {
                // The copy only differs inside patched fns, so the offset within this fn
                // carries over to the learner's file.
                if let Some((learner_start, _)) = stubgen::fn_lines(&learner_text, &ex.item) {
                    located.line = learner_start + (e.line - start);
                }
                self.fns.insert(ex.id.clone(), located);
            }
            // Outside every fn, a file that does not parse, or a pristine stub that still
            // fails (a broken import): the whole file goes back to pristine.
            _ => {
                self.files.insert(section.id.clone(), located);
            }
        }
        true
    }
}

/// Writes the shadow workspace under `target_dir` and returns its folder; the copy of the
/// learner's crate is its `exercises/`.
pub fn write(
    root: &Path,
    catalog: &Catalog,
    target_dir: &Path,
    patches: &Patches,
) -> Result<PathBuf> {
    let workspace = target_dir.join("course-grade").join(package(root));
    let shadow = workspace.join("exercises");
    std::fs::create_dir_all(&shadow)?;
    // The patched files' final text first, so that each file is written at most once.
    let pristine = pristine_files(root, catalog)?;
    let get = |rel: &Path| {
        pristine
            .get(&Path::new("exercises").join(rel))
            .ok_or_else(|| anyhow!("no pristine {}", rel.display()))
    };
    let mut overrides: BTreeMap<PathBuf, String> = BTreeMap::new();
    for rel in patches.scaffold.keys() {
        overrides.insert(rel.clone(), get(rel)?.clone());
    }
    for section in catalog.sections.iter() {
        let rel = PathBuf::from(format!("src/{}.rs", section.module));
        if patches.files.contains_key(&section.id) {
            let text = get(&rel)?.clone();
            overrides.insert(rel, text);
            continue;
        }
        let broken: Vec<_> = catalog
            .exercises_in(&section.id)
            .filter(|ex| patches.fns.contains_key(&ex.id))
            .collect();
        if broken.is_empty() {
            continue;
        }
        let mut text = std::fs::read_to_string(root.join("exercises").join(&rel))?;
        for ex in broken {
            let stub = pristine_stub(get(&rel)?, &ex.item)?;
            text = stubgen::replace_fn(&text, &ex.item, &stub)?;
        }
        overrides.insert(rel, text);
    }
    sync_dir(&root.join("exercises"), &shadow, Path::new(""), &overrides)?;
    for (rel, text) in &overrides {
        write_if_changed(&shadow.join(rel), text)?; // also files the learner lacks
    }
    write_if_changed(&shadow.join("Cargo.toml"), &manifest(root)?)?;
    super::mirror::workspace(root, &workspace)?;
    Ok(workspace)
}

/// Mirrors `from` into `to` (except manifests and build output), writing only files that
/// changed, so that cargo's mtime check does not rebuild what did not change. `rel` is
/// the path of `from` inside the crate; `overrides` replace files' contents.
fn sync_dir(
    from: &Path,
    to: &Path,
    rel: &Path,
    overrides: &BTreeMap<PathBuf, String>,
) -> Result<()> {
    let skip = |name: &str| matches!(name, "Cargo.toml" | "Cargo.lock" | "target");
    let mut seen = BTreeSet::new();
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let name = entry.file_name();
        if skip(&name.to_string_lossy()) {
            continue;
        }
        seen.insert(name.clone());
        let (src, dst, inner) = (entry.path(), to.join(&name), rel.join(&name));
        if entry.file_type()?.is_dir() {
            std::fs::create_dir_all(&dst)?;
            sync_dir(&src, &dst, &inner, overrides)?;
        } else if let Some(text) = overrides.get(&inner) {
            write_if_changed(&dst, text)?;
        } else {
            let bytes = std::fs::read(&src)?;
            if std::fs::read(&dst).ok().as_deref() != Some(bytes.as_slice()) {
                std::fs::write(&dst, bytes)?;
            }
        }
    }
    // Files the learner deleted must disappear from the copy too.
    for entry in std::fs::read_dir(to)? {
        let entry = entry?;
        let name = entry.file_name();
        let at_top = rel.as_os_str().is_empty();
        let keep = seen.contains(&name)
            || (at_top && skip(&name.to_string_lossy()))
            || overrides.contains_key(&rel.join(&name));
        if !keep {
            if entry.file_type()?.is_dir() {
                std::fs::remove_dir_all(entry.path())?;
            } else {
                std::fs::remove_file(entry.path())?;
            }
        }
    }
    Ok(())
}

fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    super::mirror::write_if_changed(path, text.as_bytes())
}
