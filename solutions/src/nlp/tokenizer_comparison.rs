//! §2.1 Words, characters and subwords compared on a corpus (词、字符与子词的比较).
//!
//! Each tokenizer is built from the training lines of a text and measured on its held-out
//! lines (every [`HELD_OUT_EVERY`]-th line): vocabulary size against OOV rate, and against
//! how many tokens the text costs. Everything takes the text itself, not a path, so the
//! book, the notebook and `cargo course corpus --corpus FILE` measure the same way.
//!
//! Hugging Face: the same comparison is `WordLevelTrainer` with the `Whitespace`
//! pre-tokenizer, a character vocabulary, and `BpeTrainer` with `ByteLevel`, each
//! followed by `tokenizer.encode(line)` on held-out lines.

use crate::nlp::byte_bpe::ByteBpe;
use crate::nlp::tokenization::{
    char_tokenize, is_word_token, oov_rate, split_lines, tokens_of, word_tokenize, word_vocab,
    HELD_OUT_EVERY,
};

/// One tokenizer measured on the held-out lines: a row of the §2.1 table.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub tokenizer: String,
    /// Entries in the vocabulary (no `<unk>`).
    pub vocab_size: usize,
    /// Fraction of held-out tokens outside the vocabulary.
    pub oov_rate: f64,
    /// Mean tokens per held-out line (an OOV token still takes a position, as `<unk>`).
    pub tokens_per_line: f64,
    /// Characters (spaces included) per token: how much text one token carries.
    pub chars_per_token: f64,
}

impl Row {
    fn new(
        tokenizer: String,
        vocab_size: usize,
        oov: f64,
        held_out: &[&str],
        tokens: usize,
    ) -> Row {
        let chars: usize = held_out.iter().map(|l| l.chars().count()).sum();
        Row {
            tokenizer,
            vocab_size,
            oov_rate: oov,
            tokens_per_line: tokens as f64 / held_out.len().max(1) as f64,
            chars_per_token: chars as f64 / tokens.max(1) as f64,
        }
    }
}

/// The word-level vocabulary sizes of the table, besides "all training words".
pub const TABLE_WORD_SIZES: [usize; 2] = [100, 1000];
/// The byte-level BPE of the table: 256 bytes + 744 merges.
pub const TABLE_BPE_VOCAB: usize = 1000;

/// Word-level (top 100, top 1000, all training words), character-level, and byte-level
/// BPE, each built from the training lines of `text`, measured on its held-out lines.
// ANCHOR: compare
pub fn compare(text: &str) -> Vec<Row> {
    let (train, held_out) = split_lines(text, HELD_OUT_EVERY);
    let mut rows = vec![];
    let (train_words, held_words) =
        (tokens_of(&train, word_tokenize), tokens_of(&held_out, word_tokenize));
    for size in TABLE_WORD_SIZES.into_iter().chain([usize::MAX]) {
        let vocab = word_vocab(&train_words, size);
        let name = match size {
            usize::MAX => "word, all training words".to_string(),
            k => format!("word, top {k}"),
        };
        let oov = oov_rate(&vocab, &held_words);
        rows.push(Row::new(name, vocab.len(), oov, &held_out, held_words.len()));
    }
    // Characters: every character seen in training, spaces included.
    let (train_chars, held_chars) =
        (tokens_of(&train, char_tokenize), tokens_of(&held_out, char_tokenize));
    let chars = word_vocab(&train_chars, usize::MAX);
    let oov = oov_rate(&chars, &held_chars);
    rows.push(Row::new("character".into(), chars.len(), oov, &held_out, held_chars.len()));
    // Byte-level BPE: every id it emits is in its vocabulary, by construction.
    let bpe = ByteBpe::train(&train.join("\n"), TABLE_BPE_VOCAB);
    let ids: Vec<u32> = held_out.iter().flat_map(|l| bpe.encode(l)).collect();
    let unknown = ids.iter().filter(|&&id| id as usize >= bpe.vocab_size()).count();
    let oov = unknown as f64 / ids.len().max(1) as f64;
    rows.push(Row::new("byte-level BPE".into(), bpe.vocab_size(), oov, &held_out, ids.len()));
    rows
}
// ANCHOR_END: compare

/// The held-out word-level OOV rate for each vocabulary size (clipped to the number of
/// distinct training words), as (vocabulary size, OOV rate): the curve of the figure.
pub fn word_oov_curve(text: &str, sizes: &[usize]) -> Vec<(usize, f64)> {
    let (train, held_out) = split_lines(text, HELD_OUT_EVERY);
    let held_words = tokens_of(&held_out, word_tokenize);
    let all = word_vocab(&tokens_of(&train, word_tokenize), usize::MAX);
    // Subtle: `word_vocab(_, k)` is the first k entries of the full ranking, so one sort
    // serves every size.
    sizes
        .iter()
        .map(|&k| {
            let vocab = &all[..k.min(all.len())];
            (vocab.len(), oov_rate(vocab, &held_words))
        })
        .collect()
}

/// Held-out tokens per character of byte-level BPEs of the given vocabulary sizes.
pub fn bpe_length_curve(text: &str, vocab_sizes: &[usize]) -> Vec<(usize, f64)> {
    let (train, held_out) = split_lines(text, HELD_OUT_EVERY);
    let train = train.join("\n");
    let chars: usize = held_out.iter().map(|l| l.chars().count()).sum();
    vocab_sizes
        .iter()
        .map(|&v| {
            let bpe = ByteBpe::train(&train, v);
            let tokens: usize = held_out.iter().map(|l| bpe.encode(l).len()).sum();
            (bpe.vocab_size(), tokens as f64 / chars as f64)
        })
        .collect()
}

/// What whitespace word-splitting makes of a text: its held-out word tokens (runs of
/// letters and digits; punctuation left out), their length, and how many of them never
/// occur in the training lines.
#[derive(Clone, Debug, PartialEq)]
pub struct WordRuns {
    pub count: usize,
    pub mean_chars: f64,
    pub longest: String,
    pub oov_rate: f64,
}

/// [`WordRuns`] of the held-out lines of `text`, against all training words.
pub fn word_runs(text: &str) -> WordRuns {
    let (train, held_out) = split_lines(text, HELD_OUT_EVERY);
    let words = |lines: &[&str]| -> Vec<String> {
        let tokens = tokens_of(lines, word_tokenize);
        tokens.into_iter().filter(|t| is_word_token(t)).map(str::to_string).collect()
    };
    let (train, held) = (words(&train), words(&held_out));
    let train_refs: Vec<&str> = train.iter().map(String::as_str).collect();
    let held_refs: Vec<&str> = held.iter().map(String::as_str).collect();
    let vocab = word_vocab(&train_refs, usize::MAX);
    let chars: usize = held.iter().map(|w| w.chars().count()).sum();
    let longest = held.iter().max_by_key(|w| w.chars().count()).cloned().unwrap_or_default();
    WordRuns {
        count: held.len(),
        mean_chars: chars as f64 / held.len().max(1) as f64,
        longest,
        oov_rate: oov_rate(&vocab, &held_refs),
    }
}

#[cfg(test)]
mod tests;
