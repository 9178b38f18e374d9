//! §2.2 The efficient BPE trainer (高效训练): incremental pair counts and a lazy max-heap.
//!
//! Same merges as the naive `bpe::train_bpe`, learned the way Hugging Face's
//! `BpeTrainer::do_train` (tokenizers, `models/bpe/trainer.rs`) learns them:
//! - count the pairs once, and keep an index pair → the words that contain it;
//! - a merge touches only the words that hold its pair, and only around each occurrence:
//!   in `x a b y`, merging `(a, b)` into `Z` removes `(x, a)` and `(b, y)` and adds
//!   `(x, Z)` and `(Z, y)`, each weighted by the word's count;
//! - the best pair comes from a max-heap of (count, pair). Counts only ever go *down*
//!   for pairs already in the heap (new pairs all contain the new id), so an entry can be
//!   stale only by being too high: pop, and if its count is out of date, push it back with
//!   the current count ("lazy re-validation"). An up-to-date top beats every true count.
//!
//! A merge then costs time in proportion to the occurrences it touches, not to the corpus.
//! Unlike HF there is no rayon here; the hash function is a small multiplicative one
//! (pairs packed into a `u64`), as HF uses AHash instead of SipHash.

use crate::nlp::bpe::Pair;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

/// A multiplicative hash for the packed-pair keys (FxHash's constant): SipHash, the
/// standard library's default, guards against adversarial keys we do not have here.
#[derive(Default)]
struct PairHasher(u64);

impl Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type Map<V> = HashMap<u64, V, BuildHasherDefault<PairHasher>>;

fn key(a: u32, b: u32) -> u64 {
    (a as u64) << 32 | b as u64
}

/// The trainer's running state: the words, the pair counts and the pair → words index.
struct State {
    counts: Map<i64>,
    /// The words that contained a pair when it was last counted up (may be out of date:
    /// a word whose occurrences were merged away is skipped when it is visited).
    holders: Map<Vec<u32>>,
    /// The pairs created by the current merge, to push on the heap once it is done.
    fresh: Vec<u64>,
}

impl State {
    fn add(&mut self, a: u32, b: u32, delta: i64, word: u32) {
        let k = key(a, b);
        *self.counts.entry(k).or_default() += delta;
        if delta > 0 {
            let holders = self.holders.entry(k).or_default();
            if holders.is_empty() {
                self.fresh.push(k);
            }
            // Words are visited one at a time, so a repeat can only be the last entry.
            if holders.last() != Some(&word) {
                holders.push(word);
            }
        }
    }
}

/// Learns the same merges as [`crate::nlp::bpe::train_bpe`] (same tie rule: the highest
/// count, then the smallest pair), in time that grows with the work each merge really
/// does.
///
/// ```
/// use solutions::nlp::{bpe::train_bpe, fast_bpe::train_fast_bpe};
/// let word: Vec<u32> = b"aaabdaaabac".iter().map(|&b| b as u32).collect();
/// let words = [(word, 1)];
/// assert_eq!(train_fast_bpe(&words, 256, 10), train_bpe(&words, 256, 10));
/// ```
// ANCHOR: train_fast_bpe
pub fn train_fast_bpe(words: &[(Vec<u32>, u64)], first_id: u32, num_merges: usize) -> Vec<Pair> {
    let mut symbols: Vec<Vec<u32>> = words.iter().map(|(w, _)| w.clone()).collect();
    let weight: Vec<i64> = words.iter().map(|&(_, c)| c as i64).collect();
    let mut state = State { counts: Map::default(), holders: Map::default(), fresh: vec![] };
    for (i, w) in symbols.iter().enumerate() {
        for p in w.windows(2) {
            state.add(p[0], p[1], weight[i], i as u32);
        }
    }
    // Max-heap on (count, then the smaller pair): `Reverse` flips the pair order.
    let mut heap: BinaryHeap<(u64, Reverse<Pair>)> = state
        .fresh
        .drain(..)
        .map(|k| (state.counts[&k] as u64, Reverse(((k >> 32) as u32, k as u32))))
        .collect();
    let mut merges = Vec::with_capacity(num_merges);
    while merges.len() < num_merges {
        let Some((count, Reverse((a, b)))) = heap.pop() else { break };
        let k = key(a, b);
        let current = state.counts.get(&k).copied().unwrap_or(0);
        if current as u64 != count {
            // Stale: the pair lost occurrences since it was pushed. Re-queue it.
            if current > 0 {
                heap.push((current as u64, Reverse((a, b))));
            }
            continue;
        }
        let new_id = first_id + merges.len() as u32;
        merges.push((a, b));
        for w in state.holders.remove(&k).unwrap_or_default() {
            merge_in_word(
                &mut symbols[w as usize],
                (a, b),
                new_id,
                weight[w as usize],
                w,
                &mut state,
            );
        }
        // The merged pair is gone for good: its id pair can never form again.
        state.counts.remove(&k);
        for k in std::mem::take(&mut state.fresh) {
            let c = state.counts[&k];
            if c > 0 {
                heap.push((c as u64, Reverse(((k >> 32) as u32, k as u32))));
            }
        }
    }
    merges
}
// ANCHOR_END: train_fast_bpe

/// Merges `pair` into `new_id` in one word, in place and left to right as
/// [`crate::nlp::bpe::merge_pair`] does, and updates the counts around each occurrence.
// ANCHOR: merge_in_word
fn merge_in_word(
    word: &mut Vec<u32>,
    (a, b): Pair,
    new_id: u32,
    weight: i64,
    at: u32,
    s: &mut State,
) {
    let (mut read, mut write) = (0, 0);
    while read < word.len() {
        if read + 1 < word.len() && word[read] == a && word[read + 1] == b {
            // Subtle: the left neighbour is read from the output, so after an earlier
            // occurrence in `a b a b` it is already the new id: (Z, a) is removed and
            // (Z, Z) added, which undoes the (Z, a) the first occurrence added.
            if write > 0 {
                let left = word[write - 1];
                s.add(left, a, -weight, at);
                s.add(left, new_id, weight, at);
            }
            // The right neighbour is still unmerged input (write <= read).
            if let Some(&right) = word.get(read + 2) {
                s.add(b, right, -weight, at);
                s.add(new_id, right, weight, at);
            }
            word[write] = new_id;
            read += 2;
        } else {
            word[write] = word[read];
            read += 1;
        }
        write += 1;
    }
    word.truncate(write);
}
// ANCHOR_END: merge_in_word

#[cfg(test)]
mod tests;
