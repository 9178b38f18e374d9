use super::*;
use crate::nlp::bpe::{pair_counts, train_bpe};
use rand::{rngs::StdRng, Rng, SeedableRng};

/// Random words over a tiny alphabet, so that repeats, overlaps (`aaaa`, `abab`) and
/// ties are everywhere.
fn random_words(rng: &mut StdRng, alphabet: u32) -> Vec<(Vec<u32>, u64)> {
    (0..rng.gen_range(1..40))
        .map(|_| {
            let len = rng.gen_range(1..12);
            ((0..len).map(|_| rng.gen_range(0..alphabet)).collect(), rng.gen_range(1..5))
        })
        .collect()
}

#[test]
fn same_merges_as_the_naive_trainer_on_random_words() {
    let mut rng = StdRng::seed_from_u64(22);
    for case in 0..300 {
        let words = random_words(&mut rng, 2 + case % 4);
        let naive = train_bpe(&words, 100, 60);
        assert_eq!(train_fast_bpe(&words, 100, 60), naive, "case {case}: {words:?}");
    }
}

#[test]
fn incremental_counts_equal_a_recount() {
    // After every merge the running counts must equal a full recount (the merged
    // pair excepted: it is removed, and indeed occurs no more).
    let mut rng = StdRng::seed_from_u64(7);
    for _ in 0..100 {
        let words = random_words(&mut rng, 3);
        let mut symbols: Vec<(Vec<u32>, u64)> = words.clone();
        let mut state = State { counts: Map::default(), holders: Map::default(), fresh: vec![] };
        for (i, (w, c)) in symbols.iter().enumerate() {
            for p in w.windows(2) {
                state.add(p[0], p[1], *c as i64, i as u32);
            }
        }
        for (k, pair) in train_bpe(&words, 100, 10).into_iter().enumerate() {
            for (i, (w, c)) in symbols.iter_mut().enumerate() {
                merge_in_word(w, pair, 100 + k as u32, *c as i64, i as u32, &mut state);
            }
            state.counts.remove(&key(pair.0, pair.1));
            let want = pair_counts(&symbols);
            for (&k, &c) in &state.counts {
                let p = ((k >> 32) as u32, k as u32);
                assert_eq!(c, want.get(&p).copied().unwrap_or(0) as i64, "pair {p:?}");
            }
            assert!(want.keys().all(|p| state.counts.contains_key(&key(p.0, p.1))));
        }
    }
}
