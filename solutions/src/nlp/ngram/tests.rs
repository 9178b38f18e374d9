use super::*;

/// Every conditional distribution sums to 1 over the training characters plus the
/// unseen symbol, for seen, unseen and partly seen contexts.
#[test]
fn probabilities_sum_to_one() {
    let text = "the cat sat on the mat. the hat is on the cat.";
    let alphabet: Vec<char> = {
        let mut a: Vec<char> = text.chars().collect();
        a.sort_unstable();
        a.dedup();
        a
    };
    for order in 1..=4 {
        let model = NGramModel::train(text, order);
        for history in ["", "t", "th", "the ", "zq", "xth", "e c"] {
            let h: Vec<char> = history.chars().collect();
            let seen: f64 = alphabet.iter().map(|&c| model.prob(&h, c)).sum();
            let unseen = model.prob(&h, '€'); // the one slot every unseen character shares
            assert!(
                (seen + unseen - 1.0).abs() < 1e-12,
                "order {order}, {history:?}: {}",
                seen + unseen
            );
            assert!(unseen > 0.0);
        }
    }
}

/// Hand-worked: a unigram model (its one level counts occurrences) on "aab":
/// c(a) = 2, c(b) = 1, total 3, t = 2 distinct; n₁ = 1, n₂ = 1, so D = 1/(1 + 2) = ⅓.
/// With V = 3 (a, b, unseen) the freed mass is D·t = ⅔, spread uniformly (⅓ each):
/// p(a) = (2 − ⅓ + ⅔·⅓)/3 = 17/27, p(b) = (1 − ⅓ + 2/9)/3 = 8/27, p(unseen) = 2/27.
///
/// A bigram model on the same text: its order-1 level has continuation counts. "a" is
/// preceded by "a" once and also starts the text (counted once), "b" is preceded by
/// "a": c(a) = c(b) = 1, so n₁ = 2, n₂ = 0, D = 1 clamped to 0.9, and
/// p₁(a) = (0.1 + 0.9·2·⅓)/2 = 0.35. After "b" (an unseen context) that is the answer.
#[test]
fn hand_worked_unigram_and_bigram() {
    let model = NGramModel::train("aab", 1);
    approx::assert_abs_diff_eq!(model.prob(&[], 'a'), 17.0 / 27.0, epsilon = 1e-12);
    approx::assert_abs_diff_eq!(model.prob(&[], 'b'), 8.0 / 27.0, epsilon = 1e-12);
    approx::assert_abs_diff_eq!(model.prob(&[], 'z'), 2.0 / 27.0, epsilon = 1e-12);
    let bigram = NGramModel::train("aab", 2);
    approx::assert_abs_diff_eq!(bigram.prob(&['b'], 'a'), 0.35, epsilon = 1e-12);
}

/// "abacabad" repeated: a unigram needs H(½, ¼, ⅛, ⅛) = 1.75 bits; a bigram is unsure
/// only after "a" (b, c, b, d: 1.5 bits, half the positions), 0.75; with two characters
/// only "ba" is unsure (c or d: 1 bit, a quarter of the positions), 0.25; four
/// characters of context ("caba" or "daba") decide everything. Smoothing costs a little
/// on top of each ideal value, never less.
#[test]
fn each_order_reaches_its_ideal_on_a_periodic_text() {
    let rows = baseline(&"abacabad".repeat(200), &[1, 2, 3, 5]);
    for (row, ideal) in rows.iter().zip([1.75, 0.75, 0.25, 0.0]) {
        let bpc = row.held_out.bits_per_char;
        assert!(bpc >= ideal - 1e-9 && bpc < ideal + 0.05, "order {}: {bpc} vs {ideal}", row.order);
    }
}

/// The baseline on the embedded corpus (the page's table). Asserted as properties,
/// since the corpus text may change: on English each order up to 4 beats the one
/// before by more than 4 standard errors, and a character model spends more bits per
/// Chinese character than per English one at every order (a Chinese character carries
/// about as much as a short English word), with the best order above 6 bits.
#[test]
fn the_corpus_baseline_improves_with_order() {
    use crate::nlp::corpus::{CHINESE, ENGLISH};
    let en = baseline(ENGLISH, &[1, 2, 3, 4, 5, 6]);
    for w in en[..4].windows(2) {
        let (a, b) = (w[0].held_out, w[1].held_out);
        assert!(a.bits_per_char - b.bits_per_char > 4.0 * b.std_error, "{en:#?}");
    }
    let zh = baseline(CHINESE, &[1, 2, 3]);
    for (e, z) in en.iter().zip(&zh) {
        assert!(z.held_out.bits_per_char > e.held_out.bits_per_char + 1.0, "{en:#?} {zh:#?}");
    }
    assert!(zh.iter().all(|r| r.held_out.bits_per_char > 6.0), "{zh:#?}");
}

#[test]
fn the_split_keeps_lines_whole() {
    let text = "one line\nanother line\nthird line\nfourth line\n";
    let (train, held) = split_held_out(text, 0.3);
    assert_eq!(format!("{train}{held}"), text);
    assert!(train.ends_with('\n') && !held.is_empty(), "{train:?} | {held:?}");
    // A two-character text still gets one character on each side.
    assert_eq!(split_held_out("ab", 0.1), ("a", "b"));
    assert!(baseline("ab", &[1, 2])[0].held_out.bits_per_char.is_finite());
}
