//! §2.4's table and paragraph, generated: a byte-level BPE trained on English only against
//! one trained on English and Chinese, at the same vocabulary size, on the held-out lines
//! (`nlp::vocab_extension::on_the_corpus`).

use super::measured::grouped;
use solutions::nlp::vocab_extension::{on_the_corpus, Cost};
use std::fmt::Write;

pub const PAGE: &str = "02-nlp/04-byte-level-chinese.md";

pub fn render() -> String {
    let e = on_the_corpus();
    let ((en1, zh1), (en2, zh2)): ((Cost, Cost), (Cost, Cost)) = (e.english_only, e.bilingual);
    let mut w = String::new();
    writeln!(
        w,
        "At {} tokens (256 bytes + {} merges), on the held-out lines ({} English characters, \
         {} Chinese characters taking {} bytes):\n",
        grouped(e.vocab_size),
        grouped(e.vocab_size - 256),
        grouped(en1.chars),
        grouped(zh1.chars),
        grouped(zh1.bytes)
    )
    .ok();
    writeln!(
        w,
        "| trained on | English tokens per character | Chinese tokens per character | English \
         characters per token | Chinese characters per token |"
    )
    .ok();
    writeln!(w, "|---|---:|---:|---:|---:|").ok();
    for (name, en, zh) in [("English only", en1, zh1), ("English + Chinese", en2, zh2)] {
        writeln!(
            w,
            "| {name} | {:.3} | {:.3} | {:.2} | {:.3} |",
            en.tokens_per_char(),
            zh.tokens_per_char(),
            en.compression(),
            zh.compression()
        )
        .ok();
    }
    let context = |c: &Cost| 2048.0 * c.compression();
    writeln!(
        w,
        "\nThe Chinese held-out text has {:.3} bytes per character; the English-only tokenizer \
         spends {} tokens on its {} bytes, merging only the few ASCII words inside it (GPU, BPE \
         and the like). With Chinese in the training text the same vocabulary size spends {} \
         tokens, {:.1} times fewer, and English goes from {} to {} tokens ({:+.0} %), because \
         some of the merges now go to Chinese. A 2,048-token context holds about {} Chinese \
         characters under the first tokenizer and about {} under the second.",
        zh1.bytes_per_char(),
        grouped(zh1.tokens),
        grouped(zh1.bytes),
        grouped(zh2.tokens),
        zh1.tokens as f64 / zh2.tokens as f64,
        grouped(en1.tokens),
        grouped(en2.tokens),
        100.0 * (en2.tokens as f64 / en1.tokens as f64 - 1.0),
        grouped(((context(&zh1) / 10.0).round() * 10.0) as usize),
        grouped(((context(&zh2) / 10.0).round() * 10.0) as usize),
    )
    .ok();
    w
}
