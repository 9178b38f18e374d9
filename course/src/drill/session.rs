//! One drill session: asks the picked questions in turn over any line reader and writer,
//! checks choice and numeric answers, takes a self-rating for open ones, and hands each
//! new card to `save` right after the answer, so that quitting loses at most the current
//! question. It never panics on odd input: it says what is wrong and asks again, and
//! end-of-input (Ctrl-D) ends the session with a summary.
//!
//! The terminal stays in its normal line mode (no raw mode), so nothing needs restoring
//! whichever way the session ends, Ctrl-C included.

use super::input::{self, letter, parse_letter, parse_number, parse_rating, with_unit};
use super::markdown::{self, plain};
use super::schedule::{humanize, review};
use super::summary::{self, Answered, Summary};
use super::text::{first_sentence, paint, wrap};
use super::ui::{self, content, InputError, Msg};
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
        parse: impl Fn(&str) -> Result<T, InputError>,
    ) -> Result<Option<T>> {
        loop {
            write!(self.out, "{prompt}")?;
            self.out.flush()?;
            let Some(text) = self.line()? else { return Ok(None) };
            match parse(&text) {
                Ok(value) => return Ok(Some(value)),
                Err(problem) => {
                    let message =
                        self.paint(Style::new().yellow(), &problem.text(self.config.lang));
                    writeln!(self.out, "  {message}")?
                }
            }
        }
    }

    fn paint(&self, style: Style, text: &str) -> String {
        paint(self.config.color, style, text)
    }

    /// The drill's own string for `msg`, in the session's language.
    fn t(&self, msg: &Msg) -> String {
        ui::text(self.config.lang, msg)
    }

    /// Writes the drill's own `text` wrapped to the width, indented by `indent`, in `style`.
    fn say(&mut self, style: Style, text: &str, indent: usize) -> Result<()> {
        let wrapped = wrap(text, self.config.width, indent);
        writeln!(self.out, "{}", self.paint(style, &wrapped))?;
        Ok(())
    }

    /// Writes bank text (markdown and maths) rendered to the width, indented by `indent`;
    /// `style` applies to plain text only, since rendered markdown brings its own.
    fn show(&mut self, style: Style, markdown: &str, indent: usize) -> Result<()> {
        let color = self.config.color;
        let rendered = markdown::render(markdown, self.config.width, indent, color);
        let styled =
            if rendered.contains('\x1b') { rendered } else { self.paint(style, &rendered) };
        writeln!(self.out, "{styled}")?;
        Ok(())
    }

    /// Bank text in the session's language: the Chinese (or English) text, and with
    /// `--lang both` the English one after it, dimmed.
    fn bilingual(&mut self, zh: &str, en: &str, indent: usize) -> Result<()> {
        let (first, second) = content(self.config.lang, zh, en);
        self.show(Style::new(), first, indent)?;
        if let Some(second) = second {
            self.show(Style::new().dim(), second, indent)?;
        }
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
    let intro = Msg::Intro { total: picks.len(), due, new, ahead: picks.len() - due - new };
    io.say(Style::new(), &io.t(&intro), 0)?;
    for (i, pick) in picks.iter().enumerate() {
        header(&mut io, i + 1, picks.len(), pick)?;
        let Some(mut answered) = ask_one(&mut io, pick.question)? else {
            summary.ended_early = true;
            break;
        };
        let now = clock();
        answered.card = review(&pick.card, now, answered.rating);
        save(&pick.question.id, &answered.card)?;
        let rating = io.t(&Msg::Rating(answered.rating));
        let next = humanize(answered.card.due, now, config.lang);
        let line = io.t(&Msg::Rated { rating, next });
        writeln!(io.out, "{}", io.paint(Style::new().dim(), &line))?;
        summary.answered.push(answered);
        if io.ended {
            summary.ended_early = summary.answered.len() < picks.len();
            break;
        }
    }
    summary::print(io.out, &summary, config)?;
    Ok(summary)
}

/// `── 2 of 5 · §1.1 · multiple choice · ★★☆ · new ──`, then the title(s).
fn header<R: BufRead, W: Write>(
    io: &mut Io<R, W>,
    n: usize,
    total: usize,
    pick: &Pick,
) -> Result<()> {
    let q = pick.question;
    let kind = io.t(&match q.kind {
        Kind::Open => Msg::KindOpen,
        Kind::Choice { .. } => Msg::KindChoice,
        Kind::Numeric { .. } => Msg::KindNumeric,
    });
    let stars = "★".repeat(q.difficulty as usize) + &"☆".repeat(3 - q.difficulty as usize);
    let why = io.t(&match pick.why {
        Why::Due => Msg::WhyDue,
        Why::New => Msg::WhyNew,
        Why::Ahead => Msg::WhyAhead,
    });
    let counter = io.t(&Msg::Counter { n, total });
    let line = format!("── {counter} · §{} · {kind} · {stars} · {why} ──", q.section);
    writeln!(io.out, "\n{}", io.paint(Style::new().cyan(), &line))?;
    let (first, second) = titles(q, io.config.lang);
    io.show(Style::new().bold(), first, 0)?;
    if let Some(second) = second {
        io.show(Style::new().dim(), second, 0)?;
    }
    Ok(())
}

/// The title in `lang`, then (for `zh` and `both`) the English one, to check a term.
pub fn titles(q: &Question, lang: Lang) -> (&str, Option<&str>) {
    match lang {
        Lang::En => (&q.title_en, None),
        Lang::Zh | Lang::Both => (&q.title_zh, Some(&q.title_en)),
    }
}

/// The bank's text in `lang` on one line, for the summary: "乙 / second" with `both`.
fn short(lang: Lang, zh: &str, en: &str) -> String {
    match content(lang, zh, en) {
        (first, Some(second)) => format!("{} / {}", plain(first), plain(second)),
        (first, None) => plain(first),
    }
}

/// The Chinese item `i` of a list that may not be translated yet.
fn nth(list: &[String], i: usize) -> &str {
    list.get(i).map_or("", String::as_str)
}

/// Asks one question; `None` if input ended first. The card is filled in by the caller.
fn ask_one<R: BufRead, W: Write>(io: &mut Io<R, W>, q: &Question) -> Result<Option<Answered>> {
    let lang = io.config.lang;
    let mut answered = Answered {
        id: q.id.clone(),
        title: plain(titles(q, lang).0),
        kind: KindName::of(&q.kind),
        yours: String::new(),
        right: String::new(),
        correct: None,
        rating: Rating::Good,
        card: Card::default(),
    };
    match &q.kind {
        Kind::Choice { options, correct, explanations, options_zh, explanations_zh } => {
            writeln!(io.out)?;
            for (i, option) in options.iter().enumerate() {
                let (first, second) = content(lang, nth(options_zh, i), option);
                // Continuation lines hang under the option's text, not under its letter.
                let shown = markdown::render(first, io.config.width, 5, io.config.color);
                writeln!(io.out, "  {}) {}", letter(i), &shown[5..])?;
                if let Some(second) = second {
                    io.show(Style::new().dim(), second, 5)?;
                }
            }
            writeln!(io.out)?;
            let prompt = io.t(&Msg::ChoicePrompt { last: letter(options.len() - 1) });
            let Some(pick) = io.ask(&prompt, |t| parse_letter(t, options.len()))? else {
                return Ok(None);
            };
            let label = |i: usize| {
                format!("{}) {}", letter(i), short(lang, nth(options_zh, i), &options[i]))
            };
            answered.yours = label(pick);
            answered.right = label(*correct);
            answered.correct = Some(pick == *correct);
            if pick == *correct {
                io.say(
                    Style::new().green(),
                    &io.t(&Msg::Right { answer: answered.right.clone() }),
                    0,
                )?;
            } else {
                io.say(
                    Style::new().red(),
                    &io.t(&Msg::NotThis { yours: answered.yours.clone() }),
                    0,
                )?;
                io.bilingual(nth(explanations_zh, pick), &explanations[pick], 2)?;
                let right = io.t(&Msg::TheAnswerIs { answer: answered.right.clone() });
                io.say(Style::new().green(), &right, 0)?;
            }
            io.bilingual(nth(explanations_zh, *correct), &explanations[*correct], 2)?;
        }
        Kind::Numeric { value, tolerance, unit, unit_zh, .. } => {
            let shown = content(lang, unit_zh, unit).0;
            let shown = if shown.starts_with('(') || shown.starts_with('（') { "" } else { shown };
            let prompt = io.t(&Msg::NumericPrompt { unit: shown.to_string() });
            let Some((x, typed)) = io.ask(&prompt, parse_number)? else {
                return Ok(None);
            };
            let known = [unit, unit_zh].iter().any(|u| u.eq_ignore_ascii_case(&typed));
            if !typed.is_empty() && !shown.is_empty() && !known {
                let note = io.t(&Msg::UnitIgnored { typed, unit: shown.to_string() });
                io.say(Style::new().yellow(), &note, 2)?;
            }
            // A hair of relative slack, so that 0.1 + 0.2 style rounding never fails an exact
            // answer.
            let ok = (x - value).abs() <= tolerance + 1e-9 * value.abs().max(1.0);
            answered.yours = with_unit(x, shown);
            answered.right = with_unit(*value, shown);
            if *tolerance > 0.0 {
                answered.right += &format!(" (± {})", input::format_number(*tolerance));
            }
            answered.correct = Some(ok);
            if ok {
                io.say(
                    Style::new().green(),
                    &io.t(&Msg::Right { answer: answered.right.clone() }),
                    0,
                )?;
            } else {
                let verdict = Msg::NotNumber {
                    yours: answered.yours.clone(),
                    answer: answered.right.clone(),
                };
                io.say(Style::new().red(), &io.t(&verdict), 0)?;
            }
            io.bilingual(&q.answer_zh, &q.answer, 2)?;
        }
        Kind::Open => {
            let Some(notes) = io.ask(&io.t(&Msg::OpenPrompt), |t| Ok(t.trim().to_string()))? else {
                return Ok(None);
            };
            answered.yours = if notes.is_empty() { io.t(&Msg::NoNotes) } else { notes };
            answered.right = first_sentence(&plain(content(lang, &q.answer_zh, &q.answer).0));
            io.say(Style::new().green(), &io.t(&Msg::ModelAnswer), 0)?;
            io.bilingual(&q.answer_zh, &q.answer, 2)?;
            let Some(rating) = io.ask(&io.t(&Msg::RatePrompt), |t| parse_rating(t, None))? else {
                return Ok(None);
            };
            answered.rating = rating;
            return Ok(Some(answered));
        }
    }
    // A right checked answer is Good unless the learner says it was Hard or Easy; a wrong
    // one is Again, without asking.
    if answered.correct == Some(true) {
        // End of input here still saves the answer, as Good.
        let prompt = io.t(&Msg::RateRightPrompt);
        let rating = io.ask(&prompt, |t| parse_rating(t, Some(Rating::Good)))?;
        answered.rating = rating.unwrap_or(Rating::Good);
    } else {
        answered.rating = Rating::Again;
    }
    Ok(Some(answered))
}
