//! What a drill session hands back: every answered question, and the summary printed at
//! its end (the totals, then each mistake with the learner's answer and the right one).
//!
//! Its own file so that `session` (which fills it) and `text` (which only formats) do not
//! depend on each other: `session` -> `summary` -> `text`.

use super::session::Config;
use super::text::{paint, wrap};
use super::ui::{text, Msg};
use super::KindName;
use console::Style;
use rs_fsrs::{Card, Rating};
use std::io::{self, Write};

/// One answered question.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    pub id: String,
    /// The title in the session's language, as plain text.
    pub title: String,
    pub kind: KindName,
    /// What the learner answered, as shown in the review of mistakes.
    pub yours: String,
    /// The right answer, in short.
    pub right: String,
    /// Checked answers: whether it was right; open questions: `None`.
    pub correct: Option<bool>,
    pub rating: Rating,
    pub card: Card,
}

impl Answered {
    /// A wrong checked answer, or an open one rated Again.
    pub fn is_mistake(&self) -> bool {
        self.correct == Some(false) || (self.correct.is_none() && self.rating == Rating::Again)
    }
}

/// What happened in a session.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// How many questions were picked.
    pub total: usize,
    pub answered: Vec<Answered>,
    /// Input ended (Ctrl-D) before the last question was answered.
    pub ended_early: bool,
}

/// The totals, then every mistake: the question, your answer, the right one.
pub fn print(out: &mut dyn Write, s: &Summary, config: Config) -> io::Result<()> {
    let (lang, color, width) = (config.lang, config.color, config.width);
    let n = s.answered.len();
    let right = s.answered.iter().filter(|a| a.correct == Some(true)).count();
    let wrong = s.answered.iter().filter(|a| a.correct == Some(false)).count();
    writeln!(out)?;
    if s.ended_early {
        writeln!(out, "{}", text(lang, &Msg::EndedEarly))?;
    }
    let head =
        Msg::SummaryHead { answered: n, total: s.total, right, wrong, open: n - right - wrong };
    writeln!(out, "{}", paint(color, Style::new().cyan(), &text(lang, &head)))?;
    let mistakes: Vec<&Answered> = s.answered.iter().filter(|a| a.is_mistake()).collect();
    if mistakes.is_empty() {
        if n > 0 {
            writeln!(out, "{}", text(lang, &Msg::NoMistakes))?;
        }
        return Ok(());
    }
    writeln!(out, "{}", text(lang, &Msg::ToReview { count: mistakes.len() }))?;
    for (i, a) in mistakes.iter().enumerate() {
        let title = wrap(&format!("{}. [{}] {}", i + 1, a.id, a.title), width, 0);
        writeln!(out, "{title}")?;
        let yours = match a.correct {
            None => format!("{}{}", a.yours, text(lang, &Msg::RatedAgain)),
            Some(_) => a.yours.clone(),
        };
        let yours = wrap(&format!("{}{yours}", text(lang, &Msg::Yours)), width, 3);
        let right = wrap(&format!("{}{}", text(lang, &Msg::RightLabel), a.right), width, 3);
        writeln!(out, "{}", paint(color, Style::new().red(), &yours))?;
        writeln!(out, "{}", paint(color, Style::new().green(), &right))?;
    }
    Ok(())
}
