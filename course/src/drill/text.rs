//! Text for the terminal: colours that can be switched off, and word wrapping that counts
//! wide (CJK) characters as two columns.

use console::{measure_text_width, Style};

/// `text` in `style`, or plain when `color` is off (pipes, tests).
pub fn paint(color: bool, style: Style, text: &str) -> String {
    style.force_styling(color).apply_to(text).to_string()
}

/// The text indented by `indent` spaces and wrapped at `width` columns. Lines that fit
/// are kept as written (answers are already wrapped in the bank); longer ones are broken
/// at spaces, continuing at the same indentation as the line's start.
pub fn wrap(text: &str, width: usize, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = vec![];
    for line in text.trim().lines() {
        if line.trim().is_empty() {
            out.push(String::new());
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let hang = format!("{pad}{}", " ".repeat(lead));
        let mut current = hang.clone();
        for word in line.split_whitespace() {
            let fits = measure_text_width(&current) + 1 + measure_text_width(word) <= width;
            if current.len() > hang.len() && !fits {
                out.push(std::mem::replace(&mut current, hang.clone()));
            }
            if current.len() > hang.len() {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push(current);
    }
    out.join("\n")
}

/// The answer's first sentence (at most about 160 characters), for the review list: up to
/// an English full stop and a space, or a Chinese `。`.
pub fn first_sentence(answer: &str) -> String {
    let flat = answer.split_whitespace().collect::<Vec<_>>().join(" ");
    let english = flat.find(". ").map(|i| i + 1);
    let chinese = flat.find('。').map(|i| i + '。'.len_utf8());
    let end = english.into_iter().chain(chinese).min().unwrap_or(flat.len());
    let sentence: String = flat[..end].chars().take(160).collect();
    if sentence.chars().count() < flat[..end].chars().count() {
        sentence + "…"
    } else {
        sentence
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_wrap_at_spaces_and_short_ones_stay() {
        assert_eq!(wrap("short line\n\n  kept", 80, 2), "  short line\n\n    kept");
        assert_eq!(wrap("aaa bbb ccc ddd", 9, 2), "  aaa bbb\n  ccc ddd");
        // A word longer than the width gets a line of its own, never an endless loop.
        assert_eq!(wrap("x abcdefghijkl y", 6, 0), "x\nabcdefghijkl\ny");
        // Chinese characters take two columns each.
        assert_eq!(wrap("一二三 四五六", 8, 0), "一二三\n四五六");
    }

    #[test]
    fn the_first_sentence_is_cut_at_a_full_stop_or_160_characters() {
        assert_eq!(first_sentence("One. Two."), "One.");
        assert_eq!(first_sentence("第一句。第二句。"), "第一句。");
        assert!(first_sentence(&"word ".repeat(100)).ends_with('…'));
    }
}
