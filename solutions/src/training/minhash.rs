//! §4.6 MinHash and LSH banding (MinHash 与 LSH 分桶): near-duplicate detection without
//! comparing every pair of documents.
//!
//! Papers: Broder 1997, *On the resemblance and containment of documents* (MinHash:
//! P[min π(A) = min π(B)] = J(A, B)); Leskovec, Rajaraman & Ullman, *Mining of Massive
//! Datasets*, ch. 3 (banding: b bands of r rows make a pair a candidate with probability
//! 1 − (1 − s^r)^b). Python: `datasketch.MinHash` / `MinHashLSH`, whose permutations are
//! the same universal hashes (a·x + b) mod (2⁶¹ − 1); Hugging Face `datatrove`'s
//! `MinhashDedupSignature`.
//!
//! A random permutation of all 2⁶⁴ shingle hashes cannot be stored, so each "permutation"
//! is a seeded universal hash h(x) = (a·x + b) mod p with p = 2⁶¹ − 1 prime and a ≠ 0:
//! a bijection of ℤ_p that orders the shingles differently for every (a, b).

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeSet, HashMap};

/// The Mersenne prime 2⁶¹ − 1, datasketch's modulus.
pub const MERSENNE_61: u64 = (1 << 61) - 1;

/// One "permutation": x ↦ (a·x + b) mod 2⁶¹ − 1, with 1 ≤ a < p and 0 ≤ b < p.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UniversalHash {
    pub a: u64,
    pub b: u64,
}

impl UniversalHash {
    /// (a·x + b) mod p, with x first reduced mod p.
    pub fn apply(self, x: u64) -> u64 {
        // Subtle: a·x needs 122 bits; in u64 it would wrap, and the wrapped map is no
        // longer a bijection of ℤ_p, so u128 it is.
        let p = u128::from(MERSENNE_61);
        ((u128::from(self.a) * (u128::from(x) % p) + u128::from(self.b)) % p) as u64
    }
}

/// `n` independent permutations drawn from a seeded RNG (datasketch's `seed`).
pub fn permutations(n: usize, seed: u64) -> Vec<UniversalHash> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n)
        .map(|_| UniversalHash {
            a: rng.gen_range(1..MERSENNE_61),
            b: rng.gen_range(0..MERSENNE_61),
        })
        .collect()
}

// ANCHOR: minhash
/// The MinHash signature of a set of shingle hashes: for each permutation, the smallest
/// permuted value over the set; `u64::MAX` for every entry of an empty set.
///
/// Worked example: shingles {3, 5}, permutations x ↦ x and x ↦ 2x + 1: the minima are
/// min(3, 5) = 3 and min(7, 11) = 7.
/// ```
/// use solutions::training::minhash::{minhash, UniversalHash};
/// let perms = [UniversalHash { a: 1, b: 0 }, UniversalHash { a: 2, b: 1 }];
/// assert_eq!(minhash(&[3, 5], &perms), [3, 7]);
/// ```
pub fn minhash(shingles: &[u64], perms: &[UniversalHash]) -> Vec<u64> {
    perms.iter().map(|&h| shingles.iter().map(|&x| h.apply(x)).min().unwrap_or(u64::MAX)).collect()
}
// ANCHOR_END: minhash

/// The estimate of J(A, B): the share of positions where the two signatures agree. Each
/// position agrees with probability J, so the estimate has standard error
/// [`jaccard_std_error`].
pub fn estimated_jaccard(a: &[u64], b: &[u64]) -> f64 {
    assert_eq!(a.len(), b.len(), "signatures of different lengths");
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64
}

/// √(J(1 − J)/n): the standard error of the estimate from `n` permutations.
pub fn jaccard_std_error(j: f64, n: usize) -> f64 {
    (j * (1.0 - j) / n as f64).sqrt()
}

// ANCHOR: s_curve
/// The probability that a pair of similarity `s` shares at least one of `bands` bands of
/// `rows` rows: a band matches with probability s^r, so 1 − (1 − s^r)^b. Its steep part
/// sits near the threshold (1/b)^(1/r).
pub fn s_curve(s: f64, bands: usize, rows: usize) -> f64 {
    1.0 - (1.0 - s.powi(rows as i32)).powi(bands as i32)
}
// ANCHOR_END: s_curve

/// The candidate pairs (i < j) of LSH banding: signatures cut into `bands` bands of `rows`
/// values; two documents are candidates when some band is identical in both.
pub fn lsh_candidates(
    signatures: &[Vec<u64>],
    bands: usize,
    rows: usize,
) -> BTreeSet<(usize, usize)> {
    let mut pairs = BTreeSet::new();
    for band in 0..bands {
        // One hash table per band: documents whose band is equal land in one bucket.
        let mut buckets: HashMap<&[u64], Vec<usize>> = HashMap::new();
        for (i, sig) in signatures.iter().enumerate() {
            assert!(sig.len() >= bands * rows, "a signature of {} < b·r values", sig.len());
            buckets.entry(&sig[band * rows..(band + 1) * rows]).or_default().push(i);
        }
        for docs in buckets.values() {
            for (x, &i) in docs.iter().enumerate() {
                pairs.extend(docs[x + 1..].iter().map(|&j| (i, j)));
            }
        }
    }
    pairs
}

/// Two random sets of `union` distinct values sharing `shared` of them: J = shared/union.
pub fn pair_with_jaccard(rng: &mut StdRng, union: usize, shared: usize) -> (Vec<u64>, Vec<u64>) {
    let values: Vec<u64> = (0..union).map(|_| rng.gen()).collect();
    let only = (union - shared) / 2;
    // Shared first, then A's own values, then B's: |A ∪ B| = union when all are distinct.
    let a = values[..shared + only].to_vec();
    let b = values[..shared].iter().chain(&values[shared + only..]).copied().collect();
    (a, b)
}

/// The S-curve measured: for each similarity in `sims` (a multiple of 1/100), the share of
/// `pairs` random pairs of that exact Jaccard (unions of 100 values) that banding with
/// `bands` × `rows` permutations makes candidates.
pub fn measured_s_curve(
    sims: &[f64],
    bands: usize,
    rows: usize,
    pairs: usize,
    seed: u64,
) -> Vec<f64> {
    let perms = permutations(bands * rows, seed);
    let mut rng = StdRng::seed_from_u64(seed + 1);
    sims.iter()
        .map(|&s| {
            let shared = (s * 100.0).round() as usize;
            let hits = (0..pairs)
                .filter(|_| {
                    let (a, b) = pair_with_jaccard(&mut rng, 100, shared);
                    let sigs = [minhash(&a, &perms), minhash(&b, &perms)];
                    !lsh_candidates(&sigs, bands, rows).is_empty()
                })
                .count();
            hits as f64 / pairs as f64
        })
        .collect()
}

#[cfg(test)]
mod tests;
