//! Tests of §2.5 on the embedded corpus (properties and 5σ bounds, never its exact
//! numbers) and on hand-made strings (exact).

use super::*;
use crate::nlp::corpus;
use rand::SeedableRng;

/// The corpus as BERT inputs: NSP pairs laid out as `[CLS] A [SEP] B [SEP]`, padded with
/// `[PAD]` to `len`, so every kind of special token appears.
fn corpus_inputs(seed: u64, len: usize) -> (WordVocab, Vec<Vec<u32>>) {
    let text = corpus::embedded();
    let docs = documents(&text);
    let vocab = WordVocab::new(docs.iter().flatten().map(String::as_str));
    let pairs = nsp_pairs(&docs, &mut StdRng::seed_from_u64(seed));
    let encode = |r: SentenceRef| vocab.encode(&docs[r.doc][r.sentence]);
    let inputs = pairs
        .iter()
        .map(|p| {
            let mut ids = pair_input(&encode(p.a), &encode(p.b), len).ids;
            ids.resize(len, PAD);
            ids
        })
        .collect();
    (vocab, inputs)
}

#[test]
fn special_tokens_are_never_chosen_and_unchosen_positions_are_untouched() {
    let (vocab, inputs) = corpus_inputs(1, 48);
    let mut rng = StdRng::seed_from_u64(1);
    for ids in &inputs {
        let m = mask_tokens(ids, &SPECIAL, vocab.len() as u32, MASK, &mut rng);
        assert_eq!(m.input_ids.len(), ids.len());
        for (i, (&o, (&x, &l))) in ids.iter().zip(m.input_ids.iter().zip(&m.labels)).enumerate() {
            if SPECIAL.contains(&o) || l.is_none() {
                assert_eq!((x, l), (o, None), "position {i} of {ids:?}");
            } else {
                assert_eq!(l, Some(o), "a chosen position is labelled with its original id");
                assert!(x == MASK || !SPECIAL.contains(&x), "a random id is never special");
            }
        }
        let hf = m.hf_labels();
        assert!(hf.iter().zip(&m.labels).all(|(&h, l)| (h == -100) == l.is_none()));
    }
}

#[test]
fn masking_is_deterministic_for_a_seed() {
    let ids: Vec<u32> = (0..500).map(|i| 5 + i % 40).collect();
    let run = |seed| mask_tokens(&ids, &SPECIAL, 45, MASK, &mut StdRng::seed_from_u64(seed));
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
}

#[test]
fn nsp_is_half_positive_within_5_sigma_and_negatives_come_from_other_documents() {
    let docs = documents(&corpus::embedded());
    let (mut positive, mut total) = (0, 0);
    for seed in 0..20 {
        let pairs = nsp_pairs(&docs, &mut StdRng::seed_from_u64(seed));
        let expected = docs.iter().map(|d| d.len().saturating_sub(1)).sum::<usize>();
        assert_eq!(pairs.len(), expected, "one pair per sentence with a successor");
        for p in &pairs {
            assert_eq!(p.b == SentenceRef { doc: p.a.doc, sentence: p.a.sentence + 1 }, p.is_next);
            assert!(p.is_next || p.b.doc != p.a.doc, "a negative from A's own document");
            assert!(p.b.sentence < docs[p.b.doc].len());
        }
        positive += pairs.iter().filter(|p| p.is_next).count();
        total += pairs.len();
    }
    let z = z_score(positive, total, 0.5);
    eprintln!("{positive} of {total} pairs IsNext, z = {z:.2}");
    assert!(z.abs() < 5.0, "IsNext share {z:.2} standard errors from 1/2");
    let run = |seed| nsp_pairs(&docs, &mut StdRng::seed_from_u64(seed));
    assert_eq!(run(3), run(3));
}

#[test]
fn the_hand_worked_nsp_example() {
    let docs: Vec<Vec<String>> =
        vec![vec!["a0".into(), "a1".into(), "a2".into()], vec![], vec!["b0".into()]];
    for seed in 0..20 {
        let pairs = nsp_pairs(&docs, &mut StdRng::seed_from_u64(seed));
        assert_eq!(pairs.len(), 2);
        for (k, p) in pairs.iter().enumerate() {
            assert_eq!(p.a, SentenceRef { doc: 0, sentence: k });
            let next = SentenceRef { doc: 0, sentence: k + 1 };
            assert_eq!(p.b, if p.is_next { next } else { SentenceRef { doc: 2, sentence: 0 } });
        }
    }
}

#[test]
fn pair_input_lays_out_cls_a_sep_b_sep_and_truncates_the_longer() {
    let x = pair_input(&[10, 11, 12, 13], &[20, 21], 8);
    // 4 + 2 + 3 = 9 > 8: A, the longer, loses its last token.
    assert_eq!(x.ids, [CLS, 10, 11, 12, SEP, 20, 21, SEP]);
    assert_eq!(x.segments, [0, 0, 0, 0, 0, 1, 1, 1]);
    assert_eq!(pair_input(&[1, 2], &[3, 4, 5, 6], 6).ids, [CLS, 1, SEP, 3, 4, SEP]);
}

/// A full 512-token pair, `[CLS] A [SEP] B [SEP]`, holds three special tokens, which are
/// never chosen: 509 ordinary positions, 76.35 targets, 61.08 `[MASK]`s on average.
#[test]
fn a_512_token_pair_has_509_ordinary_positions_and_61_08_masks() {
    let a: Vec<u32> = (100..400).collect();
    let b: Vec<u32> = (400..700).collect();
    let x = pair_input(&a, &b, 512);
    assert_eq!(x.ids.len(), 512, "the pair should fill the 512 positions");
    let ordinary = x.ids.iter().filter(|t| !SPECIAL.contains(t)).count();
    assert_eq!(ordinary, 509, "[CLS] and two [SEP]s leave 509 ordinary positions");
    approx::assert_abs_diff_eq!(expected_mask_count(ordinary), 61.08, epsilon = 1e-9);
    approx::assert_abs_diff_eq!(ordinary as f64 * MLM_PROBABILITY, 76.35, epsilon = 1e-9);
    let sd = (ordinary as f64 * MLM_PROBABILITY * (1.0 - MLM_PROBABILITY)).sqrt();
    approx::assert_abs_diff_eq!(sd, 8.06, epsilon = 5e-3);
    let random = ordinary as f64 * MLM_PROBABILITY * RANDOM_SHARE;
    approx::assert_abs_diff_eq!(random, 7.635, epsilon = 1e-9);
}

#[test]
fn the_expected_mask_count_of_512_tokens_is_61_44() {
    approx::assert_abs_diff_eq!(expected_mask_count(512), 61.44, epsilon = 1e-9);
    // The rest of the page's worked example: 76.8 chosen, 7.68 random, 7.68 unchanged.
    approx::assert_abs_diff_eq!(512.0 * MLM_PROBABILITY, 76.8, epsilon = 1e-9);
    approx::assert_abs_diff_eq!(512.0 * MLM_PROBABILITY * RANDOM_SHARE, 7.68, epsilon = 1e-9);
    approx::assert_abs_diff_eq!(
        512.0 * MLM_PROBABILITY * (1.0 - MASK_SHARE - RANDOM_SHARE),
        7.68,
        epsilon = 1e-9
    );
}
