//! The bank's markdown, rendered for the terminal: bold, lists, code and tables by the
//! `termimad` crate (which measures wide CJK characters with `unicode-width`), maths
//! turned into text first by [`maths`], lines wrapped by [`text::fill`].
//!
//! The bank's answers are wrapped by hand at about 90 columns, and termimad wraps long
//! lines but never joins short ones, so paragraphs are joined into one line each before
//! rendering ([`reflow`]). Chinese lines join without a space: a line break between two
//! Chinese characters is not a word boundary.

use super::{maths, text};
use console::measure_text_width;
use termimad::MadSkin;

/// `markdown` rendered to fit `width` columns, each line indented by `indent` spaces;
/// styled (bold, code colour) when `color` is on, plain text otherwise.
///
/// termimad lays the text out (bullets, numbers, tables) without a width, and
/// [`text::fill`] wraps each line, breaking between Chinese characters as well as at
/// spaces (termimad only breaks at spaces). A table too wide for the terminal is left to
/// termimad's own fitting, for the whole text.
pub fn render(markdown: &str, width: usize, indent: usize, color: bool) -> String {
    let text = maths::inline(&reflow(markdown));
    let skin = if color { MadSkin::default() } else { MadSkin::no_style() };
    let pad = " ".repeat(indent);
    let mut lines: Vec<String> = vec![];
    for line in skin.text(&text, None).to_string().lines() {
        let line = line.trim_end();
        let plain = console::strip_ansi_codes(line);
        let body = plain.trim_start();
        let lead = plain.len() - body.len();
        if body.starts_with(['│', '├', '┌', '└', '┼', '─']) {
            if measure_text_width(line) + indent > width {
                return fitted_by_termimad(&skin, &text, width, indent);
            }
            lines.push(format!("{pad}{line}"));
            continue;
        }
        // Continuation lines of a list item hang under its text, not under its bullet.
        let digits = body.len() - body.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let marker = if body.starts_with("• ") {
            2
        } else if digits > 0 && body[digits..].starts_with(". ") {
            digits + 2
        } else {
            0
        };
        if line.is_empty() {
            lines.push(String::new());
        } else {
            lines.extend(text::fill(&format!("{pad}{line}"), width, indent + lead + marker));
        }
    }
    lines.join("\n").trim_matches('\n').to_string()
}

/// termimad's own layout at the width (it fits tables by wrapping their cells).
fn fitted_by_termimad(skin: &MadSkin, text: &str, width: usize, indent: usize) -> String {
    // Subtle: termimad needs a few columns to work with.
    let inner = width.saturating_sub(indent).max(20);
    let pad = " ".repeat(indent);
    let rendered = skin.text(text, Some(inner)).to_string();
    let lines: Vec<String> = rendered
        .lines()
        .map(|l| l.trim_end())
        .map(|l| if l.is_empty() { String::new() } else { format!("{pad}{l}") })
        .collect();
    lines.join("\n").trim_matches('\n').to_string()
}

/// Bank text as one line of plain text (maths as text, no markdown marks), for the
/// summary's short answers.
pub fn plain(markdown: &str) -> String {
    let rendered = render(markdown, 10_000, 0, false);
    let lines: Vec<&str> = rendered.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    lines.join(" ")
}

/// One line per paragraph and per list item; fenced code, tables, headings and display
/// maths (`$$…$$` on its own line) stay as written.
pub fn reflow(markdown: &str) -> String {
    let mut out: Vec<String> = vec![];
    let (mut in_fence, mut joinable) = (false, false);
    for raw in markdown.trim().lines() {
        let line = raw.trim_end();
        let t = line.trim_start();
        if t.starts_with("```") {
            in_fence = !in_fence;
            out.push(t.to_string());
            joinable = false;
            continue;
        }
        if in_fence {
            out.push(line.to_string());
            continue;
        }
        if t.is_empty() {
            out.push(String::new());
            joinable = false;
            continue;
        }
        let own_line = ["#", "|", ">", "$$"].iter().any(|m| t.starts_with(m));
        let item = is_list_item(t);
        match out.last_mut() {
            Some(last) if joinable && !own_line && !item => join(last, t),
            // A list item keeps its indentation (nesting); any other line starts at the
            // margin, since four spaces would make it a code block.
            _ => out.push(if item { line.to_string() } else { t.to_string() }),
        }
        joinable = !own_line;
    }
    out.join("\n")
}

fn is_list_item(t: &str) -> bool {
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let bullet = t.starts_with(['-', '*', '+']) && t[1..].starts_with(' ');
    let numbered = digits > 0 && t[digits..].starts_with(". ");
    bullet || numbered
}

/// Appends `next` to a paragraph's line: with a space, unless both sides are wide (CJK)
/// or either side is full-width punctuation (`：`, `，`, `（`), which carries its own space.
fn join(line: &mut String, next: &str) {
    let wide =
        |c: Option<char>| c.is_some_and(|c| measure_text_width(c.encode_utf8(&mut [0; 4])) == 2);
    let punct = |c: Option<char>| c.is_some_and(|c| "，。、；：！？（）《》「」“”".contains(c));
    let (last, first) = (line.chars().last(), next.chars().next());
    if !(wide(last) && wide(first) || punct(last) || punct(first)) {
        line.push(' ');
    }
    line.push_str(next);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_items_are_joined_and_blocks_kept() {
        let md = "A line\nwrapped.\n\n1. **Item** one\n   continued\n2. Two\n\n```\nx\n  y\n```\n\
                  中文句子\n接着写：\n$x$ 和\n（y）\n$$x$$\nafter";
        assert_eq!(
            reflow(md),
            "A line wrapped.\n\n1. **Item** one continued\n2. Two\n\n```\nx\n  y\n```\n\
             中文句子接着写：$x$ 和（y）\n$$x$$\nafter"
        );
    }

    #[test]
    fn markdown_and_maths_render_as_plain_text_without_colour() {
        let md = "**Project.** Scale by $\\frac{1}{\\sqrt{d_k}}$:\n\n- one `code`\n- two";
        let out = render(md, 80, 2, false);
        assert_eq!(out, "  Project. Scale by 1/√d_k:\n\n  • one code\n  • two");
    }

    #[test]
    fn wide_characters_are_wrapped_within_the_width() {
        let md = "注意力机制让每个位置都能看到序列中的其他位置，".repeat(8);
        for width in [30, 41, 80] {
            let out = render(&md, width, 2, false);
            assert!(out.lines().count() > 1, "{out}");
            for line in out.lines() {
                assert!(measure_text_width(line) <= width, "{width}: {line:?}");
            }
        }
    }
}
