//! Graded suite for §2.3: WordPiece's merge score and its greedy longest-match encoder.
//!
//! The score is recomputed here from its definition on small split corpora, with exact
//! fractions; a wrong score is matched against the usual slips (BPE's raw frequency, word
//! counts ignored, a sum in the denominator, one count per word instead of per
//! occurrence). The encoder is compared with a reference written here on a fixed
//! vocabulary, and a wrong one is diagnosed by what it produced (shortest match, missing
//! `##`, partial output before an `[UNK]`, the 100-character limit).

use crate::compare::Tol;
use crate::{Check, Failure};
use std::collections::HashSet;

type Split = Vec<(Vec<String>, u64)>;

fn split(words: &[(&[&str], u64)]) -> Split {
    words.iter().map(|(s, n)| (s.iter().map(|x| x.to_string()).collect(), *n)).collect()
}

/// The counts behind the score: (f(ab), f(a), f(b)), optionally unweighted or per word.
fn counts(words: &Split, a: &str, b: &str, weighted: bool, per_word: bool) -> (f64, f64, f64) {
    let (mut ab, mut fa, mut fb) = (0.0, 0.0, 0.0);
    for (s, n) in words {
        let w = if weighted { *n as f64 } else { 1.0 };
        let occ = |x: &str| s.iter().filter(|y| *y == x).count() as f64;
        let pairs = s.windows(2).filter(|p| p[0] == a && p[1] == b).count() as f64;
        let cap = |k: f64| if per_word { k.min(1.0) } else { k };
        ab += w * cap(pairs);
        fa += w * cap(occ(a));
        fb += w * cap(occ(b));
    }
    (ab, fa, fb)
}

/// Grades `wordpiece_score(words, a, b)`.
pub fn check_wordpiece_score<F>(f: F) -> Check
where
    F: Fn(&[(Vec<String>, u64)], &str, &str) -> f64,
{
    let sennrich = split(&[
        (&["l", "##o", "##w"], 5),
        (&["l", "##o", "##w", "##e", "##r"], 2),
        (&["n", "##e", "##w", "##e", "##s", "##t"], 6),
        (&["w", "##i", "##d", "##e", "##s", "##t"], 3),
    ]);
    let repeated = split(&[(&["##a", "##b", "##a", "##b"], 2), (&["##a", "##c"], 3)]);
    let cases: [(&Split, &str, &str); 6] = [
        (&sennrich, "##e", "##s"),
        (&sennrich, "##i", "##d"),
        (&sennrich, "l", "##o"),
        (&sennrich, "l", "##w"),
        (&repeated, "##a", "##b"),
        (&repeated, "##a", "##c"),
    ];
    for (words, a, b) in cases {
        let got = f(words, a, b);
        let (ab, fa, fb) = counts(words, a, b, true, false);
        let want = if ab == 0.0 { 0.0 } else { ab / (fa * fb) };
        let close = |x: f64| Tol { abs: 1e-300, rel: 1e-12 }.allows(got, x);
        if close(want) {
            continue;
        }
        let (u_ab, u_a, u_b) = counts(words, a, b, false, false);
        let (p_ab, p_a, p_b) = counts(words, a, b, true, true);
        let cause = if ab == 0.0 {
            "the pair never occurs (b never directly follows a), so f(ab) = 0 and the score is 0"
                .to_string()
        } else if close(ab) {
            format!(
                "you returned f(ab) = {ab} alone: that is BPE's criterion (merge the most frequent \
                 pair). WordPiece divides by f(a)·f(b) = {fa}·{fb}, so that pairs of common \
                 symbols do not win just by being common"
            )
        } else if close(ab / (fa + fb)) {
            format!(
                "you divided by f(a) + f(b) = {}; the score divides by the product f(a)·f(b) = {}",
                fa + fb,
                fa * fb
            )
        } else if close(u_ab / (u_a * u_b)) {
            "the word counts were ignored: every occurrence inside a word counts as many times as \
             the word appears in the corpus (multiply by its count)"
                .to_string()
        } else if close(p_ab / (p_a * p_b)) {
            "you counted each word once however often the symbol occurs in it; count every \
             occurrence (a word ##a ##b ##a ##b holds the pair twice)"
                .to_string()
        } else if got == 0.0 {
            "the score came out 0: integer division? compute f(ab) / (f(a)·f(b)) in f64".to_string()
        } else {
            format!("score(a, b) = f(ab) / (f(a)·f(b)) = {ab} / ({fa}·{fb})")
        };
        let shown: Vec<String> =
            words.iter().map(|(s, n)| format!("{}×{n}", s.join(" "))).collect();
        return Err(Failure::new(format!(
            "wordpiece_score(words, {a:?}, {b:?}) on [{}] is {got}, expected {want}: {cause}.",
            shown.join(", ")
        )));
    }
    Ok(())
}

/// BERT's greedy longest-match-first encoder, written again for grading.
fn reference_encode(word: &str, vocab: &HashSet<String>) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() > 100 {
        return vec!["[UNK]".into()];
    }
    let (mut out, mut i) = (vec![], 0);
    while i < chars.len() {
        let hit = (i + 1..=chars.len()).rev().find_map(|j| {
            let body: String = chars[i..j].iter().collect();
            let piece = if i == 0 { body } else { format!("##{body}") };
            vocab.contains(&piece).then_some((piece, j))
        });
        match hit {
            Some((p, j)) => {
                out.push(p);
                i = j;
            }
            None => return vec!["[UNK]".into()],
        }
    }
    out
}

/// The same, taking the shortest match (a classic slip), or never adding `##`.
fn variant_encode(
    word: &str,
    vocab: &HashSet<String>,
    shortest: bool,
    prefix: bool,
) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let (mut out, mut i) = (vec![], 0);
    while i < chars.len() {
        let ends: Vec<usize> = if shortest {
            (i + 1..=chars.len()).collect()
        } else {
            (i + 1..=chars.len()).rev().collect()
        };
        let hit = ends.into_iter().find_map(|j| {
            let body: String = chars[i..j].iter().collect();
            let piece = if i > 0 && prefix { format!("##{body}") } else { body };
            vocab.contains(&piece).then_some((piece, j))
        });
        let Some((p, j)) = hit else { return vec!["[UNK]".into()] };
        out.push(p);
        i = j;
    }
    out
}

/// Grades `wordpiece_encode(word, vocab)`.
pub fn check_wordpiece_encode<F>(f: F) -> Check
where
    F: Fn(&str, &HashSet<String>) -> Vec<String>,
{
    let vocab: HashSet<String> = [
        "low", "wid", "w", "l", "un", "a", "ab", "est", "er", "##er", "##est", "##id", "##e",
        "##s", "##t", "##o", "##w", "##aff", "##able", "##a", "##bc", "语", "##言", "##言模",
        "##型",
    ]
    .map(String::from)
    .into();
    let long_ok = "a".repeat(100);
    let long_unk = "a".repeat(101);
    let words = [
        "widest",
        "lowest",
        "lower",
        "unaffable",
        "lows",
        "语言模型",
        "wider",
        "abc",
        "",
        "w",
        &long_ok,
        &long_unk,
    ];
    for word in words {
        let got = f(word, &vocab);
        let want = reference_encode(word, &vocab);
        if got == want {
            continue;
        }
        let shown_word = if word.len() > 20 {
            format!("{}… ({} characters)", &word[..12], word.chars().count())
        } else {
            format!("{word:?}")
        };
        let cause = if word.chars().count() > 100 && got.len() > 1 {
            "a word of more than max_input_chars_per_word = 100 characters becomes [UNK] without \
             being tried (BERT and Hugging Face do the same)"
                .to_string()
        } else if word.chars().count() == 100 && got == ["[UNK]"] {
            "a word of exactly 100 characters is still encoded: only words longer than 100 become \
             [UNK]"
                .to_string()
        } else if want == ["[UNK]"] && got.len() > 1 && got.last().is_some_and(|p| p == "[UNK]") {
            "you emitted the pieces before the failure instead of a single [UNK] for the whole \
             word: when no piece matches at some position, BERT throws away what it found and the \
             word becomes one [UNK]"
                .to_string()
        } else if got == variant_encode(word, &vocab, true, true) {
            "you took the shortest match first. WordPiece is greedy longest-match-first: from each \
             position try the longest remaining substring and shorten it one character at a time \
             until it is in the vocabulary"
                .to_string()
        } else if got == variant_encode(word, &vocab, false, false)
            || got.iter().skip(1).any(|p| !p.starts_with("##") && p != "[UNK]")
        {
            "you forgot the `##` prefix on continuation pieces: a piece that does not start the \
             word is looked up (and returned) as ##piece, so `est` inside a word is \
             `##est`"
                .to_string()
        } else {
            "from each position take the longest prefix in the vocabulary (with ## unless it \
             starts the word); if none, the whole word is [UNK]"
                .to_string()
        };
        return Err(Failure::new(format!(
            "wordpiece_encode({shown_word}) is {got:?}, expected {want:?}: {cause}."
        )));
    }
    Ok(())
}
