//! The interview question bank: `data/questions/chN.toml`, one file per chapter.
//!
//! This module loads and validates the bank. The book's interview pages
//! (`cargo course pages`) and the drill read the validated [`Bank`]; the format is
//! documented in `data/questions/README.md`. Every problem is reported with its file and
//! line, all at once, so that one run of `cargo test` lists everything to fix.

pub mod computed;
#[cfg(test)]
mod tests;

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
    /// Multiple choice: one correct option, and an explanation for every option.
    Choice { options: Vec<String>, correct: usize, explanations: Vec<String> },
    /// A number, accepted within an absolute tolerance; optionally computed by the library.
    Numeric { value: f64, tolerance: f64, unit: String, computed_by: Option<String> },
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
}

/// The folder of bank files.
pub fn dir(root: &Path) -> PathBuf {
    root.join("data/questions")
}

/// Loads and validates every `chN.toml` in `data/questions/`, in chapter order, and
/// checks that ids are unique across all of them.
pub fn load_all(root: &Path) -> Result<Vec<Bank>, BankError> {
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
        match parse(&label, &text) {
            Ok(bank) => banks.push(bank),
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
    if problems.is_empty() {
        Ok(banks)
    } else {
        Err(BankError(problems))
    }
}

fn single(file: &str, line: usize, message: String) -> BankError {
    BankError(vec![Problem { file: file.to_string(), line, message }])
}

/// Parses and validates one bank file; `file` is the name used in messages.
pub fn parse(file: &str, text: &str) -> Result<Bank, BankError> {
    let mut c = Checker { file, text, problems: vec![] };
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| c.line(s.start)).unwrap_or(1);
        single(file, line, e.message().trim().replace('\n', ": "))
    })?;
    let title_zh = c.required(raw.title_zh, 1, "the chapter's `title_zh` (Chinese title)");
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
    if !c.problems.is_empty() {
        return Err(BankError(c.problems));
    }
    Ok(Bank {
        file: file.to_string(),
        chapter: raw.chapter,
        title_en: raw.title_en,
        title_zh,
        page: raw.page,
        sections,
        questions,
    })
}

/// Collects the problems of one file while its entries are converted.
struct Checker<'a> {
    file: &'a str,
    text: &'a str,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn line(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())].matches('\n').count() + 1
    }

    fn report(&mut self, line: usize, message: String) {
        self.problems.push(Problem { file: self.file.to_string(), line, message });
    }

    fn line_of<T>(&self, field: &Spanned<T>) -> usize {
        self.line(field.span().start)
    }

    /// A present, non-blank string; otherwise a problem at the field (or at `line`).
    fn required(&mut self, field: Option<Spanned<String>>, line: usize, what: &str) -> String {
        match field {
            Some(s) if !s.get_ref().trim().is_empty() => s.into_inner(),
            Some(s) => {
                self.report(self.line_of(&s), format!("{what} is empty"));
                String::new()
            }
            None => {
                self.report(line, format!("{what} is missing"));
                String::new()
            }
        }
    }

    fn section(&mut self, s: RawSection) -> Section {
        let line = self.line_of(&s.id);
        let what = format!("section `{}`: `title_zh` (Chinese title)", s.id.get_ref());
        let title_zh = self.required(s.title_zh, line, &what);
        Section { id: s.id.into_inner(), title_en: s.title_en, title_zh }
    }

    fn question(&mut self, q: RawQuestion) -> Question {
        let line = self.line_of(&q.id);
        let id = q.id.get_ref().clone();
        let title_en =
            self.required(q.title_en, line, &format!("`{id}`: `title_en` (English title)"));
        let title_zh =
            self.required(q.title_zh, line, &format!("`{id}`: `title_zh` (Chinese title)"));
        let answer = self.required(q.answer, line, &format!("`{id}`: `answer`"));
        let difficulty = *q.difficulty.get_ref();
        if !(1..=3).contains(&difficulty) {
            let at = self.line_of(&q.difficulty);
            self.report(at, format!("`{id}`: difficulty {difficulty} is not 1, 2 or 3"));
        }
        // Fields that belong to another kind are mistakes, not data to ignore silently.
        let choice_fields = [
            ("options", q.options.is_some()),
            ("correct", q.correct.is_some()),
            ("explanations", q.explanations.is_some()),
        ];
        let numeric_fields = [
            ("value", q.value.is_some()),
            ("tolerance", q.tolerance.is_some()),
            ("unit", q.unit.is_some()),
            ("computed_by", q.computed_by.is_some()),
        ];
        let kind_line = self.line_of(&q.kind);
        let stray = |c: &mut Self, kind: &str, fields: &[(&str, bool)]| {
            for (name, present) in fields {
                if *present {
                    c.report(
                        kind_line,
                        format!("`{id}`: `{name}` does not belong to a `{kind}` question"),
                    );
                }
            }
        };
        let kind = match q.kind.get_ref().as_str() {
            "open" => {
                stray(self, "open", &choice_fields);
                stray(self, "open", &numeric_fields);
                Kind::Open
            }
            "choice" => {
                stray(self, "choice", &numeric_fields);
                self.choice(&id, line, q.options, q.correct, q.explanations)
            }
            "numeric" => {
                stray(self, "numeric", &choice_fields);
                self.numeric(&id, line, q.value, q.tolerance, q.unit, q.computed_by)
            }
            other => {
                let message =
                    format!("`{id}`: unknown kind `{other}` (expected open, choice or numeric)");
                self.report(kind_line, message);
                Kind::Open
            }
        };
        Question {
            id,
            section: q.section.into_inner(),
            difficulty: difficulty.clamp(0, 255) as u8,
            tags: q.tags,
            title_en,
            title_zh,
            answer,
            seed: q.seed,
            kind,
            line,
        }
    }

    fn choice(
        &mut self,
        id: &str,
        line: usize,
        options: Option<Spanned<Vec<String>>>,
        correct: Option<Spanned<i64>>,
        explanations: Option<Spanned<Vec<String>>>,
    ) -> Kind {
        let (Some(options), Some(correct), Some(explanations)) = (options, correct, explanations)
        else {
            let message =
                format!("`{id}`: a choice question needs `options`, `correct` and `explanations`");
            self.report(line, message);
            return Kind::Open;
        };
        let n = options.get_ref().len();
        if n < 2 {
            self.report(
                self.line_of(&options),
                format!("`{id}`: {n} option(s); a choice needs at least 2"),
            );
        }
        let index = *correct.get_ref();
        if index < 0 || index as usize >= n {
            let message = format!(
                "`{id}`: correct = {index}, but the options are numbered 0 to {}",
                n.saturating_sub(1)
            );
            self.report(self.line_of(&correct), message);
        }
        let m = explanations.get_ref().len();
        if m != n {
            // One explanation per option, so that every wrong pick can be told why.
            let message =
                format!("`{id}`: {m} explanation(s) for {n} option(s); give one per option");
            self.report(self.line_of(&explanations), message);
        }
        Kind::Choice {
            options: options.into_inner(),
            correct: index.max(0) as usize,
            explanations: explanations.into_inner(),
        }
    }

    fn numeric(
        &mut self,
        id: &str,
        line: usize,
        value: Option<Spanned<f64>>,
        tolerance: Option<Spanned<f64>>,
        unit: Option<Spanned<String>>,
        computed_by: Option<Spanned<String>>,
    ) -> Kind {
        let (Some(value), Some(tolerance)) = (value, tolerance) else {
            self.report(line, format!("`{id}`: a numeric question needs `value` and `tolerance`"));
            return Kind::Open;
        };
        let unit = self.required(unit, line, &format!("`{id}`: `unit`"));
        let tol = *tolerance.get_ref();
        if !(tol >= 0.0 && tol.is_finite()) {
            self.report(
                self.line_of(&tolerance),
                format!("`{id}`: tolerance {tol} must be finite and ≥ 0"),
            );
        }
        if let Some(name) = &computed_by {
            if computed::find(name.get_ref()).is_none() {
                let known: Vec<&str> = computed::ALL.iter().map(|c| c.name).collect();
                let message = format!(
                    "`{id}`: unknown computed_by `{}` (known: {})",
                    name.get_ref(),
                    known.join(", ")
                );
                self.report(self.line_of(name), message);
            }
        }
        Kind::Numeric {
            value: value.into_inner(),
            tolerance: tol,
            unit,
            computed_by: computed_by.map(Spanned::into_inner),
        }
    }
}
