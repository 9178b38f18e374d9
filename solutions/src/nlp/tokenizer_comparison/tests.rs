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
