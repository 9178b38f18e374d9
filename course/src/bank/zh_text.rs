//! Full-width punctuation in the bank's Chinese prose (answers, options, explanations,
//! units): the titles' rule (`stubgen::chinese`), applied to markdown. What is not prose is
//! blanked out first, keeping every character's index: display maths `$$…$$`, fenced code
//! blocks and link targets `](…)`. Inline maths `$…$`, code in backticks, ASCII-quoted
//! literals, thousands separators (50,257) and ratios (4:1) are exempt by the titles' rule
//! itself. Notation written outside maths is exempt too: a parenthesised group without a
//! Chinese character inside that is a call or a product (`exp(loss)`, `Var(q·k)`) or holds a
//! comma, a digit or an operator (a shape `(B, n, H)`, a pair `(a, b)`, `(p − 1)/(m + p)`),
//! and an emphasised span without Chinese, which is English literal text (a paper's title,
//! *Train Short, Test Long*). An annotation, `层归一化(LayerNorm)`, is still prose: it
//! takes `（）`. One mark is added for prose: an ASCII full stop right after a Chinese
//! character (`。`); a full stop between digits (1.5) or Latin letters (e.g.) is not prose.

use stubgen::chinese::ascii_punctuation;

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// The ASCII marks in `text` that Chinese prose writes full-width, as (character index,
/// mark, its full-width form), in order.
pub fn prose_punctuation(text: &str) -> Vec<(usize, char, char)> {
    let chars = masked(text);
    let prose: String = chars.iter().collect();
    let mut found = ascii_punctuation(&prose);
    for (i, &c) in chars.iter().enumerate().skip(1) {
        if c == '.' && is_cjk(chars[i - 1]) {
            found.push((i, '.', '。'));
        }
    }
    found.sort_by_key(|f| f.0);
    found
}

/// `text`'s characters with display maths, fenced code and link targets blanked (spaces;
/// newlines kept), so that indices still match the original.
fn masked(text: &str) -> Vec<char> {
    let mut chars: Vec<char> = text.chars().collect();
    let blank = |chars: &mut Vec<char>, from: usize, to: usize| {
        for c in &mut chars[from..to] {
            if *c != '\n' {
                *c = ' ';
            }
        }
    };
    // Fenced code: from a line that starts with ``` to the next such line, both included.
    let mut start = 0;
    let mut fence: Option<usize> = None;
    for (i, &c) in chars.clone().iter().enumerate().chain([(chars.len(), &'\n')]) {
        if c != '\n' {
            continue;
        }
        let line: String = chars[start..i].iter().collect();
        if line.trim_start().starts_with("```") {
            match fence.take() {
                Some(open) => blank(&mut chars, open, i),
                None => fence = Some(start),
            }
        }
        start = i + 1;
    }
    // Display maths: `$$` to the next `$$`.
    let mut i = 0;
    let mut open: Option<usize> = None;
    while i + 1 < chars.len() {
        if chars[i] == '$' && chars[i + 1] == '$' {
            match open.take() {
                Some(o) => blank(&mut chars, o, i + 2),
                None => open = Some(i),
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    // Notation in parentheses, decided on the text as written (inner groups first).
    let original = chars.clone();
    let mut open = vec![];
    for i in 0..original.len() {
        match original[i] {
            '(' => open.push(i),
            ')' => {
                let Some(o) = open.pop() else { continue };
                let inside = &original[o + 1..i];
                let before = o.checked_sub(1).map(|b| original[b]);
                let call =
                    before.is_some_and(|b| b.is_ascii_alphanumeric() || ")]$/·×^_".contains(b));
                let formula =
                    inside.iter().any(|&c| c.is_ascii_digit() || ",+-−·×/=*^<>|()".contains(c));
                if !inside.iter().any(|&c| is_cjk(c)) && (call || formula) {
                    blank(&mut chars, o, i + 1);
                }
            }
            _ => {}
        }
    }
    // English literal text in emphasis: `*…*` or `**…**` on one line, without Chinese.
    let mut i = 0;
    while i < original.len() {
        if original[i] == '*' {
            let marks = original[i..].iter().take_while(|&&c| c == '*').count();
            let body = i + marks;
            let end = original[body..].iter().position(|&c| c == '*' || c == '\n');
            if let Some(len) = end.filter(|&len| original[body + len] == '*') {
                let inside = &original[body..body + len];
                if !inside.iter().any(|&c| is_cjk(c)) {
                    blank(&mut chars, body, body + len);
                }
                i = body + len + marks;
                continue;
            }
            i = body;
            continue;
        }
        i += 1;
    }
    // Link targets: `](` to its `)`.
    let mut i = 0;
    while i + 1 < chars.len() {
        if chars[i] == ']' && chars[i + 1] == '(' {
            if let Some(len) = chars[i + 1..].iter().position(|&c| c == ')') {
                blank(&mut chars, i + 1, i + 2 + len);
                i += len;
            }
        }
        i += 1;
    }
    chars
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(text: &str) -> Vec<char> {
        prose_punctuation(text).iter().map(|f| f.1).collect()
    }

    #[test]
    fn prose_marks_are_found_and_maths_code_numbers_and_links_are_exempt() {
        assert_eq!(marks("因为注意力, 所以(见下文)?"), [',', '(', ')', '?']);
        assert!(marks("缩放因子是 $\\frac{1}{\\sqrt{d_k}}, d_k$。").is_empty());
        assert!(marks("调用 `f(x, y)`：返回 1.5 倍，共 50,257 个，比例 4:1。").is_empty());
        assert!(marks("见[论文](https://arxiv.org/abs/1706.03762)。").is_empty());
        assert!(marks("公式：\n$$a, b: c$$\n完。").is_empty());
        assert!(marks("代码：\n```\nlet (a, b) = f(x);\n```\n完。").is_empty());
        // Notation and English literal text are not prose; an annotation is.
        assert!(marks("形状为 (B, n, $d_k$)，用 exp(loss) 与 (p − 1)/(m + p)。").is_empty());
        assert!(marks("论文（*Train Short, Test Long*）表明").is_empty());
        assert!(marks("min(ρA, clip(ρ, 0.8, 1.2)·A) 成立，比较 f(ab)/(f(a)f(b))").is_empty());
        assert_eq!(marks("层归一化(LayerNorm)很常用"), ['(', ')']);
        assert_eq!(marks("（(见下文, 第二节)）"), ['(', ',', ')']);
        // A full stop after a Chinese character, but not in 1.5, GPT-3.5 or e.g.
        assert_eq!(marks("这是答案. 例如 GPT-3.5, e.g. 这"), ['.', ',']);
        // Indices point into the original text, after what was blanked.
        assert_eq!(prose_punctuation("$$x$$ 好?"), [(7, '?', '？')]);
    }
}
