//! Chinese typesetting rule for titles (中文标点): Chinese text takes full-width punctuation
//! （，？：；！（）), never the ASCII `, ? : ; ! ( )`. Both the exercise catalogue
//! (`exercises/info.toml`) and the question bank (`data/questions/`) check every `title_zh`
//! with [`ascii_punctuation`]; it lives here because the CLI crate already depends on this
//! one, so the rule is written once.
//!
//! What stays ASCII, because it is not Chinese prose: code in backticks, maths in `$…$`,
//! literal text in ASCII double quotes ("Observation:"), a thousands separator (50,257), a
//! ratio (4:1), and the parentheses of a one-letter function or probability, `P(A)`,
//! `f(ab)`, as long as no Chinese character sits inside them.

/// The full-width mark that replaces each ASCII one in Chinese text.
pub const FULL_WIDTH: [(char, char); 7] =
    [(',', '，'), ('?', '？'), (':', '：'), (';', '；'), ('!', '！'), ('(', '（'), (')', '）')];

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// The ASCII punctuation marks of `title` that Chinese typesetting would write full-width,
/// as (character index, mark, its full-width form). Empty when the title is clean.
pub fn ascii_punctuation(title: &str) -> Vec<(usize, char, char)> {
    let chars: Vec<char> = title.chars().collect();
    // Characters inside `code`, $maths$ or "quotes" are exempt; a state machine of one
    // open delimiter at a time, since the three never nest in a title.
    let mut exempt = vec![false; chars.len()];
    let mut open: Option<char> = None;
    for (i, &c) in chars.iter().enumerate() {
        match open {
            Some(d) if c == d => {
                exempt[i] = true;
                open = None;
            }
            Some(_) => exempt[i] = true,
            None if matches!(c, '`' | '$' | '"') => {
                exempt[i] = true;
                open = Some(c);
            }
            None => {}
        }
    }
    // Function-call parentheses: `(` right after a one-letter Latin name (`f(ab)`, `P(A)`;
    // "Training(PET)" is a word, so prose), closed before any CJK character. Subtle: mark
    // both the `(` and its `)`, or the `)` alone would be flagged.
    let latin = |j: usize| chars[j].is_ascii_alphabetic();
    let mut i = 0;
    while i < chars.len() {
        let one_letter = i > 0 && latin(i - 1) && (i < 2 || !latin(i - 2));
        if chars[i] == '(' && !exempt[i] && one_letter {
            if let Some(len) = chars[i + 1..].iter().position(|&c| c == ')' || is_cjk(c)) {
                if chars[i + 1 + len] == ')' {
                    exempt[i] = true;
                    exempt[i + 1 + len] = true;
                    i += len + 1;
                }
            }
        }
        i += 1;
    }
    let digit = |j: usize| chars.get(j).is_some_and(|c| c.is_ascii_digit());
    // Digits right after position i, up to the first non-digit.
    let run = |i: usize| (i + 1..=chars.len()).take_while(|&j| digit(j)).count();
    let mut found = vec![];
    for (i, &c) in chars.iter().enumerate() {
        let Some(&(_, full)) = FULL_WIDTH.iter().find(|(a, _)| *a == c) else { continue };
        if exempt[i] {
            continue;
        }
        let after_digit = i > 0 && digit(i - 1);
        // Subtle: a thousands separator has exactly three digits after it; in
        // "768,12 层" the comma separates two list items and must be full-width.
        if (c == ',' && after_digit && run(i) == 3) || (c == ':' && after_digit && run(i) > 0) {
            continue;
        }
        found.push((i, c, full));
    }
    found
}

/// One line naming every offending mark and its replacement, or `None` when clean:
/// "ASCII punctuation in a Chinese title: `?` at 12 (write `？`), ...".
pub fn punctuation_problem(title: &str) -> Option<String> {
    let found = ascii_punctuation(title);
    if found.is_empty() {
        return None;
    }
    let marks: Vec<String> =
        found.iter().map(|(i, c, full)| format!("`{c}` at {i} (write `{full}`)")).collect();
    Some(format!(
        "ASCII punctuation in a Chinese title: {}; Chinese text takes full-width marks",
        marks.join(", ")
    ))
}

#[cfg(test)]
mod tests;
