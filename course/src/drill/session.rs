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
use super::summary::{self, Answered, Summary};
use super::text::{first_sentence, paint, wrap};
use super::{KindName, Lang, Pick, Why};
use crate::bank::{Kind, Question};
use anyhow::Result;
use chrono::{DateTime, Utc};
use console::Style;
use rs_fsrs::{Card, Rating};
use std::io::{BufRead, Write};

/// How the session looks.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    pub lang: Lang,
    /// ANSI colours (on for a terminal, off for pipes and tests).
    pub color: bool,
    /// Write each line read after its prompt: when input is not a terminal, the
    /// transcript then still shows what was answered.
    pub echo: bool,
    /// Columns to wrap long lines at.
    pub width: usize,
}

/// The session's I/O, colours and clock.
struct Io<'a, R, W> {
    input: &'a mut R,
    out: &'a mut W,
    config: Config,
    /// Input has ended (Ctrl-D).
    ended: bool,
}

impl<R: BufRead, W: Write> Io<'_, R, W> {
    /// Reads one line; `None` at end of input. Bytes that are not UTF-8 are replaced, not
    /// fatal: the parsers then reject them with a message.
    fn line(&mut self) -> Result<Option<String>> {
        let mut bytes = vec![];
        if self.input.read_until(b'\n', &mut bytes)? == 0 {
            self.ended = true;
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
        paint(self.config.color, style, text)
    }

    /// Writes `text` wrapped to the width, indented by `indent`, in `style`.
    fn say(&mut self, style: Style, text: &str, indent: usize) -> Result<()> {
        let wrapped = wrap(text, self.config.width, indent);
        writeln!(self.out, "{}", self.paint(style, &wrapped))?;
        Ok(())
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
    let mut io = Io { input, out, config, ended: false };
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
        if io.ended {
            summary.ended_early = summary.answered.len() < picks.len();
            break;
        }
    }
    summary::print(io.out, &summary, config.color, config.width)?;
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
    io.say(Style::new().bold(), first, 0)?;
    io.say(Style::new().dim(), second, 0)?;
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
                // Continuation lines hang under the option's text, not under its letter.
                let wrapped = wrap(option, io.config.width, 5);
                writeln!(io.out, "  {}) {}", letter(i), &wrapped[5..])?;
            }
            writeln!(io.out)?;
            let prompt = format!("Your answer (a–{}): ", letter(options.len() - 1));
            let Some(pick) = io.ask(&prompt, |t| parse_letter(t, options.len()))? else {
                return Ok(None);
            };
            answered.yours = format!("{}) {}", letter(pick), options[pick]);
            answered.right = format!("{}) {}", letter(*correct), options[*correct]);
            answered.correct = Some(pick == *correct);
            if pick == *correct {
                io.say(Style::new().green(), &format!("✓ Right: {}", answered.right), 0)?;
            } else {
                io.say(Style::new().red(), &format!("✗ Not {}", answered.yours), 0)?;
                io.say(Style::new(), &explanations[pick], 2)?;
                io.say(Style::new().green(), &format!("The answer is {}", answered.right), 0)?;
            }
            io.say(Style::new(), &explanations[*correct], 2)?;
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
                io.say(Style::new().yellow(), &note, 2)?;
            }
            // A hair of relative slack, so that 0.1 + 0.2 style rounding never fails an exact
            // answer.
            let ok = (x - value).abs() <= tolerance + 1e-9 * value.abs().max(1.0);
            answered.yours = with_unit(x, unit);
            answered.right = with_unit(*value, unit);
            if *tolerance > 0.0 {
                answered.right += &format!(" (± {})", input::format_number(*tolerance));
            }
            answered.correct = Some(ok);
            if ok {
                io.say(Style::new().green(), &format!("✓ Right: {}", answered.right), 0)?;
            } else {
                let verdict = format!("✗ Not {}: the answer is {}", answered.yours, answered.right);
                io.say(Style::new().red(), &verdict, 0)?;
            }
            io.say(Style::new(), &q.answer, 2)?;
        }
        Kind::Open => {
            let prompt = "Answer it in your head (or type notes), \
                          then press Enter to see the model answer: ";
            let Some(notes) = io.ask(prompt, |t| Ok(t.trim().to_string()))? else {
                return Ok(None);
            };
            answered.yours = if notes.is_empty() { "(no notes)".to_string() } else { notes };
            answered.right = first_sentence(&q.answer);
            io.say(Style::new().green(), "Model answer:", 0)?;
            io.say(Style::new(), &q.answer, 2)?;
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
        // End of input here still saves the answer, as Good.
        let rating = io.ask(prompt, |t| parse_rating(t, Some(Rating::Good)))?;
        answered.rating = rating.unwrap_or(Rating::Good);
    } else {
        answered.rating = Rating::Again;
    }
    Ok(Some(answered))
}
