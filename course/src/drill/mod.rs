//! The interview drill: picks questions from the bank (due ones first, then new ones),
//! asks them in the terminal, checks choice and numeric answers, lets the learner rate
//! open ones, and schedules each question's next review with FSRS.
//!
//! The pieces: [`select`] chooses the questions, [`session::run`] asks them over any
//! `BufRead` + `Write` (a terminal or a test's script) and returns a [`summary::Summary`],
//! [`markdown`] renders the bank's text (with [`maths`] as plain text), [`text`] wraps and
//! colours the drill's own strings, which all live in [`ui`] in both languages,
//! [`schedule`] keeps the cards in the learner's state file, [`anki`] exports the bank as
//! an Anki deck. The command itself is `commands/drill.rs`.
//!
//! Imports run one way: `session` -> `summary` -> `text`, `session` -> `markdown` ->
//! `maths`, and `session` -> `input`, `schedule` -> `ui`.

pub mod anki;
pub mod input;
pub mod markdown;
pub mod maths;
pub mod schedule;
pub mod session;
pub mod summary;
#[cfg(test)]
mod tests;
pub mod text;
pub mod ui;

use crate::bank::{Bank, Kind, Question};
use anyhow::Result;
use chrono::{DateTime, Utc};
use rs_fsrs::Card;
use std::collections::BTreeMap;

/// The language the drill speaks: its prompts, and the bank's questions and answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// English only.
    #[default]
    En,
    /// Chinese (中文) everywhere, with each question's English title below it, to check a term.
    Zh,
    /// Chinese first, then English: every question, option, answer and prompt in both.
    Both,
}

/// The kind of question, as a command-line value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KindName {
    Open,
    Choice,
    Numeric,
}

impl KindName {
    pub fn of(kind: &Kind) -> KindName {
        match kind {
            Kind::Open => KindName::Open,
            Kind::Choice { .. } => KindName::Choice,
            Kind::Numeric { .. } => KindName::Numeric,
        }
    }
}

/// Which questions to drill. `None` means any.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub chapter: Option<u32>,
    pub section: Option<String>,
    pub tag: Option<String>,
    pub kind: Option<KindName>,
}

impl Filter {
    pub fn matches(&self, q: &Question) -> bool {
        self.section.as_ref().is_none_or(|s| &q.section == s)
            && self.tag.as_ref().is_none_or(|t| q.tags.iter().any(|qt| qt.eq_ignore_ascii_case(t)))
            && self.kind.is_none_or(|k| KindName::of(&q.kind) == k)
    }

    /// The questions that pass the filter, in bank order. An empty result is a user error
    /// that names what exists, so that a typo in `--tag` does not look like "all done".
    pub fn apply<'a>(&self, banks: &'a [Bank]) -> Result<Vec<&'a Question>> {
        let chapters: Vec<&Bank> =
            banks.iter().filter(|b| self.chapter.is_none_or(|c| b.chapter == c)).collect();
        if chapters.is_empty() {
            let known: Vec<String> = banks.iter().map(|b| b.chapter.to_string()).collect();
            return Err(crate::user_error(format!(
                "no questions for chapter {}: the bank has chapters {}",
                self.chapter.unwrap_or(0),
                known.join(", ")
            )));
        }
        let all: Vec<&Question> = chapters.iter().flat_map(|b| &b.questions).collect();
        if let Some(section) = &self.section {
            if !all.iter().any(|q| &q.section == section) {
                let mut known: Vec<&str> = all.iter().map(|q| q.section.as_str()).collect();
                known.dedup();
                return Err(crate::user_error(format!(
                    "no questions for section `{section}`; sections: {}",
                    known.join(", ")
                )));
            }
        }
        if let Some(tag) = &self.tag {
            if !all.iter().any(|q| q.tags.iter().any(|t| t.eq_ignore_ascii_case(tag))) {
                let mut known: Vec<&str> =
                    all.iter().flat_map(|q| q.tags.iter().map(String::as_str)).collect();
                known.sort();
                known.dedup();
                return Err(crate::user_error(format!(
                    "no question has the tag `{tag}`; tags: {}",
                    known.join(", ")
                )));
            }
        }
        let chosen: Vec<&Question> = all.into_iter().filter(|q| self.matches(q)).collect();
        if chosen.is_empty() {
            return Err(crate::user_error("no question matches all of these filters"));
        }
        Ok(chosen)
    }
}

/// Why a question was picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Reviewed before and due now.
    Due,
    /// Never reviewed.
    New,
    /// Not due yet, picked because of `--all`.
    Ahead,
}

/// One question to ask, with its current card.
#[derive(Debug, Clone)]
pub struct Pick<'a> {
    pub question: &'a Question,
    pub card: Card,
    pub why: Why,
}

/// Up to `count` questions: due ones first (most overdue first), then new ones in bank
/// order, then (with `all`) the rest, soonest due first.
pub fn select<'a>(
    questions: &[&'a Question],
    cards: &BTreeMap<String, Card>,
    now: DateTime<Utc>,
    count: usize,
    all: bool,
) -> Vec<Pick<'a>> {
    let (mut due, mut new, mut ahead) = (vec![], vec![], vec![]);
    for &q in questions {
        match cards.get(&q.id) {
            None => new.push(Pick { question: q, card: schedule::new_card(now), why: Why::New }),
            Some(card) if card.due <= now => {
                due.push(Pick { question: q, card: card.clone(), why: Why::Due })
            }
            Some(card) => ahead.push(Pick { question: q, card: card.clone(), why: Why::Ahead }),
        }
    }
    // Stable sorts: ties keep bank order.
    due.sort_by_key(|p| p.card.due);
    ahead.sort_by_key(|p| p.card.due);
    let mut picks = due;
    picks.extend(new);
    if all {
        picks.extend(ahead);
    }
    picks.truncate(count);
    picks
}

/// The soonest due date among `questions` that are scheduled, for "nothing is due".
pub fn next_due(questions: &[&Question], cards: &BTreeMap<String, Card>) -> Option<DateTime<Utc>> {
    questions.iter().filter_map(|q| cards.get(&q.id)).map(|c| c.due).min()
}
