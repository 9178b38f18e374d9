//! The checks on one bank file's entries, while they are converted from the raw TOML
//! into [`Question`]s. Each problem is recorded with its line; nothing stops at the first.
//! The Chinese side of each question is checked in `check/chinese.rs`.

mod chinese;

use super::{computed, Kind, Problem, Question, RawQuestion, RawSection, Section};
use toml::Spanned;

/// Collects the problems of one file while its entries are converted.
pub(super) struct Checker<'a> {
    file: &'a str,
    text: &'a str,
    pub(super) problems: Vec<Problem>,
}

impl<'a> Checker<'a> {
    pub(super) fn new(file: &'a str, text: &'a str) -> Self {
        Checker { file, text, problems: vec![] }
    }

    pub(super) fn line(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())].matches('\n').count() + 1
    }

    pub(super) fn report(&mut self, line: usize, message: String) {
        self.problems.push(Problem { file: self.file.to_string(), line, message });
    }

    fn line_of<T>(&self, field: &Spanned<T>) -> usize {
        self.line(field.span().start)
    }

    /// A present, non-blank string; otherwise a problem at the field (or at `line`).
    pub(super) fn required(
        &mut self,
        field: Option<Spanned<String>>,
        line: usize,
        what: &str,
    ) -> String {
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

    /// Chinese titles take full-width punctuation (`stubgen::chinese`).
    pub(super) fn chinese_punctuation(&mut self, line: usize, what: &str, title: &str) {
        if let Some(problem) = stubgen::chinese::punctuation_problem(title) {
            self.report(line, format!("{what}: {problem}"));
        }
    }

    pub(super) fn section(&mut self, s: RawSection) -> Section {
        let line = self.line_of(&s.id);
        let what = format!("section `{}`: `title_zh` (Chinese title)", s.id.get_ref());
        let title_zh = self.required(s.title_zh, line, &what);
        self.chinese_punctuation(line, &what, &title_zh);
        Section { id: s.id.into_inner(), title_en: s.title_en, title_zh }
    }

    pub(super) fn question(&mut self, q: RawQuestion) -> Question {
        let line = self.line_of(&q.id);
        let id = q.id.get_ref().clone();
        let title_en =
            self.required(q.title_en, line, &format!("`{id}`: `title_en` (English title)"));
        let title_zh =
            self.required(q.title_zh, line, &format!("`{id}`: `title_zh` (Chinese title)"));
        self.chinese_punctuation(line, &format!("`{id}`: `title_zh`"), &title_zh);
        let answer = self.required(q.answer, line, &format!("`{id}`: `answer`"));
        let answer_zh =
            self.chinese_text(q.answer_zh, line, &format!("`{id}`: `answer_zh` (Chinese answer)"));
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
            ("options_zh", q.options_zh.is_some()),
            ("explanations_zh", q.explanations_zh.is_some()),
        ];
        let numeric_fields = [
            ("value", q.value.is_some()),
            ("tolerance", q.tolerance.is_some()),
            ("unit", q.unit.is_some()),
            ("unit_zh", q.unit_zh.is_some()),
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
                let kind = self.choice(&id, line, q.options, q.correct, q.explanations);
                self.choice_zh(&id, line, kind, q.options_zh, q.explanations_zh)
            }
            "numeric" => {
                stray(self, "numeric", &choice_fields);
                let kind = self.numeric(&id, line, q.value, q.tolerance, q.unit, q.computed_by);
                self.numeric_zh(&id, line, kind, q.unit_zh)
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
            answer_zh,
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
            options_zh: vec![],
            explanations_zh: vec![],
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
            unit_zh: String::new(),
            computed_by: computed_by.map(Spanned::into_inner),
        }
    }
}
