use super::*;
use crate::nlp::{corpus, pre_tokenization::subword_word_counts};

fn vocab(entries: &[(&str, f64)]) -> HashMap<String, f64> {
    entries.iter().map(|&(p, l)| (p.to_string(), l)).collect()
}

/// Every segmentation of a short word, by brute force: the slow reference.
fn all_segmentations(word: &[char]) -> Vec<Vec<String>> {
    if word.is_empty() {
        return vec![vec![]];
    }
    (1..=word.len())
        .flat_map(|k| {
            let head: String = word[..k].iter().collect();
            all_segmentations(&word[k..]).into_iter().map(move |mut rest| {
                rest.insert(0, head.clone());
                rest
            })
        })
        .collect()
}

#[test]
fn viterbi_finds_the_best_of_all_segmentations() {
    let pieces = vocab(&[
        ("h", -3.0),
        ("u", -3.0),
        ("g", -3.0),
        ("s", -2.0),
        ("hu", -2.5),
        ("ug", -3.0),
        ("hug", -4.0),
        ("gs", -4.5),
        ("ugs", -3.3),
    ]);
    for word in ["hugs", "hug", "shug", "gush", "hughug", "ugsugs"] {
        let chars: Vec<char> = word.chars().collect();
        let score = |seg: &Vec<String>| {
            seg.iter().map(|p| pieces.get(p).copied().unwrap_or(f64::NEG_INFINITY)).sum::<f64>()
        };
        let best = all_segmentations(&chars)
            .into_iter()
            .map(|s| score(&s))
            .fold(f64::NEG_INFINITY, f64::max);
        let got = unigram_viterbi(word, &pieces);
        assert_eq!(got.concat(), word);
        assert!(approx::abs_diff_eq!(score(&got), best, epsilon = 1e-12), "{word}: {got:?}");
    }
}

#[test]
fn ties_go_to_the_longest_last_piece_and_unknowns_are_fused() {
    let pieces = vocab(&[("a", -1.0), ("b", -1.0), ("ab", -2.0)]);
    assert_eq!(unigram_viterbi("ab", &pieces), ["ab"]);
    // z and q are covered by no piece: each gets min − 10 = −12, and the run is one piece.
    assert_eq!(unigram_viterbi("azqb", &pieces), ["a", "zq", "b"]);
    assert_eq!(viterbi_table("azqb", &pieces, None)[4].score, -1.0 - 12.0 - 12.0 - 1.0);
    assert_eq!(unigram_viterbi("语言", &pieces), ["语言"]);
}

#[test]
fn training_keeps_every_character_and_reaches_the_size() {
    let words = subword_word_counts(&corpus::embedded());
    let chars: std::collections::HashSet<char> =
        words.iter().flat_map(|(w, _)| w.chars()).collect();
    let size = chars.len() + 500;
    let pieces = train_unigram(&words, size, 8);
    let map: HashMap<String, f64> = pieces.iter().cloned().collect();
    assert!(chars.iter().all(|c| map.contains_key(&c.to_string())), "a character was pruned");
    assert_eq!(pieces.len(), size, "the trainer returns exactly the size asked for");
    // Probabilities sum to 1, and the trained model segments better than characters.
    let total: f64 = pieces.iter().map(|(_, l)| l.exp()).sum();
    assert!(approx::abs_diff_eq!(total, 1.0, epsilon = 1e-9), "Σ p = {total}");
    let n_pieces: usize =
        words.iter().map(|(w, n)| *n as usize * unigram_viterbi(w, &map).len()).sum();
    let n_chars: usize = words.iter().map(|(w, n)| *n as usize * w.chars().count()).sum();
    assert!(n_pieces * 10 < n_chars * 8, "{n_pieces} pieces for {n_chars} characters");
}

#[test]
fn the_size_bends_only_to_the_alphabet_and_the_seed() {
    let words: Vec<(String, u64)> =
        [("hug", 10), ("pug", 5), ("hugs", 4)].map(|(w, n)| (w.to_string(), n)).into();
    // Seed: 5 characters h u g p s, and ug, hu, hug, pu, pug, gs, ugs, hugs (each ≥ 2).
    let seed = train_unigram(&words, 1000, 8);
    assert_eq!(seed.len(), 13, "all of a seed smaller than the size: {seed:?}");
    assert_eq!(train_unigram(&words, 8, 8).len(), 8);
    // Fewer than the 5 characters asked for: the characters stay, nothing else.
    let chars = train_unigram(&words, 3, 8);
    assert!(chars.len() == 5 && chars.iter().all(|(p, _)| p.chars().count() == 1));
}
