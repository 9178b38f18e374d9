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
mod tests {
    use super::*;
    use crate::nlp::corpus::{CHINESE, ENGLISH};

    fn row<'a>(rows: &'a [Row], name: &str) -> &'a Row {
        rows.iter().find(|r| r.tokenizer.starts_with(name)).unwrap()
    }

    #[test]
    fn the_table_on_a_hand_made_text() {
        // Lines 5 and 10 are held out. Line 5 "the dog sat" has "dog" unseen in training.
        let text = "the cat sat\nthe cat ran\na cat sat\nthe mat\nthe dog sat\n\
                    the cat\nthe cat\nthe cat\nthe cat\nthe cat sat";
        let rows = compare(text);
        let all = row(&rows, "word, all");
        assert_eq!(all.vocab_size, 6); // the cat sat ran a mat
                                       // Held-out tokens: the dog sat | the cat sat: 1 unknown of 6.
        assert_eq!((all.oov_rate, all.tokens_per_line), (1.0 / 6.0, 3.0));
        // "d" and "o" and "g" are new characters: 3 of the 22 held-out characters.
        assert_eq!(row(&rows, "character").oov_rate, 3.0 / 22.0);
        assert_eq!(row(&rows, "byte-level").oov_rate, 0.0);
    }

    #[test]
    fn words_trade_oov_for_length_on_the_corpus() {
        for text in [ENGLISH, CHINESE] {
            let rows = compare(text);
            let (word, chars, bpe) =
                (row(&rows, "word, all"), row(&rows, "character"), row(&rows, "byte"));
            // Even every training word leaves held-out words unknown (Zipf's long tail),
            assert!(word.oov_rate > 0.05, "{rows:?}");
            // characters cut the OOV rate at least fivefold, at a price in length,
            assert!(chars.oov_rate * 5.0 < word.oov_rate, "{rows:?}");
            assert!(chars.tokens_per_line > 1.5 * word.tokens_per_line, "{rows:?}");
            // and byte-level BPE has none.
            assert_eq!(bpe.oov_rate, 0.0);
        }
        // On English, 744 merges already make sequences shorter than characters; on
        // Chinese they are longer: with 3 bytes a character, 744 merges cannot cover the
        // thousand-odd characters of the text (§2.4).
        let (en, zh) = (compare(ENGLISH), compare(CHINESE));
        assert!(row(&en, "byte").tokens_per_line < 0.5 * row(&en, "character").tokens_per_line);
        assert!(row(&zh, "byte").tokens_per_line > 1.05 * row(&zh, "character").tokens_per_line);
        // Characters are not OOV-free in Chinese: the tail of rare characters is long.
        assert!(row(&zh, "character").oov_rate > 10.0 * row(&en, "character").oov_rate);
        // The OOV curve falls as the vocabulary grows.
        let curve = word_oov_curve(ENGLISH, &[10, 100, 1000, usize::MAX]);
        assert!(curve.windows(2).all(|w| w[1].1 <= w[0].1), "{curve:?}");
        // More merges, shorter sequences.
        let lengths = bpe_length_curve(ENGLISH, &[256, 512, 1024]);
        assert!(lengths[0].1 >= 1.0, "no merges: a token per byte, at least one per character");
        assert!(lengths.windows(2).all(|w| w[1].1 < w[0].1), "{lengths:?}");
    }

    #[test]
    fn whitespace_splitting_turns_chinese_clauses_into_words() {
        let (en, zh) = (word_runs(ENGLISH), word_runs(CHINESE));
        // A Chinese "word" is everything between two punctuation marks: longer than an
        // English word on average, and almost never seen again.
        assert!(zh.mean_chars > 1.4 * en.mean_chars, "{en:?} {zh:?}");
        assert!(2 * zh.longest.chars().count() > 3 * en.longest.chars().count(), "{en:?} {zh:?}");
        assert!(zh.oov_rate > 0.9 && zh.oov_rate > 2.0 * en.oov_rate, "{en:?} {zh:?}");
    }
}
