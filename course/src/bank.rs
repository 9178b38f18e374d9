//! The interview question bank: `data/questions/chN.toml`, one file per chapter.
//!
//! This module loads and validates the bank. The book's interview pages
//! (`cargo course pages`) and the drill read the validated [`Bank`]; the format is
//! documented in `data/questions/README.md`. Every problem is reported with its file and
//! line, all at once, so that one run of `cargo test` lists everything to fix.

mod check;
pub mod computed;
#[cfg(test)]
mod tests;
mod zh_text;

use check::Checker;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// One chapter's questions, validated.
#[derive(Debug, Clone)]
pub struct Bank {
    /// The file, relative to the course root, e.g. `data/questions/ch1.toml`.
    pub file: String,
    pub chapter: u32,
    pub title_en: String,
    pub title_zh: String,
    /// The generated interview page, relative to `chapters/`.
    pub page: String,
    pub sections: Vec<Section>,
    pub questions: Vec<Question>,
}

/// A section of the chapter, e.g. `1.1`, with its titles for the page's headings.
#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    pub title_en: String,
    pub title_zh: String,
}

/// One question, validated.
#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    pub section: String,
    pub difficulty: u8,
    pub tags: Vec<String>,
    pub title_en: String,
    pub title_zh: String,
    /// The model answer, in markdown (LaTeX maths allowed).
    pub answer: String,
    /// The same answer in Chinese (same markdown and maths, full-width punctuation).
    pub answer_zh: String,
    /// Whether the source document asks this question.
    pub seed: bool,
    pub kind: Kind,
    /// The line of its `id`, for messages that point back into the file.
    pub line: usize,
}

/// What kind of answer a question takes, and how it is checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Self-graded after seeing the model answer.
    Open,
    /// Multiple choice: one correct option, and an explanation for every option; the
    /// Chinese lists are in the same order as the English ones.
    Choice {
        options: Vec<String>,
        correct: usize,
        explanations: Vec<String>,
        options_zh: Vec<String>,
        explanations_zh: Vec<String>,
    },
    /// A number, accepted within an absolute tolerance; optionally computed by the library.
    Numeric {
        value: f64,
        tolerance: f64,
        unit: String,
        unit_zh: String,
        computed_by: Option<String>,
    },
}

/// One thing wrong with a bank file, at a line of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// Everything wrong with the bank, one problem per line.
#[derive(Debug)]
pub struct BankError(pub Vec<Problem>);

impl std::fmt::Display for BankError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lines: Vec<String> = self.0.iter().map(Problem::to_string).collect();
        write!(f, "the question bank has {} problem(s):\n{}", self.0.len(), lines.join("\n"))
    }
}

impl std::error::Error for BankError {}

// The file as written. `Spanned` keeps each field's position, so that a problem found
// after parsing still points at its line; unknown keys (typos) are rejected by serde.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    chapter: u32,
    title_en: String,
    title_zh: Option<Spanned<String>>,
    page: String,
    #[serde(default)]
    section: Vec<RawSection>,
    #[serde(default)]
    question: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    id: Spanned<String>,
    title_en: String,
    title_zh: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    section: Spanned<String>,
    kind: Spanned<String>,
    difficulty: Spanned<i64>,
    #[serde(default)]
    tags: Vec<String>,
    title_en: Option<Spanned<String>>,
    title_zh: Option<Spanned<String>>,
    answer: Option<Spanned<String>>,
    #[serde(default)]
    seed: bool,
    options: Option<Spanned<Vec<String>>>,
    correct: Option<Spanned<i64>>,
    explanations: Option<Spanned<Vec<String>>>,
    value: Option<Spanned<f64>>,
    tolerance: Option<Spanned<f64>>,
    unit: Option<Spanned<String>>,
    computed_by: Option<Spanned<String>>,
    // The Chinese side of the answer. Each list item keeps its own span, so that a problem
    // in one option points at that option's line.
    answer_zh: Option<Spanned<String>>,
    options_zh: Option<Spanned<Vec<Spanned<String>>>>,
    explanations_zh: Option<Spanned<Vec<Spanned<String>>>>,
    unit_zh: Option<Spanned<String>>,
}

/// The folder of bank files.
pub fn dir(root: &Path) -> PathBuf {
    root.join("data/questions")
}

/// Loads and validates every `chN.toml` in `data/questions/`, in chapter order, and
/// checks that ids are unique across all of them.
pub fn load_all(root: &Path) -> Result<Vec<Bank>, BankError> {
    let (banks, problems) = load_all_unchecked(root)?;
    if problems.is_empty() {
        Ok(banks)
    } else {
        Err(BankError(problems))
    }
}

/// Every bank file that parses as TOML, with the problems the validator found in them
/// (and in the files that do not parse).
/// A missing field is empty in the returned [`Bank`] (a missing Chinese list is an empty
/// list), so that the tests which render whatever text exists can run on a bank that is
/// still being translated; everything else uses [`load_all`]. Errors only on a file that
/// cannot be read or parsed.
pub fn load_all_unchecked(root: &Path) -> Result<(Vec<Bank>, Vec<Problem>), BankError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir(root))
        .map_err(|e| single("data/questions", 0, format!("cannot read the folder: {e}")))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with("ch") && name.ends_with(".toml")
        })
        .collect();
    files.sort();
    let (mut banks, mut problems) = (vec![], vec![]);
    for path in files {
        let label = format!("data/questions/{}", path.file_name().unwrap().to_string_lossy());
        let text = std::fs::read_to_string(&path)
            .map_err(|e| single(&label, 0, format!("cannot read: {e}")))?;
        match parse_unchecked(&label, &text) {
            Ok((bank, found)) => {
                banks.push(bank);
                problems.extend(found);
            }
            Err(BankError(found)) => problems.extend(found),
        }
    }
    // Ids must be unique across chapters too: the drill's schedule is keyed by id.
    let mut seen = std::collections::HashMap::new();
    for bank in &banks {
        for q in &bank.questions {
            if let Some((file, line)) = seen.insert(q.id.clone(), (bank.file.clone(), q.line)) {
                if file != bank.file {
                    let message = format!("duplicate id `{}` (first at {file}:{line})", q.id);
                    problems.push(Problem { file: bank.file.clone(), line: q.line, message });
                }
            }
        }
    }
    banks.sort_by_key(|b| b.chapter);
    Ok((banks, problems))
}

fn single(file: &str, line: usize, message: String) -> BankError {
    BankError(vec![Problem { file: file.to_string(), line, message }])
}

/// Parses and validates one bank file; `file` is the name used in messages.
pub fn parse(file: &str, text: &str) -> Result<Bank, BankError> {
    match parse_unchecked(file, text)? {
        (bank, problems) if problems.is_empty() => Ok(bank),
        (_, problems) => Err(BankError(problems)),
    }
}

/// The file as a [`Bank`] and the validator's problems with it; an error only if the TOML
/// itself does not parse.
fn parse_unchecked(file: &str, text: &str) -> Result<(Bank, Vec<Problem>), BankError> {
    let mut c = Checker::new(file, text);
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| c.line(s.start)).unwrap_or(1);
        single(file, line, e.message().trim().replace('\n', ": "))
    })?;
    let title_zh = c.required(raw.title_zh, 1, "the chapter's `title_zh` (Chinese title)");
    c.chinese_punctuation(1, "the chapter's `title_zh`", &title_zh);
    let sections: Vec<Section> = raw.section.into_iter().map(|s| c.section(s)).collect();
    let mut questions: Vec<Question> = vec![];
    for raw_question in raw.question {
        let q = c.question(raw_question);
        if let Some(first) = questions.iter().find(|p| p.id == q.id) {
            let message = format!("duplicate id `{}` (first at line {})", q.id, first.line);
            c.report(q.line, message);
        }
        // The id names its section, so that it stays meaningful in the drill's schedule.
        if !q.id.starts_with(&format!("{}.", q.section)) {
            c.report(q.line, format!("id `{}` must start with its section `{}.`", q.id, q.section));
        }
        if !sections.iter().any(|s| s.id == q.section) {
            let known: Vec<&str> = sections.iter().map(|s| s.id.as_str()).collect();
            let message = format!(
                "`{}`: section `{}` is not listed in [[section]] (listed: {})",
                q.id,
                q.section,
                known.join(", ")
            );
            c.report(q.line, message);
        }
        questions.push(q);
    }
    for s in &sections {
        if s.id.split('.').next() != Some(raw.chapter.to_string().as_str()) {
            let message = format!("section `{}` is not in chapter {}", s.id, raw.chapter);
            c.report(1, message);
        }
    }
    let bank = Bank {
        file: file.to_string(),
        chapter: raw.chapter,
        title_en: raw.title_en,
        title_zh,
        page: raw.page,
        sections,
        questions,
    };
    Ok((bank, c.problems))
}
