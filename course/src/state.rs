//! The learner's state: one JSON file, `.course-state.json` at the course root.
//!
//! It records which exercises have passed (and when first), and keeps every field it does
//! not know (a drill schedule, say) so that other commands can extend it without this one
//! losing their data. It is written atomically: a temp file in the same folder, fsync,
//! rename, so that a crash or Ctrl-C mid-write never leaves half a file. A file that does
//! not parse is moved aside to `.course-state.json.corrupt-<unix time>` and reported in one
//! line on stderr, never silently discarded; the course then goes on with a fresh state.

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The state file's name, at the course root (gitignored).
pub const FILE: &str = ".course-state.json";

/// Everything the course remembers about the learner.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// Per exercise id ("1.1.split_heads"), the outcome of its last grading.
    #[serde(default)]
    pub exercises: BTreeMap<String, ExerciseState>,
    /// Per exercise id, how many of its graded hints `cargo course hint` has shown.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hints: BTreeMap<String, usize>,
    /// Fields owned by other features (e.g. `drill`); kept as they are when rewriting.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// What the course knows about one exercise.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExerciseState {
    /// The last grading's status: "passed", "failed", "not_started", "panicked",
    /// "calls_library", "does_not_compile" or "no_result".
    pub status: String,
    /// When it first passed (Unix seconds). It stays set if the exercise later breaks:
    /// once passed, its solution may be shown freely.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_passed: Option<u64>,
    /// When it was last graded (Unix seconds).
    #[serde(default)]
    pub last_graded: u64,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Seconds since the Unix epoch (0 if the clock is before it).
pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

impl State {
    pub fn path(root: &Path) -> PathBuf {
        root.join(FILE)
    }

    /// Reads the state; a missing file is a fresh state, a corrupt one is backed up,
    /// reported on stderr and replaced by a fresh state.
    pub fn load(root: &Path) -> Result<State> {
        let path = Self::path(root);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::default()),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        match serde_json::from_str(&text) {
            Ok(state) => Ok(state),
            Err(err) => {
                let backup = backup_corrupt(&path)?;
                eprintln!(
                    "warning: {} was corrupt ({err}); kept it as {} and started a fresh state",
                    path.display(),
                    backup.display()
                );
                Ok(State::default())
            }
        }
    }

    /// Writes the state atomically (temp file in the same folder, fsync, rename).
    pub fn save(&self, root: &Path) -> Result<()> {
        let path = Self::path(root);
        let json = serde_json::to_string_pretty(self)? + "\n";
        write_atomic(&path, json.as_bytes())
    }

    /// Whether the exercise has ever passed.
    pub fn has_passed(&self, id: &str) -> bool {
        self.exercises.get(id).is_some_and(|e| e.first_passed.is_some())
    }

    /// Whether the exercise passed at its last grading.
    pub fn passes_now(&self, id: &str) -> bool {
        self.exercises.get(id).is_some_and(|e| e.status == "passed")
    }

    /// Records a grading outcome at time `at`, keeping the first-passed time.
    pub fn record(&mut self, id: &str, status: &str, at: u64) {
        let entry = self.exercises.entry(id.to_string()).or_default();
        entry.status = status.to_string();
        entry.last_graded = at;
        if status == "passed" && entry.first_passed.is_none() {
            entry.first_passed = Some(at);
        }
    }
}

/// Moves a corrupt state file aside and returns the backup's path.
fn backup_corrupt(path: &Path) -> Result<PathBuf> {
    let mut backup = PathBuf::from(format!("{}.corrupt-{}", path.display(), now()));
    // Two corruptions within one second must not overwrite the first backup.
    let mut n = 1;
    while backup.exists() {
        backup = PathBuf::from(format!("{}.corrupt-{}-{n}", path.display(), now()));
        n += 1;
    }
    std::fs::rename(path, &backup)
        .with_context(|| format!("moving {} aside to {}", path.display(), backup.display()))?;
    Ok(backup)
}

/// Writes `bytes` to `path` so that readers see the old file or the new one, never a mix:
/// the temp file lives in the same folder because rename is only atomic within one
/// filesystem.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("state");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| -> Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        // subtle: without fsync the rename can reach the disk before the data does, and a
        // power cut then leaves an empty file under the real name.
        file.sync_all()?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_is_a_fresh_state() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(State::load(dir.path()).unwrap(), State::default());
    }

    #[test]
    fn save_then_load_round_trips_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = State::default();
        state.record("1.1.split_heads", "failed", 10);
        state.record("1.1.split_heads", "passed", 20);
        state.record("1.1.split_heads", "failed", 30);
        state.save(dir.path()).unwrap();
        let back = State::load(dir.path()).unwrap();
        assert_eq!(back, state);
        let e = &back.exercises["1.1.split_heads"];
        assert_eq!((e.status.as_str(), e.first_passed, e.last_graded), ("failed", Some(20), 30));
        assert!(back.has_passed("1.1.split_heads") && !back.passes_now("1.1.split_heads"));
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap()).collect();
        assert_eq!(names.len(), 1, "only the state file remains: {names:?}");
    }

    #[test]
    fn atomic_write_replaces_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.json");
        write_atomic(&path, b"a much longer first version").unwrap();
        write_atomic(&path, b"short").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "short");
    }

    #[test]
    fn unknown_fields_are_kept_when_rewriting() {
        let dir = tempfile::tempdir().unwrap();
        let text = r#"{"drill": {"due": {"q1": 5}}, "version": 3,
            "exercises": {"1.1.merge_heads": {"status": "passed", "first_passed": 1,
            "last_graded": 2, "note": "mine"}}}"#;
        std::fs::write(State::path(dir.path()), text).unwrap();
        let mut state = State::load(dir.path()).unwrap();
        state.record("1.1.split_heads", "passed", 9);
        state.save(dir.path()).unwrap();
        let raw: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(State::path(dir.path())).unwrap())
                .unwrap();
        assert_eq!(raw["drill"]["due"]["q1"], 5);
        assert_eq!(raw["version"], 3);
        assert_eq!(raw["exercises"]["1.1.merge_heads"]["note"], "mine");
        assert_eq!(raw["exercises"]["1.1.split_heads"]["first_passed"], 9);
    }

    #[test]
    fn corrupt_file_is_backed_up_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(State::path(dir.path()), "{ not json").unwrap();
        assert_eq!(State::load(dir.path()).unwrap(), State::default());
        let backups: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with(".course-state.json.corrupt-"))
            .collect();
        assert_eq!(backups.len(), 1, "{backups:?}");
        let kept = std::fs::read_to_string(dir.path().join(&backups[0])).unwrap();
        assert_eq!(kept, "{ not json");
        assert!(!State::path(dir.path()).exists());
        // A second corruption gets its own backup.
        std::fs::write(State::path(dir.path()), "[").unwrap();
        State::load(dir.path()).unwrap();
        let count = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(count, 2);
    }
}
