//! §2.6's tables, generated: the entropy-floor experiment (`nlp::markov_source::
//! floor_on_corpus`) and the n-gram baseline on the embedded corpus (`nlp::ngram::baseline`).

use super::measured::grouped;
use solutions::nlp::corpus::{CHINESE, ENGLISH};
use solutions::nlp::markov_source::{floor_on_corpus, MarkovSource, SOURCE_ORDER};
use solutions::nlp::ngram::baseline as ngram_baseline;
use std::fmt::Write;

pub const PAGE: &str = "02-nlp/06-perplexity.md";

pub fn floor() -> String {
    let e = floor_on_corpus();
    let mut w = String::new();
    writeln!(w, "| model | held-out bits/char | per-char perplexity |").ok();
    writeln!(w, "|---|---|---|").ok();
    let t = e.true_model;
    writeln!(
        w,
        "| the true chain | {:.3} ± {:.3} | {:.2} |",
        t.bits_per_char,
        t.std_error,
        t.perplexity()
    )
    .ok();
    for row in &e.ngrams {
        let r = row.held_out;
        let (bold, note) =
            if row.order == SOURCE_ORDER + 1 { ("**", " (the source's order)") } else { ("", "") };
        let ppl = r.perplexity();
        let ppl = if ppl >= 10.0 { format!("{ppl:.1}") } else { format!("{ppl:.2}") };
        writeln!(
            w,
            "| {bold}n-gram, n = {}{bold}{note} | {bold}{:.3} ± {:.3}{bold} | {ppl} |",
            row.order, r.bits_per_char, r.std_error
        )
        .ok();
    }
    writeln!(w, "| floor $H$ | {:.3} | $2^H = {:.2}$ |", e.entropy, e.entropy.exp2()).ok();
    let contexts = MarkovSource::fit(ENGLISH, SOURCE_ORDER).contexts();
    let own = e.ngrams[SOURCE_ORDER].held_out.bits_per_char;
    writeln!(
        w,
        "\nThe source has {} contexts of {SOURCE_ORDER} characters and $H = {:.3}$ bits per \
         character; the n-gram of its own order ends {:.3} bits above $H$.",
        grouped(contexts),
        e.entropy,
        own - e.entropy
    )
    .ok();
    w
}

pub fn baseline() -> String {
    let orders = [1, 2, 3, 4, 5, 6];
    let chars = |t: &str| grouped(t.chars().count());
    let en = ngram_baseline(ENGLISH, &orders);
    let zh = ngram_baseline(CHINESE, &[1, 2, 3, 4]);
    let ppl = |p: f64| if p >= 100.0 { format!("{p:.0}") } else { format!("{p:.1}") };
    let mut w = String::new();
    writeln!(
        w,
        "The embedded corpus has {} English and {} Chinese characters.\n",
        chars(ENGLISH),
        chars(CHINESE)
    )
    .ok();
    writeln!(
        w,
        "| order n | English bits/char | per-char PPL | Chinese bits/char | per-char PPL |"
    )
    .ok();
    writeln!(w, "|---|---|---|---|---|").ok();
    for (i, e) in en.iter().enumerate() {
        let e = e.held_out;
        let chinese = zh.get(i).map_or(" | ".to_string(), |z| {
            let z = z.held_out;
            format!("{:.2} | {}", z.bits_per_char, ppl(z.perplexity()))
        });
        writeln!(
            w,
            "| {} | {:.2} | {} | {chinese} |",
            orders[i],
            e.bits_per_char,
            ppl(e.perplexity())
        )
        .ok();
    }
    w
}
