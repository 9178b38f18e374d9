//! The Chinese side of a question: `answer_zh`, `options_zh` and `explanations_zh` (one
//! per option, in the same order), `unit_zh`. Each is required, and its prose must use
//! full-width punctuation (`bank/zh_text.rs` says what is exempt).

use super::super::zh_text::prose_punctuation;
use super::super::Kind;
use super::Checker;
use toml::Spanned;

impl Checker<'_> {
    /// A required Chinese text (an answer, an option, a unit): present, non-blank, and
    /// with full-width punctuation in its prose. Each line with ASCII marks is one problem
    /// at its own line of the file, quoting the marks in context.
    pub(super) fn chinese_text(
        &mut self,
        field: Option<Spanned<String>>,
        line: usize,
        what: &str,
    ) -> String {
        let at = field.as_ref().map_or(line, |f| self.line_of(f));
        // Where the value's first line is in the file: a multi-line string starts on the
        // line after its opening quotes; a basic string's `\n` escapes are not lines of the
        // file, so its problems stay at the field.
        let source = field.as_ref().map_or("", |f| &self.text[f.span()]);
        let first = at + usize::from(source.starts_with("'''\n") || source.starts_with("\"\"\"\n"));
        let real_lines = source.contains('\n');
        let text = self.required(field, line, what);
        let chars: Vec<char> = text.chars().collect();
        let mut by_line: Vec<(usize, Vec<String>)> = vec![];
        for (i, mark, full) in prose_punctuation(&text) {
            let offset = chars[..i].iter().filter(|&&c| c == '\n').count();
            let at_line = if real_lines { first + offset } else { at };
            let context: String = chars[i.saturating_sub(8)..(i + 8).min(chars.len())]
                .iter()
                .map(|&c| if c == '\n' { ' ' } else { c })
                .collect();
            let note = format!("`{mark}` (write `{full}`) in “{}”", context.trim());
            match by_line.last_mut() {
                Some((l, notes)) if *l == at_line => notes.push(note),
                _ => by_line.push((at_line, vec![note])),
            }
        }
        for (at_line, notes) in by_line {
            let message = format!(
                "{what}: ASCII punctuation in Chinese text: {}; Chinese prose takes full-width \
                 marks (maths in `$…$`, code in backticks and numbers like 1.5 or 50,257 are \
                 exempt)",
                notes.join(", ")
            );
            self.report(at_line, message);
        }
        text
    }

    /// A required list of Chinese texts, one per option (`n` of them), each checked.
    fn chinese_list(
        &mut self,
        field: Option<Spanned<Vec<Spanned<String>>>>,
        line: usize,
        what: &str,
        n: usize,
    ) -> Vec<String> {
        let Some(list) = field else {
            self.report(line, format!("{what} is missing (one per option, in the same order)"));
            return vec![];
        };
        let at = self.line_of(&list);
        let items = list.into_inner();
        if items.len() != n {
            let message = format!(
                "{what}: {} item(s) for {n} option(s); give one per option, in the same order",
                items.len()
            );
            self.report(at, message);
        }
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| self.chinese_text(Some(item), at, &format!("{what}[{i}]")))
            .collect()
    }

    /// The Chinese options and explanations of a choice question, one per option.
    pub(super) fn choice_zh(
        &mut self,
        id: &str,
        line: usize,
        kind: Kind,
        options_zh: Option<Spanned<Vec<Spanned<String>>>>,
        explanations_zh: Option<Spanned<Vec<Spanned<String>>>>,
    ) -> Kind {
        let Kind::Choice { options, correct, explanations, .. } = kind else { return kind };
        let n = options.len();
        let what = format!("`{id}`: `options_zh` (Chinese options)");
        let options_zh = self.chinese_list(options_zh, line, &what, n);
        let what = format!("`{id}`: `explanations_zh` (Chinese explanations)");
        let explanations_zh = self.chinese_list(explanations_zh, line, &what, n);
        Kind::Choice { options, correct, explanations, options_zh, explanations_zh }
    }

    /// The Chinese unit of a numeric question.
    pub(super) fn numeric_zh(
        &mut self,
        id: &str,
        line: usize,
        kind: Kind,
        unit_zh: Option<Spanned<String>>,
    ) -> Kind {
        let Kind::Numeric { value, tolerance, unit, computed_by, .. } = kind else { return kind };
        let unit_zh =
            self.chinese_text(unit_zh, line, &format!("`{id}`: `unit_zh` (Chinese unit)"));
        Kind::Numeric { value, tolerance, unit, unit_zh, computed_by }
    }
}
