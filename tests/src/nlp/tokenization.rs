//! Graded suite for §2.1: a word-level vocabulary and its OOV rate.
//!
//! The vocabulary is recomputed here with a `BTreeMap` (no hash order anywhere) on the
//! worked example and on seeded Zipf-like token streams that have many tied counts. A wrong
//! vocabulary is matched against the usual slips: least frequent first, ties left to hash
//! or first-appearance order, too many or too few words. The OOV rate is checked on cases
//! where counting tokens, counting word types and measuring coverage all give different
//! numbers.

use crate::compare::Tol;
use crate::{Check, Failure};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, HashSet};

/// (token, count), sorted by count descending then token ascending.
fn ranked(tokens: &[&str]) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for t in tokens {
        *counts.entry(t).or_default() += 1;
    }
    let mut r: Vec<(String, usize)> = counts.into_iter().map(|(t, c)| (t.to_string(), c)).collect();
    // BTreeMap already orders by token; a stable sort by count keeps that within ties.
    r.sort_by_key(|x| std::cmp::Reverse(x.1));
    r
}

/// A seeded token stream over a 40-word alphabet, Zipf-like, so that the tail is full of
/// words tied at counts 1, 2 and 3.
fn zipf_tokens(seed: u64, n: usize) -> Vec<String> {
    let mut rng = StdRng::seed_from_u64(seed);
    let words: Vec<String> = (0..40).map(|i| format!("w{:02}", (i * 17) % 40)).collect();
    let weights: Vec<f64> = (1..=40).map(|r| 1.0 / r as f64).collect();
    let total: f64 = weights.iter().sum();
    (0..n)
        .map(|_| {
            let mut u = rng.gen::<f64>() * total;
            let i = weights.iter().position(|w| {
                u -= w;
                u <= 0.0
            });
            words[i.unwrap_or(39)].clone()
        })
        .collect()
}

fn show(v: &[String]) -> String {
    let head: Vec<&str> = v.iter().take(12).map(String::as_str).collect();
    let more = if v.len() > 12 { format!(", … ({} in all)", v.len()) } else { String::new() };
    format!("[{}{more}]", head.join(", "))
}

/// Grades `word_vocab(tokens, size)`.
pub fn check_word_vocab<F>(f: F) -> Check
where
    F: Fn(&[&str], usize) -> Vec<String>,
{
    let example: Vec<&str> = "the cat sat on the mat".split(' ').collect();
    let streams: Vec<Vec<String>> = vec![zipf_tokens(1, 300), zipf_tokens(2, 120)];
    // The seeded streams come first: on them each slip gives a different wrong answer,
    // while on the six-word example several slips coincide.
    let mut cases: Vec<(Vec<&str>, usize)> = vec![];
    for s in &streams {
        let s: Vec<&str> = s.iter().map(String::as_str).collect();
        for size in [5, 17, 30, 1000, 0] {
            cases.push((s.clone(), size));
        }
    }
    cases.extend([(example.clone(), 3), (example, 10)]);
    for (tokens, size) in cases {
        let rank = ranked(&tokens);
        let want: Vec<String> = rank.iter().take(size).map(|(t, _)| t.clone()).collect();
        let got = f(&tokens, size);
        if got == want {
            continue;
        }
        let count = |t: &str| rank.iter().find(|(w, _)| w == t).map_or(0, |(_, c)| *c);
        let what = if tokens.len() == 6 {
            format!("word_vocab({:?}, {size})", tokens)
        } else {
            format!("word_vocab(<{} seeded tokens, {} distinct>, {size})", tokens.len(), rank.len())
        };
        let mut ascending = rank.clone();
        ascending.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        let mut seen = HashSet::new();
        let first_seen: Vec<String> =
            tokens.iter().filter(|t| seen.insert(**t)).take(size).map(|t| t.to_string()).collect();
        let cause = if got.len() > want.len() {
            format!(
                "it returned {} words, but the vocabulary holds at most `size` = {size} (and \
                 no more than the {} distinct tokens)",
                got.len(),
                rank.len()
            )
        } else if got.len() < want.len() {
            format!(
                "it returned {} words, but there are {} distinct tokens, so {} of them fit",
                got.len(),
                rank.len(),
                want.len()
            )
        } else if ascending.iter().take(size).map(|(t, _)| t).eq(got.iter()) {
            "these are the least frequent words: sort the counts in descending order".into()
        } else if size > 0 && got == first_seen {
            "these are the first distinct words in order of appearance. Count every token, \
             then keep the most frequent ones"
                .into()
        } else if got.iter().map(|t| count(t)).eq(want.iter().map(|t| count(t))) {
            let i = got.iter().zip(&want).position(|(g, w)| g != w).unwrap_or(0);
            format!(
                "the counts are right, but the tie at count {} is broken differently from \
                 position {i} on ({:?} where {:?} was expected). Break ties by the word, \
                 ascending (Hugging Face's WordLevelTrainer does the same), so that the \
                 vocabulary does not depend on HashMap order or on where a word first appears",
                count(&want[i]),
                got[i],
                want[i]
            )
        } else {
            "keep the `size` tokens with the highest counts, most frequent first, ties broken \
             by the token in ascending order"
                .into()
        };
        return Err(Failure::new(format!(
            "{what} is {}, expected {}: {cause}.",
            show(&got),
            show(&want)
        )));
    }
    Ok(())
}

/// Grades `oov_rate(vocab, tokens)`.
pub fn check_oov_rate<F>(f: F) -> Check
where
    F: Fn(&[String], &[&str]) -> f64,
{
    let v = |words: &[&str]| words.iter().map(|w| w.to_string()).collect::<Vec<_>>();
    let cases: Vec<(Vec<String>, Vec<&str>)> = vec![
        (v(&["the", "cat", "mat"]), "the dog sat on the mat".split(' ').collect()),
        // "zork" occurs four times: 4 of 7 tokens are unknown, but only 1 of 4 types.
        (v(&["a", "b", "c", "d", "e"]), vec!["zork", "a", "zork", "b", "zork", "zork", "c"]),
        (v(&["x", "y"]), vec!["x", "y", "x"]),
        (v(&["x"]), vec!["p", "q"]),
        (v(&["x"]), vec![]),
    ];
    let tol = Tol { abs: 1e-12, rel: 1e-12 };
    for (vocab, tokens) in cases {
        let known: HashSet<&str> = vocab.iter().map(String::as_str).collect();
        let unknown = tokens.iter().filter(|t| !known.contains(*t)).count();
        let want = if tokens.is_empty() { 0.0 } else { unknown as f64 / tokens.len() as f64 };
        let got = f(&vocab, &tokens);
        if tol.allows(got, want) {
            continue;
        }
        let types: HashSet<&str> = tokens.iter().copied().collect();
        let unknown_types = types.iter().filter(|t| !known.contains(*t)).count();
        let what = format!("oov_rate({vocab:?}, {tokens:?})");
        let cause = if got.is_nan() {
            "an empty text has no unknown tokens: return 0, not 0/0 = NaN".to_string()
        } else if !types.is_empty() && tol.allows(got, unknown_types as f64 / types.len() as f64) {
            format!(
                "that is {unknown_types} unknown of {} distinct words: OOV counted word types \
                 instead of tokens. Every occurrence of an unknown word costs one <unk>, so \
                 count the {unknown} unknown tokens of {}",
                types.len(),
                tokens.len()
            )
        } else if tol.allows(got, 1.0 - want) {
            "that is the coverage, the fraction of tokens the vocabulary knows. The OOV rate is \
             the fraction it does not know"
                .to_string()
        } else if tol.allows(got, unknown as f64 / vocab.len() as f64) {
            "the unknown tokens were divided by the vocabulary size; divide by the number of \
             tokens in the text"
                .to_string()
        } else {
            format!("{unknown} of the {} tokens are not in the vocabulary", tokens.len())
        };
        return Err(Failure::new(format!("{what} is {got}, expected {want}: {cause}.")));
    }
    Ok(())
}
