//! A workspace beside the course that cargo builds as if it were the course: the shadow
//! copy of `cargo course grade` (`shadow.rs`), and the scratch courses of
//! `course/tests/grade.rs`.
//!
//! Cargo names a workspace member's build after its path relative to the workspace root,
//! and finds a build up to date by its files' modification times. So a workspace whose
//! `solutions/`, `tests/` and `course/stubgen/` are copies at the same relative paths, with
//! their originals' times, reuses the course's own builds of the library and the graded
//! suites in the shared target dir. A crate pointed at by an absolute path would instead be
//! a dependency outside the workspace: another name, the dependencies' profile, and a
//! second build of the library (about a minute and a half on 2 cores, measured) the first
//! time a learner's exercise fails to compile. Symlinked members were rebuilt all the same
//! (measured), so the members are copied; so are the folders they `include_str!` from.
//!
//! Only `exercises/` is the caller's to write; features match the course's too, because
//! the library's manifest (`solutions/Cargo.toml`) asks for what the rest of the workspace
//! turns on.

use anyhow::{Context, Result};
use std::path::Path;

/// The course's crates that the exercises build on, copied with their times.
pub const MEMBERS: [&str; 3] = ["solutions", "tests", "course/stubgen"];

/// Folders the members read at compile time (`include_str!`), copied with their times too.
const INCLUDED: [&str; 2] = ["data", "chapters"];

/// Makes `dest` a workspace of `exercises` (which the caller writes) and copies of
/// [`MEMBERS`], with the course root's manifest (members aside), profiles and lock file.
/// Writes only what changed, so a second call costs a few milliseconds.
pub fn workspace(root: &Path, dest: &Path) -> Result<()> {
    for folder in MEMBERS.into_iter().chain(INCLUDED) {
        let to = dest.join(folder);
        // Earlier versions linked `data/` and `chapters/`: copying into a link would copy
        // each file onto itself.
        if std::fs::symlink_metadata(&to).is_ok_and(|m| m.file_type().is_symlink()) {
            std::fs::remove_file(&to).with_context(|| format!("removing {}", to.display()))?;
        }
        copy_with_times(&root.join(folder), &to)?;
    }
    let text = std::fs::read_to_string(root.join("Cargo.toml"))?;
    let mut manifest: toml::Table = toml::from_str(&text).context("parsing Cargo.toml")?;
    let ws = manifest
        .get_mut("workspace")
        .and_then(|w| w.as_table_mut())
        .context("Cargo.toml has no [workspace]")?;
    let members = std::iter::once("exercises").chain(MEMBERS).map(toml::Value::from);
    ws.insert("members".into(), members.collect::<Vec<_>>().into());
    ws.remove("default-members");
    // Path dependencies stay relative; those this workspace lacks (`peers`) are dropped.
    if let Some(deps) = ws.get_mut("dependencies").and_then(|d| d.as_table_mut()) {
        deps.retain(|_, spec| match spec.get("path").and_then(|p| p.as_str()) {
            Some(path) => dest.join(path).exists(),
            None => true,
        });
    }
    write_if_changed(&dest.join("Cargo.toml"), toml::to_string(&manifest)?.as_bytes())?;
    // The course's lock file pins the very versions already built in the target dir.
    if let Ok(lock) = std::fs::read(root.join("Cargo.lock")) {
        write_if_changed(&dest.join("Cargo.lock"), &lock)?;
    }
    // Subtle: the suites' build script reruns when `exercises/info.toml` is newer than its
    // last run, and both workspaces share that run's output: a fresh time here would rebuild
    // the suites here, then again in the course. The catalogue is never patched, so its copy
    // takes the original's time.
    let info = Path::new("exercises/info.toml");
    copy_file_with_time(&root.join(info), &dest.join(info))
}

/// Mirrors the folder `from` into `to` (leaving out `target/`), each file and folder with
/// its original's modification time; removes what `from` no longer has.
fn copy_with_times(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    let mut seen = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        if entry.file_name() == "target" {
            continue;
        }
        seen.insert(entry.file_name());
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type()?.is_dir() {
            copy_with_times(&src, &dst)?;
        } else {
            copy_file_with_time(&src, &dst)?;
        }
    }
    for entry in std::fs::read_dir(to)? {
        let entry = entry?;
        if !seen.contains(&entry.file_name()) {
            let path = entry.path();
            let gone = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            gone.with_context(|| format!("removing {}", path.display()))?;
        }
    }
    // Last, since writing inside a folder dates it: cargo's check of a folder
    // (`rerun-if-changed=../solutions/src`) reads its subfolders' times as well.
    date_folder(to, std::fs::metadata(from)?.modified()?)
}

#[cfg(unix)]
fn date_folder(folder: &Path, modified: std::time::SystemTime) -> Result<()> {
    let dir = std::fs::File::open(folder)?;
    dir.set_modified(modified).with_context(|| format!("dating {}", folder.display()))
}

/// Windows opens no folder as a `File`; an undated folder only costs one rebuild.
#[cfg(not(unix))]
fn date_folder(_: &Path, _: std::time::SystemTime) -> Result<()> {
    Ok(())
}

/// Copies one file unless `to` already has its bytes and time, and gives it `from`'s time.
fn copy_file_with_time(from: &Path, to: &Path) -> Result<()> {
    let modified = std::fs::metadata(from)?.modified()?;
    let same_time = std::fs::metadata(to).and_then(|m| m.modified()).ok() == Some(modified);
    if same_time && std::fs::read(to).ok() == Some(std::fs::read(from)?) {
        return Ok(());
    }
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::copy(from, to).with_context(|| format!("copying {}", from.display()))?;
    let file = std::fs::File::options().write(true).open(to)?;
    file.set_modified(modified).with_context(|| format!("dating {}", to.display()))
}

/// Writes `bytes` to `path` unless it already holds them (keeping its time then).
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<()> {
    if std::fs::read(path).ok().as_deref() != Some(bytes) {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
