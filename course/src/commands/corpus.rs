//! `--corpus FILE`, shared by every command that reads text, and `cargo course corpus`.

use anyhow::Result;
use clap::Args;
use solutions::nlp::corpus::{Source, CHINESE, ENGLISH};
use std::path::PathBuf;

/// The corpus option. Without it, commands use the embedded corpus (English and Chinese).
#[derive(Args, Clone, Debug, Default)]
pub struct CorpusArg {
    /// A UTF-8 text file to use instead of the embedded corpus.
    #[arg(long, value_name = "FILE")]
    pub corpus: Option<PathBuf>,
}

impl CorpusArg {
    pub fn source(&self) -> Source {
        Source::from_option(self.corpus.clone())
    }

    /// The text, or the corpus module's one-line error as a user error (exit 2).
    pub fn read(&self) -> Result<String> {
        self.source().read().map_err(|e| crate::user_error(e.to_string()))
    }
}

/// A spinner with the elapsed time on stderr while a long step runs (hidden when stderr
/// is not a terminal, as in CI logs).
pub fn spinner(message: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    let bar = indicatif::ProgressBar::new_spinner();
    if std::io::stderr().is_terminal() {
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("template"),
        );
        bar.set_message(message.to_string());
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar
}

/// `cargo course corpus`: what a corpus is made of, and the chapter-2 measurements on it
/// (§2.1's tokenizer comparison, §2.6's n-gram baseline).
pub fn report(corpus: &CorpusArg) -> Result<()> {
    let text = corpus.read()?;
    let chars = text.chars().count();
    let cjk = text.chars().filter(|&c| solutions::nlp::corpus::is_cjk(c)).count();
    let lines = solutions::nlp::corpus::lines(&text).count();
    println!(
        "{}: {} bytes, {lines} non-empty lines, {chars} characters",
        corpus.source().name(),
        text.len()
    );
    println!(
        "  CJK characters: {cjk} ({:.1} %), UTF-8 bytes per character: {:.2}",
        100.0 * cjk as f64 / chars as f64,
        text.len() as f64 / chars as f64
    );
    if lines < 5 {
        return Err(crate::user_error(format!(
            "{}: only {lines} non-empty lines; the comparisons hold out every 5th line, so give at least 5",
            corpus.source().name()
        )));
    }

    let bar = spinner("§2.1: training the word, character and byte-level BPE tokenizers");
    let rows = solutions::nlp::tokenizer_comparison::compare(&text);
    bar.finish_and_clear();
    println!("\n§2.1 tokenizers (built on 4/5 of the lines, measured on every 5th line)");
    println!(
        "  {:<28} {:>8} {:>8} {:>12} {:>10}",
        "tokenizer", "vocab", "OOV", "tokens/line", "chars/tok"
    );
    for r in rows {
        println!(
            "  {:<28} {:>8} {:>7.2}% {:>12.1} {:>10.2}",
            r.tokenizer,
            r.vocab_size,
            100.0 * r.oov_rate,
            r.tokens_per_line,
            r.chars_per_token
        );
    }

    // The n-gram baseline holds out the end of the text. The embedded corpus is English,
    // then Chinese, so its end is all Chinese: measure each language on its own instead.
    let parts: Vec<(&str, &str)> = match corpus.source() {
        Source::Embedded => vec![("English", ENGLISH), ("Chinese", CHINESE)],
        Source::File(_) => vec![("text", text.as_str())],
    };
    let bar = spinner("§2.6: fitting character n-gram models");
    let orders: Vec<usize> = (1..=solutions::nlp::ngram::MAX_ORDER).collect();
    let tables: Vec<_> =
        parts.iter().map(|(_, t)| solutions::nlp::ngram::baseline(t, &orders)).collect();
    bar.finish_and_clear();
    println!(
        "\n§2.6 character n-gram baseline, held-out bits per character (perplexity per character)"
    );
    println!("  (trained on the first 90 % of the text, measured on the rest)");
    print!("  {:>5}", "order");
    for (name, _) in &parts {
        print!(" {name:>20}");
    }
    println!();
    for (k, order) in orders.iter().enumerate() {
        print!("  {order:>5}");
        for table in &tables {
            let e = &table[k].held_out;
            print!(" {:>20}", format!("{:.3} ({:.2})", e.bits_per_char, e.perplexity()));
        }
        println!();
    }
    Ok(())
}
