use super::*;
use crate::nlp::corpus;
use crate::nlp::pre_tokenization::subword_word_counts;

fn sennrich() -> Vec<(String, u64)> {
    [("low", 5), ("lower", 2), ("newest", 6), ("widest", 3)]
        .iter()
        .map(|&(w, n)| (w.to_string(), n))
        .collect()
}

#[test]
fn the_first_merge_is_the_highest_score_not_the_most_frequent_pair() {
    let m = train_wordpiece(&sennrich(), 22);
    // Alphabet: [UNK] + 11 distinct symbols (l w n, ##o ##w ##e ##r ##s ##t ##i ##d).
    assert_eq!(m.vocab.len(), 22);
    assert_eq!(m.vocab[..12].join(" "), "[UNK] ##d ##e ##i ##o ##r ##s ##t ##w l n w");
    // (##i, ##d) and (w, ##i) both score 1/3 with f = 3; "##i" < "w" breaks the tie.
    assert_eq!(m.merges[0], ("##i".to_string(), "##d".to_string()));
    assert_eq!(m.vocab[12], "##id");
}

#[test]
fn every_merge_has_the_highest_score_of_its_step() {
    // The trainer (fresh integer counts) against wordpiece_score (a slow reference).
    let words = subword_word_counts(&corpus::ENGLISH[..4000.min(corpus::ENGLISH.len())]);
    let model = train_wordpiece(&words, 150);
    let mut split: Vec<(Vec<String>, u64)> =
        words.iter().map(|(w, n)| (initial_split(w), *n)).collect();
    for (a, b) in model.merges.iter().take(20) {
        let mut pairs: HashSet<(String, String)> = HashSet::new();
        for (s, _) in &split {
            pairs.extend(s.windows(2).map(|w| (w[0].clone(), w[1].clone())));
        }
        let chosen = wordpiece_score(&split, a, b);
        for (x, y) in &pairs {
            assert!(wordpiece_score(&split, x, y) <= chosen * (1.0 + 1e-12), "{x} {y}");
        }
        let new = join(a, b);
        for (s, _) in split.iter_mut() {
            *s = merge_in(s, a, b, &new);
        }
    }
}

#[test]
fn greedy_longest_match_is_not_always_possible_where_a_split_exists() {
    // "a" + "##bc" covers "abc", but greedy takes "ab" first and is stuck at "c".
    let vocab: HashSet<String> = ["a", "ab", "##bc"].map(String::from).into();
    assert_eq!(wordpiece_encode("abc", &vocab), [UNK]);
    assert_eq!(wordpiece_encode("a", &vocab), ["a"]);
}

#[test]
fn long_words_and_chinese_are_handled_by_characters() {
    let vocab: HashSet<String> =
        ["语", "##言", "##言模", "##型", "a", "##a"].map(String::from).into();
    assert_eq!(wordpiece_encode("语言模型", &vocab), ["语", "##言模", "##型"]);
    assert_eq!(wordpiece_encode(&"a".repeat(100), &vocab).len(), 100);
    assert_eq!(wordpiece_encode(&"a".repeat(101), &vocab), [UNK]);
}

#[test]
fn a_trained_vocabulary_covers_every_corpus_word() {
    // The alphabet of the training words is in the vocabulary, so no training word
    // (of at most 100 characters) can come out as [UNK], and the pieces spell it.
    let words = subword_word_counts(&corpus::embedded());
    let alphabet = words.iter().flat_map(|(w, _)| initial_split(w)).collect::<HashSet<_>>();
    let model = train_wordpiece(&words, alphabet.len() + 300);
    assert_eq!(model.vocab.len(), alphabet.len() + 300, "[UNK], the alphabet, 299 merges");
    let vocab = model.vocab_set();
    for (w, _) in words.iter().filter(|(w, _)| w.chars().count() <= MAX_INPUT_CHARS_PER_WORD) {
        let pieces = wordpiece_encode(w, &vocab);
        let spelled: String = pieces.iter().map(|p| p.trim_start_matches(CONTINUATION)).collect();
        assert_eq!(&spelled, w);
    }
}
