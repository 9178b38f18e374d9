//! §2.2 Byte-pair encoding (字节对编码, BPE): counting pairs, merging, the naive trainer.
//!
//! Paper: Sennrich, Haddow and Birch, *Neural Machine Translation of Rare Words with Subword
//! Units*, 2016, arXiv 1508.07909 (Algorithm 1); byte-level BPE from GPT-2 (Radford et al.
//! 2019). Hugging Face: `tokenizers::models::bpe::{BPE, BpeTrainer}`; Karpathy's minbpe
//! (`get_stats`, `merge`) is the model for the small functions here.
//!
//! BPE starts from an alphabet of symbols (characters, or the 256 bytes) and learns merges:
//! count every adjacent pair of symbols in the training words, weighted by how often each
//! word occurs, replace the most frequent pair by a new symbol, and repeat. The list of
//! merges, in the order they were learned, *is* the tokenizer. Encoding a new word replays
//! them: the merge with the lowest rank (learned first) goes first.
//!
//! Everything here works on `u32` symbol ids. The alphabets (`char_bpe`, `byte_bpe`) give
//! the ids; merge number `k` creates the id `first_id + k`, so a smaller id is an earlier
//! merge. Ties between equally frequent pairs are broken as Hugging Face's `BpeTrainer`
//! does: the smallest `(left id, right id)` wins.

use std::collections::HashMap;

/// An adjacent pair of symbol ids.
pub type Pair = (u32, u32);

/// The distinct words of a text with their counts, sorted by the word so that everything
/// built from them is deterministic. This is the word-frequency table (词频表) BPE trains on.
pub fn word_counts<'a>(words: impl IntoIterator<Item = &'a str>) -> Vec<(&'a str, u64)> {
    let mut counts: HashMap<&str, u64> = HashMap::new();
    for w in words {
        *counts.entry(w).or_default() += 1;
    }
    let mut table: Vec<_> = counts.into_iter().collect();
    table.sort_unstable();
    table
}

/// How often each adjacent pair occurs, each word weighted by its count: minbpe's
/// `get_stats` over a word-frequency table. Overlapping pairs all count: `a a a` holds
/// `(a, a)` twice.
///
/// ```
/// use solutions::nlp::bpe::pair_counts;
/// // "low" ×5 and "lowest" ×2 as ids: l=0 o=1 w=2 e=3 s=4 t=5
/// let counts = pair_counts(&[(vec![0, 1, 2], 5), (vec![0, 1, 2, 3, 4, 5], 2)]);
/// assert_eq!(counts[&(0, 1)], 7); // "lo" 5 + 2
/// assert_eq!(counts[&(3, 4)], 2); // "es" only in "lowest"
/// ```
// ANCHOR: pair_counts
pub fn pair_counts(words: &[(Vec<u32>, u64)]) -> HashMap<Pair, u64> {
    let mut counts = HashMap::new();
    for (symbols, count) in words {
        for w in symbols.windows(2) {
            // A word that occurs `count` times contributes its pairs `count` times.
            *counts.entry((w[0], w[1])).or_default() += count;
        }
    }
    counts
}
// ANCHOR_END: pair_counts

/// Replaces every occurrence of `pair` in `ids` by `new_id`, scanning left to right; an
/// occurrence that overlaps one already replaced is skipped (minbpe's `merge`).
///
/// ```
/// use solutions::nlp::bpe::merge_pair;
/// assert_eq!(merge_pair(&[1, 2, 3, 1, 2], (1, 2), 9), [9, 3, 9]);
/// assert_eq!(merge_pair(&[1, 1, 1], (1, 1), 9), [9, 1]); // not [9, 9]
/// ```
// ANCHOR: merge_pair
pub fn merge_pair(ids: &[u32], pair: Pair, new_id: u32) -> Vec<u32> {
    let mut out = Vec::with_capacity(ids.len());
    let mut i = 0;
    while i < ids.len() {
        if i + 1 < ids.len() && (ids[i], ids[i + 1]) == pair {
            out.push(new_id);
            // Subtle: jump past both symbols, so `a a a` with (a, a) gives [Z, a]: the
            // middle `a` was used up by the first match.
            i += 2;
        } else {
            out.push(ids[i]);
            i += 1;
        }
    }
    out
}
// ANCHOR_END: merge_pair

/// The naive trainer (朴素训练): `num_merges` times, recount every pair of every word, take
/// the most frequent pair, and merge it everywhere into the id `first_id + k`. Stops early
/// when no pair is left. Returns the merges in order. Training is deterministic: when pairs
/// tie, the result must not depend on a HashMap's iteration order, and must follow §2.2's
/// tie rule (Hugging Face's), which the example below exercises.
///
/// Each merge costs a full pass over the table, $O(N)$ for $N$ symbols in all, so training
/// costs $O(M \cdot N)$ for $M$ merges; `fast_bpe` learns the same merges incrementally.
///
/// ```
/// use solutions::nlp::bpe::train_bpe;
/// // "aaabdaaabac" as bytes (a=97 b=98 c=99 d=100), derived step by step on the book page.
/// let word = b"aaabdaaabac".iter().map(|&b| b as u32).collect();
/// assert_eq!(train_bpe(&[(word, 1)], 256, 3), [(97, 97), (97, 98), (256, 257)]);
/// ```
// ANCHOR: train_bpe
pub fn train_bpe(words: &[(Vec<u32>, u64)], first_id: u32, num_merges: usize) -> Vec<Pair> {
    let mut words = words.to_vec();
    let mut merges = Vec::with_capacity(num_merges);
    for k in 0..num_merges {
        let counts = pair_counts(&words);
        // Highest count first; among equal counts the smallest pair, so that the result
        // does not depend on the HashMap's iteration order.
        let best = counts.into_iter().max_by(|(p, c), (q, d)| c.cmp(d).then(q.cmp(p)));
        let Some((pair, _)) = best else { break }; // every word is a single symbol
        let new_id = first_id + k as u32;
        for (symbols, _) in &mut words {
            *symbols = merge_pair(symbols, pair, new_id);
        }
        merges.push(pair);
    }
    merges
}
// ANCHOR_END: train_bpe

/// The lookup table of trained merges: pair → the id it merges into (`first_id + rank`).
pub fn merge_table(merges: &[Pair], first_id: u32) -> HashMap<Pair, u32> {
    merges.iter().enumerate().map(|(k, &p)| (p, first_id + k as u32)).collect()
}

/// Encodes one pre-tokenized word (its alphabet ids) with trained merges: while some
/// adjacent pair has a merge, apply the one with the lowest rank, i.e. the smallest new id,
/// everywhere in the word (minbpe's `encode`). The frequency of pairs in the input plays no
/// part: only the order in which the merges were learned.
///
/// ```
/// use solutions::nlp::bpe::{bpe_encode, merge_table};
/// let table = merge_table(&[(97, 97), (97, 98), (256, 257)], 256);
/// let word: Vec<u32> = b"aaabdaaabac".iter().map(|&b| b as u32).collect();
/// assert_eq!(bpe_encode(&word, &table), [258, 100, 258, 97, 99]);
/// ```
// ANCHOR: encode
pub fn bpe_encode(symbols: &[u32], merges: &HashMap<Pair, u32>) -> Vec<u32> {
    let mut ids = symbols.to_vec();
    while ids.len() >= 2 {
        // The mergeable pair with the lowest rank: ids grow with rank, so the smallest id.
        let best = ids
            .windows(2)
            .filter_map(|w| merges.get(&(w[0], w[1])).map(|&id| ((w[0], w[1]), id)))
            .min_by_key(|&(_, id)| id);
        let Some((pair, id)) = best else { break };
        ids = merge_pair(&ids, pair, id);
    }
    ids
}
// ANCHOR_END: encode

#[cfg(test)]
mod tests;
