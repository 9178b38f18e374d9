//! `cargo course drill --export-anki FILE`: the bank as an Anki deck, in Anki's
//! plain-text import format (File > Import; Anki 2.1.55 or later reads the `#` headers).
//!
//! One line per question, four tab-separated fields: a stable GUID (`llm-course:<id>`, so
//! that importing a newer export updates the notes instead of duplicating them), the
//! front (both titles, and the options of a choice question in both languages), the back
//! (the right option with every explanation, or the number with its unit, then the model
//! answer; each in English, then in Chinese in grey), and the tags (the bank's, plus
//! chapter and section). Fields are HTML: text is escaped, newlines become `<br>`, and
//! maths is written with Anki's own MathJax delimiters, `$...$` as `\(...\)` and
//! `$$...$$` as `\[...\]`, which Anki renders without any add-on.

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
        Kind::Choice { options, options_zh, .. } => {
            f += "<ol type=\"a\">";
            for (i, option) in options.iter().enumerate() {
                f += &format!("<li>{}{}</li>", html(option), zh_line(nth(options_zh, i)));
            }
            f += "</ol>";
        }
        Kind::Numeric { unit, unit_zh, .. } if !unit.starts_with('(') => {
            let zh = if unit_zh.is_empty() {
                String::new()
            } else {
                format!(" · 单位：{}", html(unit_zh))
            };
            f += &format!("<div><i>Answer in {}{zh}</i></div>", html(unit));
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
        Kind::Choice { options, correct, explanations, options_zh, explanations_zh } => {
            let zh = nth(options_zh, *correct);
            let zh = if zh.is_empty() { String::new() } else { format!(" · {}", html(zh)) };
            b += &format!("<b>{}) {}{zh}</b><ul>", letter(*correct), html(&options[*correct]));
            for (i, why) in explanations.iter().enumerate() {
                let mark = if i == *correct { "✓" } else { "✗" };
                let zh = zh_line(nth(explanations_zh, i));
                b += &format!("<li>{} {mark} {}{zh}</li>", letter(i), html(why));
            }
            b += "</ul>";
        }
        Kind::Numeric { value, tolerance, unit, unit_zh, .. } => {
            b += &format!("<b>{}</b>", html(&with_unit(*value, unit)));
            if !unit_zh.is_empty() && !unit_zh.starts_with('（') && unit_zh != unit {
                b += &format!(" · {}", html(&with_unit(*value, unit_zh)));
            }
            if *tolerance > 0.0 {
                b += &format!(" (± {})", format_number(*tolerance));
            }
            b += "<br><br>";
        }
    }
    b += &html(q.answer.trim());
    if !q.answer_zh.trim().is_empty() {
        b += &format!("<hr><div lang=\"zh\">{}</div>", html(q.answer_zh.trim()));
    }
    b
}

/// The Chinese item `i` of a list that may not be translated yet.
fn nth(list: &[String], i: usize) -> &str {
    list.get(i).map_or("", String::as_str)
}

/// A Chinese text on its own grey line after the English one (nothing if there is none).
fn zh_line(zh: &str) -> String {
    if zh.trim().is_empty() {
        String::new()
    } else {
        format!("<br><span style=\"color:#888\">{}</span>", html(zh))
    }
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
/// MathJax, newlines as `<br>`. The bank's hand-wrapped lines are joined into paragraphs
/// first (as the drill does), so that a card breaks lines only between paragraphs and
/// list items, never inside a sentence.
pub fn html(text: &str) -> String {
    let escaped = super::markdown::reflow(text)
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
