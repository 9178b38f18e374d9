use super::*;
use crate::nlp::byte_level::compression_ratio;

#[test]
fn an_english_tokenizer_leaves_chinese_as_bytes() {
    // Hand-made: no byte of 中 (e4 b8 ad) or 文 (e6 96 87) occurs in the training
    // text, so no merge applies and each character costs its 3 bytes.
    let bpe = ByteBpe::train("the cat sat on the mat, the cat ate", 256 + 20);
    assert_eq!(bpe.encode("中文").len(), 6);
    assert!(bpe.encode(" the cat").len() <= 2);
    let cost = Cost::measure(&bpe, &["中文"]);
    assert_eq!(
        (cost.tokens_per_char(), cost.compression(), cost.bytes_per_char()),
        (3.0, 1.0 / 3.0, 3.0)
    );
}

/// The numbers the §2.4 page quotes, as properties with margins.
#[test]
fn adding_chinese_to_the_training_text_cuts_its_tokens() {
    let e = on_the_corpus();
    let ((en_a, zh_a), (en_b, zh_b)) = (e.english_only, e.bilingual);
    // Trained on English only, nearly every byte of Chinese text is its own token: the
    // cost per character is within 5 % of the bytes per character (about 3),
    assert!(zh_a.bytes_per_char() > 2.5, "{e:?}");
    assert!(zh_a.tokens_per_char() > 0.95 * zh_a.bytes_per_char(), "{e:?}");
    // and a Chinese character costs over 5 times as many tokens as an English one.
    assert!(zh_a.tokens_per_char() > 5.0 * en_a.tokens_per_char(), "{e:?}");
    // With Chinese in the training text, the same vocabulary size more than halves
    // the tokens of held-out Chinese,
    assert!(2 * zh_b.tokens < zh_a.tokens, "{e:?}");
    // at a price in English, whose merges now share the budget: more tokens, but
    // less than 30 % more.
    assert!(en_b.tokens >= en_a.tokens && en_b.tokens * 10 < en_a.tokens * 13, "{e:?}");
    // The compression ratio is the exercise's function of the text and the count.
    let (_, zh_held) = split_lines(crate::nlp::corpus::CHINESE, HELD_OUT_EVERY);
    let ratio = compression_ratio(&zh_held.concat(), zh_b.tokens);
    approx::assert_abs_diff_eq!(ratio, zh_b.compression(), epsilon = 1e-12);
}
