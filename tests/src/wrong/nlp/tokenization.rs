//! §2.1: plausible wrong vocabularies and OOV rates.

use std::collections::{HashMap, HashSet};

fn counts_in_order_of_appearance<'a>(tokens: &[&'a str]) -> Vec<(&'a str, usize)> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut counts: Vec<(&str, usize)> = vec![];
    for &t in tokens {
        let i = *index.entry(t).or_insert_with(|| {
            counts.push((t, 0));
            counts.len() - 1
        });
        counts[i].1 += 1;
    }
    counts
}

/// Sorted by count ascending: the rarest words.
pub fn vocab_least_frequent(tokens: &[&str], size: usize) -> Vec<String> {
    let mut c = counts_in_order_of_appearance(tokens);
    c.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)));
    c.into_iter().take(size).map(|(t, _)| t.to_string()).collect()
}

/// Most frequent first, but ties left in order of first appearance (a stable sort).
pub fn vocab_ties_by_appearance(tokens: &[&str], size: usize) -> Vec<String> {
    let mut c = counts_in_order_of_appearance(tokens);
    c.sort_by_key(|x| std::cmp::Reverse(x.1));
    c.into_iter().take(size).map(|(t, _)| t.to_string()).collect()
}

/// The first `size` distinct words, never counted.
pub fn vocab_first_seen(tokens: &[&str], size: usize) -> Vec<String> {
    let mut seen = HashSet::new();
    tokens.iter().filter(|t| seen.insert(**t)).take(size).map(|t| t.to_string()).collect()
}

/// Unknown distinct words over distinct words.
pub fn oov_over_types(vocab: &[String], tokens: &[&str]) -> f64 {
    let known: HashSet<&str> = vocab.iter().map(String::as_str).collect();
    let types: HashSet<&str> = tokens.iter().copied().collect();
    if types.is_empty() {
        return 0.0;
    }
    types.iter().filter(|t| !known.contains(*t)).count() as f64 / types.len() as f64
}

/// The fraction of known tokens.
pub fn oov_coverage(vocab: &[String], tokens: &[&str]) -> f64 {
    let known: HashSet<&str> = vocab.iter().map(String::as_str).collect();
    if tokens.is_empty() {
        return 0.0;
    }
    tokens.iter().filter(|t| known.contains(*t)).count() as f64 / tokens.len() as f64
}

/// 0/0 on an empty text.
pub fn oov_nan_on_empty(vocab: &[String], tokens: &[&str]) -> f64 {
    let unknown = tokens.iter().filter(|t| !vocab.iter().any(|v| v == *t)).count();
    unknown as f64 / tokens.len() as f64
}
