//! `exercises/info.toml`: the catalogue of sections and exercises that the stubs, the CLI
//! and the graded suites all read.

use anyhow::{anyhow, bail, Context, Result};
use serde::Deserialize;
use std::path::Path;

/// A section of the course that has exercises.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// "1.1"
    pub id: String,
    pub title: String,
    pub title_zh: String,
    /// The module path under `src/`, e.g. "foundations/self_attention": the library file is
    /// `solutions/src/<module>.rs` and the learner's is `exercises/src/<module>.rs`.
    pub module: String,
    /// The book page, relative to `chapters/`.
    pub page: String,
    /// The notebook, relative to `notebooks/`.
    pub notebook: String,
    /// The task statement at the top of the exercise file.
    pub task: String,
}

impl Section {
    pub fn solution_path(&self) -> String {
        format!("solutions/src/{}.rs", self.module)
    }
    pub fn exercise_path(&self) -> String {
        format!("exercises/src/{}.rs", self.module)
    }
    /// The chapter module ("foundations").
    pub fn chapter(&self) -> &str {
        self.module.split('/').next().unwrap_or_default()
    }
    /// The section's file name without extension ("self_attention").
    pub fn file_stem(&self) -> &str {
        self.module.rsplit('/').next().unwrap_or_default()
    }
}

/// One exercise: a library function the learner writes again.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// "1.1.attention_weights": the section, then the function's name.
    pub id: String,
    pub section: String,
    /// The function's name in the section's module.
    pub item: String,
    /// Graded hints, from the idea down to the exact calls: `cargo course hint ID` shows
    /// the first, then one more each time it is asked. At least one.
    pub hints: Vec<String>,
    /// The steps, each printed as a `// TODO` line in the stub's body.
    pub todo: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    #[serde(rename = "section")]
    pub sections: Vec<Section>,
    #[serde(rename = "exercise")]
    pub exercises: Vec<Exercise>,
}

impl Catalog {
    /// Reads and checks `exercises/info.toml` under the course root.
    pub fn load(root: &Path) -> Result<Catalog> {
        let path = root.join("exercises/info.toml");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        Self::parse_file(&text, &path.display().to_string())
    }

    pub fn parse(text: &str) -> Result<Catalog> {
        Self::parse_file(text, "exercises/info.toml")
    }

    /// Parses and checks a catalogue; `file` names it in every error message.
    pub fn parse_file(text: &str, file: &str) -> Result<Catalog> {
        let catalog: Catalog = toml::from_str(text).map_err(|e| anyhow!("{file}: {e}"))?;
        for s in &catalog.sections {
            if let Some(problem) = crate::chinese::punctuation_problem(&s.title_zh) {
                bail!("{file}: section {}: `title_zh` {:?}: {problem}", s.id, s.title_zh);
            }
        }
        for ex in &catalog.exercises {
            if ex.hints.is_empty() || ex.hints.iter().any(|h| h.trim().is_empty()) {
                bail!(
                    "{file}: exercise {} needs at least one hint, none of them empty \
                     (`hints = [\"the idea\", \"...\", \"the exact calls\"]`)",
                    ex.id
                );
            }
        }
        let mut seen = std::collections::HashSet::new();
        for ex in &catalog.exercises {
            if !seen.insert(&ex.id) {
                bail!("{file}: exercise id {} appears twice", ex.id);
            }
            catalog.section(&ex.section).map_err(|e| anyhow!("{file}: exercise {}: {e}", ex.id))?;
            if ex.id != format!("{}.{}", ex.section, ex.item) {
                bail!("{file}: exercise id {} should be {}.{}", ex.id, ex.section, ex.item);
            }
        }
        Ok(catalog)
    }

    pub fn section(&self, id: &str) -> Result<&Section> {
        self.sections.iter().find(|s| s.id == id).ok_or_else(|| {
            let ids: Vec<&str> = self.sections.iter().map(|s| s.id.as_str()).collect();
            anyhow!("unknown section `{id}`; the sections are: {}", ids.join(", "))
        })
    }

    pub fn exercise(&self, id: &str) -> Result<&Exercise> {
        // The CLI answers an unknown id with the closest ones (`course::suggest`).
        self.exercises.iter().find(|e| e.id == id).ok_or_else(|| anyhow!("unknown exercise `{id}`"))
    }

    pub fn exercises_in<'a>(&'a self, section: &'a str) -> impl Iterator<Item = &'a Exercise> + 'a {
        self.exercises.iter().filter(move |e| e.section == section)
    }

    /// Sections grouped by chapter module, both in catalogue order.
    pub fn chapters(&self) -> Vec<(String, Vec<Section>)> {
        let mut out: Vec<(String, Vec<Section>)> = vec![];
        for s in &self.sections {
            match out.iter_mut().find(|(c, _)| c == s.chapter()) {
                Some((_, v)) => v.push(s.clone()),
                None => out.push((s.chapter().to_string(), vec![s.clone()])),
            }
        }
        out
    }
}
