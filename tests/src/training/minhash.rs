//! Graded suite for §4.6's `minhash`: signatures against the library's, exactly, for the
//! worked example, empty and random sets, each known mistake named.

use crate::{Check, Failure};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::training::minhash::{self, permutations, UniversalHash, MERSENNE_61};

/// Grades `minhash(shingles, perms)`.
pub fn check_minhash<F>(f: F) -> Check
where
    F: Fn(&[u64], &[UniversalHash]) -> Vec<u64>,
{
    let hand = [UniversalHash { a: 1, b: 0 }, UniversalHash { a: 2, b: 1 }];
    let mut cases: Vec<(String, Vec<u64>, Vec<UniversalHash>)> = vec![
        ("the worked example ({3, 5}, x and 2x + 1)".into(), vec![3, 5], hand.to_vec()),
        ("an empty set".into(), vec![], permutations(4, 0)),
    ];
    let mut rng = StdRng::seed_from_u64(9);
    for k in 0..10 {
        let set: Vec<u64> = (0..rng.gen_range(1..60)).map(|_| rng.gen()).collect();
        cases.push((format!("random set {k} of {}", set.len()), set, permutations(64, k)));
    }
    for (case, set, perms) in &cases {
        let got = f(set, perms);
        let want = minhash::minhash(set, perms);
        if got.len() != want.len() {
            return Err(Failure::new(format!(
                "minhash, {case}: a signature of {} values for {} permutations: one minimum per \
                 permutation.",
                got.len(),
                perms.len()
            )));
        }
        if got == want {
            continue;
        }
        let i = (0..got.len()).find(|&i| got[i] != want[i]).unwrap_or(0);
        let wrapping =
            |h: &UniversalHash, x: u64| h.a.wrapping_mul(x).wrapping_add(h.b) % MERSENNE_61;
        let over = |pick: fn(std::slice::Iter<u64>) -> Option<&u64>,
                    g: &dyn Fn(&UniversalHash, u64) -> u64| {
            perms
                .iter()
                .map(|h| {
                    let v: Vec<u64> = set.iter().map(|&x| g(h, x)).collect();
                    pick(v.iter()).copied().unwrap_or(u64::MAX)
                })
                .collect::<Vec<u64>>()
        };
        let cause = if perms.len() > 1
            && got.iter().all(|&v| v == got[0])
            && want.iter().any(|&v| v != want[0])
        {
            "every entry is the same: one permutation was reused. Each entry takes the \
             minimum under its own hash (a, b); with one, the n entries are copies and the \
             estimate of J is 0 or 1"
        } else if !set.is_empty() && got == over(|it| it.max(), &|h, x| h.apply(x)) {
            "you took the maximum: MinHash keeps the smallest permuted value"
        } else if got == over(|it| it.min(), &|h, x| wrapping(h, x)) {
            "a·x overflowed 64 bits and wrapped: compute (a·x + b) mod (2^61 − 1) in u128 \
             (`UniversalHash::apply`), or the map is no longer a permutation of the residues"
        } else if set.is_empty() {
            "an empty set has no minimum: its signature is u64::MAX in every entry"
        } else {
            "entry i is the smallest h_i(x) = (a_i·x + b_i) mod (2^61 − 1) over the set"
        };
        return Err(Failure::new(format!(
            "minhash, {case}: entry {i} is {}, expected {}: {cause}.",
            got[i], want[i]
        )));
    }
    Ok(())
}
