//! §2.3: plausible wrong WordPiece scores and encoders.

use solutions::nlp::wordpiece::wordpiece_encode;
use std::collections::HashSet;

fn counts(words: &[(Vec<String>, u64)], a: &str, b: &str, weighted: bool) -> (f64, f64, f64) {
    let (mut ab, mut fa, mut fb) = (0.0, 0.0, 0.0);
    for (s, n) in words {
        let w = if weighted { *n as f64 } else { 1.0 };
        ab += w * s.windows(2).filter(|p| p[0] == a && p[1] == b).count() as f64;
        fa += w * s.iter().filter(|x| *x == a).count() as f64;
        fb += w * s.iter().filter(|x| *x == b).count() as f64;
    }
    (ab, fa, fb)
}

/// f(ab) alone: BPE's criterion.
pub fn score_bpe_frequency(words: &[(Vec<String>, u64)], a: &str, b: &str) -> f64 {
    counts(words, a, b, true).0
}

/// f(ab) / (f(a) + f(b)).
pub fn score_sum_denominator(words: &[(Vec<String>, u64)], a: &str, b: &str) -> f64 {
    let (ab, fa, fb) = counts(words, a, b, true);
    if ab == 0.0 {
        0.0
    } else {
        ab / (fa + fb)
    }
}

/// Each distinct word counted once, whatever its count.
pub fn score_unweighted(words: &[(Vec<String>, u64)], a: &str, b: &str) -> f64 {
    let (ab, fa, fb) = counts(words, a, b, false);
    if ab == 0.0 {
        0.0
    } else {
        ab / (fa * fb)
    }
}

fn greedy(
    word: &str,
    vocab: &HashSet<String>,
    shortest: bool,
    prefix: bool,
    partial: bool,
) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let (mut out, mut i) = (vec![], 0);
    while i < chars.len() {
        let mut ends: Vec<usize> = (i + 1..=chars.len()).collect();
        if !shortest {
            ends.reverse();
        }
        let hit = ends.into_iter().find_map(|j| {
            let body: String = chars[i..j].iter().collect();
            let piece = if i > 0 && prefix { format!("##{body}") } else { body };
            vocab.contains(&piece).then_some((piece, j))
        });
        match hit {
            Some((p, j)) => {
                out.push(p);
                i = j;
            }
            None if partial => {
                out.push("[UNK]".into());
                return out;
            }
            None => return vec!["[UNK]".into()],
        }
    }
    out
}

/// The shortest vocabulary prefix first.
pub fn encode_shortest_first(word: &str, vocab: &HashSet<String>) -> Vec<String> {
    if word.chars().count() > 100 {
        return vec!["[UNK]".into()];
    }
    greedy(word, vocab, true, true, false)
}

/// Continuation pieces looked up without `##`.
pub fn encode_no_prefix(word: &str, vocab: &HashSet<String>) -> Vec<String> {
    if word.chars().count() > 100 {
        return vec!["[UNK]".into()];
    }
    greedy(word, vocab, false, false, false)
}

/// Keeps the pieces found before the failure, then one [UNK].
pub fn encode_partial_unk(word: &str, vocab: &HashSet<String>) -> Vec<String> {
    if word.chars().count() > 100 {
        return vec!["[UNK]".into()];
    }
    greedy(word, vocab, false, true, true)
}

/// No max_input_chars_per_word limit.
pub fn encode_no_length_limit(word: &str, vocab: &HashSet<String>) -> Vec<String> {
    greedy(word, vocab, false, true, false)
}

/// The limit applied with `>=`: a 100-character word becomes [UNK].
pub fn encode_limit_off_by_one(word: &str, vocab: &HashSet<String>) -> Vec<String> {
    if word.chars().count() >= 100 {
        return vec!["[UNK]".into()];
    }
    wordpiece_encode(word, vocab)
}
