//! Text for the terminal: colours that can be switched off, and word wrapping that counts
//! wide (CJK) characters as two columns.

use console::{measure_text_width, Style};

/// `text` in `style`, or plain when `color` is off (pipes, tests).
pub fn paint(color: bool, style: Style, text: &str) -> String {
    style.force_styling(color).apply_to(text).to_string()
}

/// The text indented by `indent` spaces and wrapped at `width` columns. Lines that fit
/// are kept as written; longer ones are broken at spaces and between Chinese characters,
/// continuing at the same indentation as the line's start.
pub fn wrap(text: &str, width: usize, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = vec![];
    for line in text.trim().lines() {
        if line.trim().is_empty() {
            out.push(String::new());
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        out.extend(fill(&format!("{pad}{line}"), width, indent + lead));
    }
    out.join("\n")
}

/// One line broken into lines of at most `width` display columns, the later ones
/// indented by `hang` spaces. Breaks go at spaces and around wide (CJK) characters, but
/// never before closing punctuation (`，。）`) or after opening punctuation (`（“`);
/// ANSI colour codes take no columns; a word longer than the width is cut.
///
/// Subtle: termimad breaks only at whitespace, so a run of Chinese without spaces that
/// does not fit the rest of a line moves down whole, leaving short ragged lines; the drill
/// therefore lets termimad style the text and wraps it here.
pub fn fill(line: &str, width: usize, hang: usize) -> Vec<String> {
    let width = width.max(hang + 4);
    let lead = line.len() - line.trim_start_matches(' ').len();
    let (mut lines, mut current, mut used) = (vec![], line[..lead].to_string(), lead);
    let mut space = false;
    for token in tokens(&line[lead..]) {
        if token == " " {
            space = true;
            continue;
        }
        let w = measure_text_width(&token);
        let gap = usize::from(space && used > hang.min(lead));
        if used + gap + w > width && used > hang.min(lead) {
            lines.push(std::mem::replace(&mut current, " ".repeat(hang)));
            used = hang;
        } else if gap == 1 {
            current.push(' ');
            used += 1;
        }
        space = false;
        if used + w <= width {
            current.push_str(&token);
            used += w;
            continue;
        }
        // A word wider than a whole line is cut, column by column (escape codes take none).
        let mut in_escape = false;
        for c in token.chars() {
            let cw = if in_escape || c == '\x1b' {
                // ESC [ ... up to the final letter.
                in_escape = c == '\x1b' || !c.is_ascii_alphabetic();
                0
            } else {
                measure_text_width(c.encode_utf8(&mut [0; 4]))
            };
            if used + cw > width && used > hang {
                lines.push(std::mem::replace(&mut current, " ".repeat(hang)));
                used = hang;
            }
            current.push(c);
            used += cw;
        }
    }
    lines.push(current);
    lines.into_iter().map(|l| l.trim_end().to_string()).collect()
}

/// The unbreakable pieces of a line: words, single spaces, and wide characters with the
/// punctuation that must stay next to them; ANSI escape codes travel with the next piece.
fn tokens(line: &str) -> Vec<String> {
    const CLOSING: &str = "，。、；：！？）】》」』”’,.;:!?)]%";
    const OPENING: &str = "（【《「『“‘([";
    let wide = |c: char| measure_text_width(c.encode_utf8(&mut [0; 4])) == 2;
    let mut out: Vec<String> = vec![];
    let mut word = String::new();
    let mut chars = line.chars().peekable();
    // Whether the piece being built may be followed by a break.
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // An escape sequence: ESC [ ... final letter.
            word.push(c);
            while let Some(&n) = chars.peek() {
                word.push(n);
                chars.next();
                if n.is_ascii_alphabetic() {
                    break;
                }
            }
            continue;
        }
        let glue_to_previous = CLOSING.contains(c);
        if c == ' ' {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            out.push(" ".to_string());
        } else if glue_to_previous {
            // Closing punctuation joins the piece before it (or the word being built).
            match (word.is_empty(), out.last_mut()) {
                (true, Some(last)) if last != " " => last.push(c),
                _ => word.push(c),
            }
        } else if wide(c) {
            let opening = word.chars().last().is_some_and(|l| OPENING.contains(l))
                && measure_text_width(&word) <= 2;
            if !word.is_empty() && !opening && !word.ends_with('\x1b') {
                out.push(std::mem::take(&mut word));
            }
            word.push(c);
            if !OPENING.contains(c) {
                out.push(std::mem::take(&mut word));
            }
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
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
        // A word longer than the width is cut, so that no line is wider than the terminal.
        assert_eq!(wrap("x abcdefghijkl y", 6, 0), "x\nabcdef\nghijkl\ny");
        // Chinese characters take two columns each, and a line may break between them,
        // but never before a closing mark or after an opening one.
        assert_eq!(wrap("一二三 四五六", 8, 0), "一二三\n四五六");
        assert_eq!(wrap("一二三四五六七", 8, 0), "一二三四\n五六七");
        assert_eq!(wrap("一二三，四五", 6, 0), "一二\n三，四\n五");
        assert_eq!(wrap("一（二三）四", 6, 0), "一（二\n三）四");
        // Colour codes take no columns.
        assert_eq!(wrap("\x1b[1mab\x1b[0m cd", 5, 0), "\x1b[1mab\x1b[0m cd");
    }

    #[test]
    fn the_first_sentence_is_cut_at_a_full_stop_or_160_characters() {
        assert_eq!(first_sentence("One. Two."), "One.");
        assert_eq!(first_sentence("第一句。第二句。"), "第一句。");
        assert!(first_sentence(&"word ".repeat(100)).ends_with('…'));
    }
}
