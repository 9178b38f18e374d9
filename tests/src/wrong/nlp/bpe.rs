//! §2.2: plausible wrong pair counts, merges, trainers and encoders.

use solutions::nlp::bpe::{merge_pair, Pair};
use std::collections::HashMap;

/// Each pair counted once per distinct word, ignoring how often the word occurs.
pub fn pair_counts_unweighted(words: &[(Vec<u32>, u64)]) -> HashMap<Pair, u64> {
    let mut counts = HashMap::new();
    for (w, _) in words {
        for p in w.windows(2) {
            *counts.entry((p[0], p[1])).or_default() += 1;
        }
    }
    counts
}

/// Counts the pairs of each word as a set: `a a a` holds (a, a) once.
pub fn pair_counts_distinct_per_word(words: &[(Vec<u32>, u64)]) -> HashMap<Pair, u64> {
    let mut counts = HashMap::new();
    for (w, c) in words {
        let mut seen: Vec<Pair> = w.windows(2).map(|p| (p[0], p[1])).collect();
        seen.sort_unstable();
        seen.dedup();
        for p in seen {
            *counts.entry(p).or_default() += c;
        }
    }
    counts
}

/// Replaces overlapping occurrences: `a a a` with (a, a) becomes [Z, Z].
pub fn merge_pair_overlapping(ids: &[u32], pair: Pair, new_id: u32) -> Vec<u32> {
    let mut out: Vec<u32> = vec![];
    for i in 0..ids.len() {
        let starts = i + 1 < ids.len() && (ids[i], ids[i + 1]) == pair;
        let ends = i > 0 && (ids[i - 1], ids[i]) == pair;
        if starts {
            out.push(new_id);
        } else if !ends {
            out.push(ids[i]);
        }
    }
    out
}

/// Replaces only the first occurrence.
pub fn merge_pair_first_only(ids: &[u32], pair: Pair, new_id: u32) -> Vec<u32> {
    match ids.windows(2).position(|w| (w[0], w[1]) == pair) {
        Some(i) => [&ids[..i], &[new_id], &ids[i + 2..]].concat(),
        None => ids.to_vec(),
    }
}

type Counter = fn(&[(Vec<u32>, u64)]) -> HashMap<Pair, u64>;

fn train_with(
    words: &[(Vec<u32>, u64)],
    first_id: u32,
    num_merges: usize,
    counts: Counter,
    pick: fn(&HashMap<Pair, u64>) -> Option<Pair>,
    id_offset: u32,
) -> Vec<Pair> {
    let mut words = words.to_vec();
    let mut merges = vec![];
    for k in 0..num_merges {
        let Some(pair) = pick(&counts(&words)) else { break };
        for (w, _) in &mut words {
            *w = merge_pair(w, pair, first_id + k as u32 + id_offset);
        }
        merges.push(pair);
    }
    merges
}

fn smallest_top(c: &HashMap<Pair, u64>) -> Option<Pair> {
    c.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(p, _)| *p)
}

/// Counts pairs once per word, not once per occurrence of the word.
pub fn train_bpe_unweighted(words: &[(Vec<u32>, u64)], first: u32, n: usize) -> Vec<Pair> {
    train_with(words, first, n, pair_counts_unweighted, smallest_top, 0)
}

/// Breaks ties towards the largest pair.
pub fn train_bpe_largest_tie(words: &[(Vec<u32>, u64)], first: u32, n: usize) -> Vec<Pair> {
    let largest = |c: &HashMap<Pair, u64>| c.iter().max_by_key(|(p, c)| (**c, **p)).map(|x| *x.0);
    train_with(words, first, n, solutions::nlp::bpe::pair_counts, largest, 0)
}

/// Numbers the new tokens from first_id + 1.
pub fn train_bpe_ids_off_by_one(words: &[(Vec<u32>, u64)], first: u32, n: usize) -> Vec<Pair> {
    train_with(words, first, n, solutions::nlp::bpe::pair_counts, smallest_top, 1)
}

/// Merges the pair that is most frequent in the input (ties: the older merge).
pub fn encode_by_frequency(symbols: &[u32], merges: &HashMap<Pair, u32>) -> Vec<u32> {
    let mut ids = symbols.to_vec();
    loop {
        let mut counts: HashMap<Pair, u64> = HashMap::new();
        for w in ids.windows(2).filter(|w| merges.contains_key(&(w[0], w[1]))) {
            *counts.entry((w[0], w[1])).or_default() += 1;
        }
        let best = counts.iter().max_by_key(|(p, c)| (**c, std::cmp::Reverse(merges[p])));
        let Some((&pair, _)) = best else { return ids };
        ids = merge_pair(&ids, pair, merges[&pair]);
    }
}

/// Applies the most recent merge (largest id) present first.
pub fn encode_latest_first(symbols: &[u32], merges: &HashMap<Pair, u32>) -> Vec<u32> {
    let mut ids = symbols.to_vec();
    loop {
        let best =
            ids.windows(2).filter_map(|w| merges.get(&(w[0], w[1])).map(|&m| ((w[0], w[1]), m)));
        let Some((pair, id)) = best.max_by_key(|&(_, m)| m) else { return ids };
        ids = merge_pair(&ids, pair, id);
    }
}

/// Stops after one merge: a merged token never gets merged again.
pub fn encode_one_pass(symbols: &[u32], merges: &HashMap<Pair, u32>) -> Vec<u32> {
    let best = symbols
        .windows(2)
        .filter_map(|w| merges.get(&(w[0], w[1])).map(|&m| ((w[0], w[1]), m)))
        .min_by_key(|&(_, m)| m);
    match best {
        Some((pair, id)) => merge_pair(symbols, pair, id),
        None => symbols.to_vec(),
    }
}
