use super::*;

/// What the §2.1 page says about this figure.
#[test]
fn the_tradeoff_figure_shows_what_the_page_says() {
    let (en, zh) = tradeoff_curves();
    for c in [&en, &zh] {
        // The word-level OOV rate falls as the vocabulary grows but never reaches 0,
        assert!(c.word_oov.windows(2).all(|w| w[1].1 <= w[0].1));
        assert!(c.word_oov.last().unwrap().1 > 0.05);
        // and every byte-level BPE is shorter with more merges.
        assert!(c.bpe_length.windows(2).all(|w| w[1].1 < w[0].1));
    }
    // Without merges Chinese costs about 3 tokens per character, English about 1.
    assert!(zh.bpe_length[0].1 > 2.5 && en.bpe_length[0].1 < 1.01);
    // Chinese word-level OOV stays above English's at every vocabulary size,
    // because its "words" are clauses that rarely repeat.
    let last = |c: &LanguageCurves| c.word_oov.last().unwrap().1;
    assert!(last(&zh) > last(&en) + 0.1, "{} vs {}", last(&zh), last(&en));
    // The page: a word costs about 0.21 tokens per character, in both languages.
    for c in [&en, &zh] {
        let words = c.rows.iter().find(|r| r.tokenizer.starts_with("word, all")).unwrap();
        let per_char = (100.0 / words.chars_per_token).round() / 100.0;
        assert_eq!(per_char, 0.21, "{words:?}");
    }
}
