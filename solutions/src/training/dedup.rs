//! §4.6 De-duplication, exact part (精确去重): normalise, hash, keep the first copy; and
//! the shingle sets whose Jaccard similarity near-duplicate detection estimates.
//!
//! Papers: Broder 1997, *On the resemblance and containment of documents* (shingles and
//! resemblance); Lee et al. 2022, *Deduplicating Training Data Makes Language Models
//! Better* (arXiv 2107.06499): exact substring plus MinHash near-duplicate removal.
//! Hugging Face: `datatrove`'s `ExactDedup*` and `MinhashDedup*` blocks, the BigCode
//! `text-dedup` scripts; the estimate itself is in [`super::minhash`].

use std::collections::HashSet;

/// Lower-cased, with every run of whitespace made one space and the ends trimmed: two
/// copies that differ only in case or spacing hash alike.
pub fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// 64-bit FNV-1a of `bytes`: a stable hash (std's `DefaultHasher` is not guaranteed to
/// stay the same across Rust releases, and a dedup index outlives a compiler).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

// ANCHOR: exact_dedup
/// The indices of the documents kept by exact de-duplication: the first of each group
/// whose [`normalise`]d texts hash alike.
///
/// ```
/// use solutions::training::dedup::exact_dedup;
/// assert_eq!(exact_dedup(&["A cat.", "a  CAT.", "A dog."]), [0, 2]);
/// ```
pub fn exact_dedup<S: AsRef<str>>(docs: &[S]) -> Vec<usize> {
    let mut seen = HashSet::new();
    (0..docs.len())
        .filter(|&i| seen.insert(fnv1a(normalise(docs[i].as_ref()).as_bytes())))
        .collect()
}
// ANCHOR_END: exact_dedup

/// The set of character `k`-shingles of the normalised text, each hashed to 64 bits.
/// A text shorter than `k` characters is one shingle, itself.
pub fn shingles(text: &str, k: usize) -> Vec<u64> {
    assert!(k > 0, "shingles need k ≥ 1");
    let chars: Vec<char> = normalise(text).chars().collect();
    let hash = |w: &[char]| fnv1a(w.iter().collect::<String>().as_bytes());
    let mut set: Vec<u64> =
        if chars.len() < k { vec![hash(&chars)] } else { chars.windows(k).map(hash).collect() };
    set.sort_unstable();
    set.dedup();
    set
}

/// The exact Jaccard similarity |A ∩ B| / |A ∪ B| of two sets (1 for two empty sets).
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let a: HashSet<u64> = a.iter().copied().collect();
    let b: HashSet<u64> = b.iter().copied().collect();
    let union = a.union(&b).count();
    if union == 0 {
        return 1.0;
    }
    a.intersection(&b).count() as f64 / union as f64
}

#[cfg(test)]
mod tests;
