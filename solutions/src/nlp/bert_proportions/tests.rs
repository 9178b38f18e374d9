//! The proportions on the embedded corpus (5σ bounds, never its exact numbers) and on a
//! hand-made two-id vocabulary.

use super::*;
use crate::nlp::corpus;
use rand::SeedableRng;

#[test]
fn mlm_and_nsp_proportions_are_within_5_sigma_on_the_corpus() {
    let m = measure(&corpus::embedded(), 200_000, 0);
    assert!(m.mlm.candidates >= 200_000 && m.pairs > 1000, "{m:?}");
    for (what, share, expected, z) in m.table() {
        eprintln!(
            "{what:>20}: {:6.2} % (expected {:6.2} %), z = {z:+.2}",
            100.0 * share,
            100.0 * expected
        );
        assert!(z.abs() < 5.0, "{what}: {z:.2} standard errors from its expectation; {m:?}");
    }
}

#[test]
fn a_random_replacement_is_uniform_over_the_ordinary_ids_and_may_be_the_original() {
    // Two ordinary ids (5 and 6): a random draw hits the original half the time, so a chosen
    // token stays as it was with probability 0.1 + 0.1/2 = 0.15.
    let ids = vec![5u32; 100_000];
    let m = mask_tokens(&ids, &SPECIAL, 7, MASK, &mut StdRng::seed_from_u64(2));
    let mut c = MlmCounts::default();
    c.add(&ids, &m, &SPECIAL, MASK);
    assert!(m.input_ids.iter().all(|&x| x == 5 || x == 6 || x == MASK));
    let z_kept = z_score(c.kept, c.chosen, 0.15);
    let z_random = z_score(c.random, c.chosen, 0.05);
    assert!(z_kept.abs() < 5.0 && z_random.abs() < 5.0, "{c:?}: z {z_kept:.2}, {z_random:.2}");
}
