use super::*;

/// What the §2.4 page says about this figure.
#[test]
fn the_extension_figure_shows_what_the_page_says() {
    let curve = curve_on_the_corpus();
    for e in &curve[1..] {
        let (zh_a, zh_b) = (e.english_only.1, e.bilingual.1);
        // However many merges it learns from English, Chinese stays at its byte cost:
        assert!(zh_a.tokens_per_char() > 0.95 * zh_a.bytes_per_char(), "{e:?}");
        // while with Chinese in the training text every size is cheaper.
        assert!(zh_b.tokens < zh_a.tokens, "{e:?}");
    }
    // The bilingual curve keeps falling with more merges.
    assert!(curve.windows(2).all(|w| w[1].bilingual.1.tokens < w[0].bilingual.1.tokens));
    // The page's two readings of the bilingual curve, to two decimals: 1.72 Chinese tokens
    // per character at 250 merges, 0.88 at 4,000.
    let at = |merges: usize| {
        let e = curve.iter().find(|e| e.vocab_size == 256 + merges).expect("a curve size");
        (100.0 * e.bilingual.1.tokens_per_char()).round() / 100.0
    };
    assert_eq!((at(250), at(4000)), (1.72, 0.88), "the §2.4 page's figures");
}
