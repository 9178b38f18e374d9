//! `cargo course drill --export-anki FILE`: the bank as an Anki deck, in Anki's
//! plain-text import format (File > Import; Anki 2.1.55 or later reads the `#` headers).
//!
//! One line per question, four tab-separated fields: a stable GUID (`llm-course:<id>`, so
//! that importing a newer export updates the notes instead of duplicating them), the
//! front (both titles, and the options of a choice question), the back (the right
//! option with every explanation, or the number with its unit, then the model answer),
//! and the tags (the bank's, plus chapter and section). Fields are HTML: text is escaped,
//! newlines become `<br>`, and `$...$` maths becomes MathJax's `\(...\)`, which Anki
//! renders.

use super::input::{format_number, letter, with_unit};
use crate::bank::{Bank, Kind, Question};

/// The deck the notes go into.
pub const DECK: &str = "LLM course interview";

/// The whole export: headers, then one line per question.
pub fn render(questions: &[(&Bank, &Question)]) -> String {
    let mut out = String::from("#separator:tab\n#html:true\n#notetype:Basic\n");
    out += &format!("#deck:{DECK}\n#guid column:1\n#tags column:4\n");
    for (bank, q) in questions {
        let fields = [format!("llm-course:{}", q.id), front(bank, q), back(q), tags(bank, q)];
        out += &fields.map(|f| f.replace(['\t', '\n', '\r'], " ")).join("\t");
        out.push('\n');
    }
    out
}

fn front(bank: &Bank, q: &Question) -> String {
    let stars = "★".repeat(q.difficulty as usize) + &"☆".repeat(3 - q.difficulty as usize);
    let mut f = format!(
        "<div>{}</div><div style=\"color:#888\">{}</div>",
        html(&q.title_en),
        html(&q.title_zh)
    );
    match &q.kind {
        Kind::Choice { options, .. } => {
            f += "<ol type=\"a\">";
            for option in options {
                f += &format!("<li>{}</li>", html(option));
            }
            f += "</ol>";
        }
        Kind::Numeric { unit, .. } if !unit.starts_with('(') => {
            f += &format!("<div><i>Answer in {}</i></div>", html(unit));
        }
        _ => {}
    }
    let section = bank.sections.iter().find(|s| s.id == q.section);
    let where_ = section.map(|s| format!("{} {}", s.id, s.title_en)).unwrap_or(q.section.clone());
    f + &format!("<div style=\"font-size:small;color:#888\">§{} · {stars}</div>", html(&where_))
}

fn back(q: &Question) -> String {
    let mut b = String::new();
    match &q.kind {
        Kind::Open => {}
        Kind::Choice { options, correct, explanations } => {
            b += &format!("<b>{}) {}</b><ul>", letter(*correct), html(&options[*correct]));
            for (i, why) in explanations.iter().enumerate() {
                let mark = if i == *correct { "✓" } else { "✗" };
                b += &format!("<li>{} {mark} {}</li>", letter(i), html(why));
            }
            b += "</ul>";
        }
        Kind::Numeric { value, tolerance, unit, .. } => {
            b += &format!("<b>{}</b>", html(&with_unit(*value, unit)));
            if *tolerance > 0.0 {
                b += &format!(" (± {})", format_number(*tolerance));
            }
            b += "<br><br>";
        }
    }
    b + &html(q.answer.trim())
}

/// Space-separated Anki tags: the bank's, then `chN` and `secN.M`, then `llm-course`.
fn tags(bank: &Bank, q: &Question) -> String {
    let mut t: Vec<String> =
        q.tags.iter().map(|t| t.split_whitespace().collect::<Vec<_>>().join("-")).collect();
    t.push(format!("ch{}", bank.chapter));
    t.push(format!("sec{}", q.section));
    t.push("llm-course".to_string());
    t.join(" ")
}

/// Markdown-ish text as one line of HTML: escaped, `**bold**`, `` `code` ``, maths for
/// MathJax, newlines as `<br>`.
pub fn html(text: &str) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\r', "")
        .replace('\t', " ");
    let text = pairs(&escaped, "$$", "\\[", "\\]");
    let text = pairs(&text, "$", "\\(", "\\)");
    let text = pairs(&text, "**", "<b>", "</b>");
    let text = pairs(&text, "`", "<code>", "</code>");
    text.replace('\n', "<br>")
}

/// Replaces alternate occurrences of `mark` by `open` and `close`; if they do not pair up,
/// the text is left as it was (a lone `$` is a dollar sign).
fn pairs(text: &str, mark: &str, open: &str, close: &str) -> String {
    let parts: Vec<&str> = text.split(mark).collect();
    if parts.len().is_multiple_of(2) {
        return text.to_string();
    }
    let mut out = parts[0].to_string();
    for (i, part) in parts[1..].iter().enumerate() {
        out += if i.is_multiple_of(2) { open } else { close };
        out += part;
    }
    out
}
