//! One drill session: asks the picked questions in turn over any line reader and writer,
//! checks choice and numeric answers, takes a self-rating for open ones, and hands each
//! new card to `save` right after the answer, so that quitting loses at most the current
//! question. It never panics on odd input: it says what is wrong and asks again, and
//! end-of-input (Ctrl-D) ends the session with a summary.
//!
//! The terminal stays in its normal line mode (no raw mode), so nothing needs restoring
//! whichever way the session ends, Ctrl-C included.

use super::input::{self, letter, parse_letter, parse_number, parse_rating, with_unit};
use super::schedule::{humanize, review};
use super::{KindName, Lang, Pick, Why};
use crate::bank::{Kind, Question};
use anyhow::Result;
use chrono::{DateTime, Utc};
use console::Style;
use rs_fsrs::{Card, Rating};
use std::io::{BufRead, Write};

/// How the session looks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Config {
    pub lang: Lang,
    /// ANSI colours (on for a terminal, off for pipes and tests).
    pub color: bool,
    /// Write each line read after its prompt: when input is not a terminal, the
    /// transcript then still shows what was answered.
    pub echo: bool,
}

/// One answered question.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    pub id: String,
    /// The title in the session's language.
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

/// The session's I/O, colours and clock.
struct Io<'a, R, W> {
    input: &'a mut R,
    out: &'a mut W,
    config: Config,
}

impl<R: BufRead, W: Write> Io<'_, R, W> {
    /// Reads one line; `None` at end of input. Bytes that are not UTF-8 are replaced, not
    /// fatal: the parsers then reject them with a message.
    fn line(&mut self) -> Result<Option<String>> {
        let mut bytes = vec![];
        if self.input.read_until(b'\n', &mut bytes)? == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&bytes).trim_end_matches(['\n', '\r']).to_string();
        if self.config.echo {
            writeln!(self.out, "{text}")?;
        }
        Ok(Some(text))
    }

    /// Prompts until `parse` accepts the line; `None` at end of input.
    fn ask<T>(
        &mut self,
        prompt: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Option<T>> {
        loop {
            write!(self.out, "{prompt}")?;
            self.out.flush()?;
            let Some(text) = self.line()? else { return Ok(None) };
            match parse(&text) {
                Ok(value) => return Ok(Some(value)),
                Err(message) => {
                    let message = self.paint(Style::new().yellow(), &message);
                    writeln!(self.out, "  {message}")?
                }
            }
        }
    }

    fn paint(&self, style: Style, text: &str) -> String {
        style.force_styling(self.config.color).apply_to(text).to_string()
    }
}

/// Asks every pick in turn and prints a summary with the review of mistakes. `clock`
/// gives the review time; `save(id, card)` stores a question's new card and is called
/// after every answer.
pub fn run<R: BufRead, W: Write>(
    picks: &[Pick],
    input: &mut R,
    out: &mut W,
    config: Config,
    clock: &mut dyn FnMut() -> DateTime<Utc>,
    save: &mut dyn FnMut(&str, &Card) -> Result<()>,
) -> Result<Summary> {
    let mut io = Io { input, out, config };
    let mut summary = Summary { total: picks.len(), ..Summary::default() };
    let (due, new) = (
        picks.iter().filter(|p| p.why == Why::Due).count(),
        picks.iter().filter(|p| p.why == Why::New).count(),
    );
    writeln!(
        io.out,
        "{} questions ({due} due, {new} new{}). Every answer is saved at once; Ctrl-D ends the \
         session.",
        picks.len(),
        match picks.len() - due - new {
            0 => String::new(),
            ahead => format!(", {ahead} not yet due"),
        }
    )?;
    for (i, pick) in picks.iter().enumerate() {
        header(&mut io, i + 1, picks.len(), pick)?;
        let Some(mut answered) = ask_one(&mut io, pick.question)? else {
            summary.ended_early = true;
            break;
        };
        let now = clock();
        answered.card = review(&pick.card, now, answered.rating);
        save(&pick.question.id, &answered.card)?;
        let next = format!(
            "  Rated {}; next review {}.",
            input::rating_name(answered.rating),
            humanize(answered.card.due, now)
        );
        writeln!(io.out, "{}", io.paint(Style::new().dim(), &next))?;
        summary.answered.push(answered);
    }
    print_summary(&mut io, &summary)?;
    Ok(summary)
}

/// `── 2 of 5 · §1.1 · multiple choice · ★★☆ · new ──`, then the titles.
fn header<R: BufRead, W: Write>(
    io: &mut Io<R, W>,
    n: usize,
    total: usize,
    pick: &Pick,
) -> Result<()> {
    let q = pick.question;
    let kind = match q.kind {
        Kind::Open => "open",
        Kind::Choice { .. } => "multiple choice",
        Kind::Numeric { .. } => "numeric",
    };
    let stars = "★".repeat(q.difficulty as usize) + &"☆".repeat(3 - q.difficulty as usize);
    let why = match pick.why {
        Why::Due => "due",
        Why::New => "new",
        Why::Ahead => "not yet due",
    };
    let line = format!("── {n} of {total} · §{} · {kind} · {stars} · {why} ──", q.section);
    writeln!(io.out, "\n{}", io.paint(Style::new().cyan(), &line))?;
    let (first, second) = titles(q, io.config.lang);
    writeln!(io.out, "{}", io.paint(Style::new().bold(), first))?;
    writeln!(io.out, "{}", io.paint(Style::new().dim(), second))?;
    Ok(())
}

/// The title in `lang`, then the other one.
pub fn titles(q: &Question, lang: Lang) -> (&str, &str) {
    match lang {
        Lang::En => (&q.title_en, &q.title_zh),
        Lang::Zh => (&q.title_zh, &q.title_en),
    }
}

/// Asks one question; `None` if input ended first. The card is filled in by the caller.
fn ask_one<R: BufRead, W: Write>(io: &mut Io<R, W>, q: &Question) -> Result<Option<Answered>> {
    let title = titles(q, io.config.lang).0.to_string();
    let mut answered = Answered {
        id: q.id.clone(),
        title,
        kind: KindName::of(&q.kind),
        yours: String::new(),
        right: String::new(),
        correct: None,
        rating: Rating::Good,
        card: Card::default(),
    };
    match &q.kind {
        Kind::Choice { options, correct, explanations } => {
            writeln!(io.out)?;
            for (i, option) in options.iter().enumerate() {
                writeln!(io.out, "  {}) {option}", letter(i))?;
            }
            let prompt = format!("Your answer (a–{}): ", letter(options.len() - 1));
            let Some(pick) = io.ask(&prompt, |t| parse_letter(t, options.len()))? else {
                return Ok(None);
            };
            answered.yours = format!("{}) {}", letter(pick), options[pick]);
            answered.right = format!("{}) {}", letter(*correct), options[*correct]);
            answered.correct = Some(pick == *correct);
            if pick == *correct {
                writeln!(
                    io.out,
                    "{}",
                    io.paint(Style::new().green(), &format!("✓ Right: {}", answered.right))
                )?;
            } else {
                writeln!(
                    io.out,
                    "{}",
                    io.paint(Style::new().red(), &format!("✗ Not {}", answered.yours))
                )?;
                writeln!(io.out, "{}", indent(&explanations[pick]))?;
                writeln!(
                    io.out,
                    "{}",
                    io.paint(Style::new().green(), &format!("The answer is {}", answered.right))
                )?;
            }
            writeln!(io.out, "{}", indent(&explanations[*correct]))?;
        }
        Kind::Numeric { value, tolerance, unit, .. } => {
            let shown_unit =
                if unit.starts_with('(') { String::new() } else { format!(" ({unit})") };
            let Some((x, typed_unit)) =
                io.ask(&format!("Your answer{shown_unit}: "), parse_number)?
            else {
                return Ok(None);
            };
            if !typed_unit.is_empty()
                && !shown_unit.is_empty()
                && !unit.eq_ignore_ascii_case(&typed_unit)
            {
                let note = format!("(`{typed_unit}` ignored: the answer is counted in {unit})");
                writeln!(io.out, "  {}", io.paint(Style::new().yellow(), &note))?;
            }
            // A hair of relative slack, so that 0.1 + 0.2 style rounding never fails an exact answer.
            let ok = (x - value).abs() <= tolerance + 1e-9 * value.abs().max(1.0);
            answered.yours = with_unit(x, unit);
            answered.right = with_unit(*value, unit);
            if *tolerance > 0.0 {
                answered.right += &format!(" (± {})", input::format_number(*tolerance));
            }
            answered.correct = Some(ok);
            let verdict = if ok {
                io.paint(Style::new().green(), &format!("✓ Right: {}", answered.right))
            } else {
                io.paint(
                    Style::new().red(),
                    &format!("✗ Not {}: the answer is {}", answered.yours, answered.right),
                )
            };
            writeln!(io.out, "{verdict}")?;
            writeln!(io.out, "{}", indent(&q.answer))?;
        }
        Kind::Open => {
            let prompt = "Answer it in your head (or type notes), then press Enter to see the model answer: ";
            let Some(notes) = io.ask(prompt, |t| Ok(t.trim().to_string()))? else {
                return Ok(None);
            };
            answered.yours = if notes.is_empty() { "(no notes)".to_string() } else { notes };
            answered.right = first_sentence(&q.answer);
            writeln!(io.out, "{}", io.paint(Style::new().green(), "Model answer:"))?;
            writeln!(io.out, "{}", indent(&q.answer))?;
            let prompt = "How well did you know it? 1 Again · 2 Hard · 3 Good · 4 Easy: ";
            let Some(rating) = io.ask(prompt, |t| parse_rating(t, None))? else {
                return Ok(None);
            };
            answered.rating = rating;
            return Ok(Some(answered));
        }
    }
    // A right checked answer is Good unless the learner says it was Hard or Easy; a wrong
    // one is Again, without asking.
    if answered.correct == Some(true) {
        let prompt = "Enter = Good, or 2 Hard · 4 Easy: ";
        let Some(rating) = io.ask(prompt, |t| parse_rating(t, Some(Rating::Good)))? else {
            return Ok(None);
        };
        answered.rating = rating;
    } else {
        answered.rating = Rating::Again;
    }
    Ok(Some(answered))
}

/// The totals, then every mistake: the question, your answer, the right one.
fn print_summary<R: BufRead, W: Write>(io: &mut Io<R, W>, s: &Summary) -> Result<()> {
    let n = s.answered.len();
    let right = s.answered.iter().filter(|a| a.correct == Some(true)).count();
    let wrong = s.answered.iter().filter(|a| a.correct == Some(false)).count();
    let open = n - right - wrong;
    writeln!(io.out)?;
    if s.ended_early {
        writeln!(io.out, "Session ended early; the answers so far are saved.")?;
    }
    let head = format!(
        "── Summary: {n} of {} answered · {right} right · {wrong} wrong · {open} open ──",
        s.total
    );
    writeln!(io.out, "{}", io.paint(Style::new().cyan(), &head))?;
    let mistakes: Vec<&Answered> = s.answered.iter().filter(|a| a.is_mistake()).collect();
    if mistakes.is_empty() {
        if n > 0 {
            writeln!(io.out, "No mistakes.")?;
        }
        return Ok(());
    }
    writeln!(io.out, "To review ({}):", mistakes.len())?;
    for (i, a) in mistakes.iter().enumerate() {
        writeln!(io.out, "{}. [{}] {}", i + 1, a.id, a.title)?;
        let yours = match a.correct {
            None => format!("{} (rated Again)", a.yours),
            Some(_) => a.yours.clone(),
        };
        writeln!(io.out, "   yours: {}", io.paint(Style::new().red(), &yours))?;
        writeln!(io.out, "   right: {}", io.paint(Style::new().green(), &a.right))?;
    }
    Ok(())
}

/// The text indented by two spaces, for answers and explanations.
fn indent(text: &str) -> String {
    text.trim()
        .lines()
        .map(|l| if l.is_empty() { String::new() } else { format!("  {l}") })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The answer's first sentence (at most about 160 characters), for the review list.
fn first_sentence(answer: &str) -> String {
    let flat = answer.split_whitespace().collect::<Vec<_>>().join(" ");
    let end = flat.find(". ").map(|i| i + 1).unwrap_or(flat.len());
    let sentence: String = flat[..end].chars().take(160).collect();
    if sentence.chars().count() < flat[..end].chars().count() {
        sentence + "…"
    } else {
        sentence
    }
}
