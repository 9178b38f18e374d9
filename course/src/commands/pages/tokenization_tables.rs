//! §2.1's tables, generated: the tokenizer comparison on each half of the embedded corpus
//! (`nlp::tokenizer_comparison::compare`) and what whitespace splitting makes of each
//! (`word_runs`), with the sentence that quotes their numbers.

use solutions::nlp::corpus::{CHINESE, ENGLISH};
use solutions::nlp::tokenizer_comparison::{compare, word_runs as runs, Row, TABLE_BPE_VOCAB};
use std::fmt::Write;

pub const PAGE: &str = "02-nlp/01-tokenization.md";

fn table(text: &str) -> String {
    let rows: Vec<Row> = compare(text);
    let mut w = String::new();
    writeln!(w, "| tokenizer | vocabulary | OOV rate | tokens per line | characters per token |")
        .ok();
    writeln!(w, "|---|---:|---:|---:|---:|").ok();
    for r in &rows {
        writeln!(
            w,
            "| {} | {} | {:.3} | {:.1} | {:.2} |",
            r.tokenizer, r.vocab_size, r.oov_rate, r.tokens_per_line, r.chars_per_token
        )
        .ok();
    }
    w
}

fn row<'a>(rows: &'a [Row], name: &str) -> &'a Row {
    rows.iter().find(|r| r.tokenizer.starts_with(name)).expect("compare has this row")
}

/// The English table and the numbers the page's list quotes from both tables.
pub fn english() -> String {
    let (en, zh) = (compare(ENGLISH), compare(CHINESE));
    let pct = |r: &Row| format!("{:.0} %", 100.0 * r.oov_rate);
    format!(
        "{}\nWith every training word in the vocabulary, {} of the held-out English tokens and {} \
         of the Chinese ones are OOV. The English text uses {} distinct characters, the Chinese \
         text {}; the byte-level BPE has {} merges.",
        table(ENGLISH),
        pct(row(&en, "word, all")),
        pct(row(&zh, "word, all")),
        row(&en, "character").vocab_size,
        super::measured::grouped(row(&zh, "character").vocab_size),
        TABLE_BPE_VOCAB - 256,
    )
}

pub fn chinese() -> String {
    table(CHINESE)
}

pub fn word_runs() -> String {
    let mut w = String::new();
    writeln!(w, "| | word runs | mean length | longest | OOV rate |").ok();
    writeln!(w, "|---|---:|---:|---|---:|").ok();
    for (name, text) in [("English", ENGLISH), ("Chinese", CHINESE)] {
        let r = runs(text);
        writeln!(
            w,
            "| {name} | {} | {:.1} characters | \"{}\" ({}) | {:.2} |",
            r.count,
            r.mean_chars,
            r.longest,
            r.longest.chars().count(),
            r.oov_rate
        )
        .ok();
    }
    w
}
