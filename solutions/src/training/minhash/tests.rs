use super::*;
use crate::binomial::z_score;
use crate::training::dedup::{jaccard, shingles};

/// Each permutation is a bijection of ℤ_p: distinct inputs below p never collide.
#[test]
fn universal_hash_is_a_bijection_on_small_inputs() {
    for h in permutations(4, 1) {
        let mut out: Vec<u64> = (0..10_000u64).map(|x| h.apply(x)).collect();
        out.sort_unstable();
        out.dedup();
        assert_eq!(out.len(), 10_000);
        assert!(out.iter().all(|&v| v < MERSENNE_61));
    }
    // By hand: a = 3, b = 5 at x = p − 1 is 3(p − 1) + 5 ≡ 2 (mod p).
    assert_eq!(UniversalHash { a: 3, b: 5 }.apply(MERSENNE_61 - 1), 2);
}

/// The estimate of J is within 5 standard errors √(J(1 − J)/n) of the exact J for every
/// one of 400 random pairs (n = 128), exact where J is 0 or 1, and unbiased on average.
#[test]
fn estimate_within_its_standard_error() {
    let n = 128;
    let perms = permutations(n, 42);
    let mut rng = StdRng::seed_from_u64(7);
    let (mut z_sum, mut count) = (0.0, 0);
    for _ in 0..400 {
        let union = rng.gen_range(20..200);
        let shared = rng.gen_range(0..=union);
        let (a, b) = pair_with_jaccard(&mut rng, union, shared);
        let j = jaccard(&a, &b);
        let est = estimated_jaccard(&minhash(&a, &perms), &minhash(&b, &perms));
        let se = jaccard_std_error(j, n);
        if se == 0.0 {
            assert_eq!(est, j, "J = {j} must be estimated exactly");
            continue;
        }
        let z = (est - j) / se;
        assert!(z.abs() < 5.0, "J = {j:.3}, estimated {est:.3}: {z:.1} standard errors off");
        z_sum += z;
        count += 1;
    }
    let mean_z = z_sum / count as f64;
    println!("{count} pairs, mean z {mean_z:.3}");
    // The mean of `count` z-scores has standard error 1/√count.
    assert!(mean_z.abs() < 5.0 / (count as f64).sqrt(), "biased: mean z {mean_z}");
}

/// The same on text: corpus sentences against copies with a few words changed.
#[test]
fn estimate_on_edited_sentences() {
    let n = 256;
    let perms = permutations(n, 3);
    let text = crate::nlp::corpus::ENGLISH;
    let mut rng = StdRng::seed_from_u64(5);
    for line in text.lines().filter(|l| l.len() > 80).take(60) {
        let mut words: Vec<&str> = line.split_whitespace().collect();
        for _ in 0..rng.gen_range(0..6) {
            let i = rng.gen_range(0..words.len());
            words[i] = "zebra";
        }
        let (a, b) = (shingles(line, 5), shingles(&words.join(" "), 5));
        let j = jaccard(&a, &b);
        let est = estimated_jaccard(&minhash(&a, &perms), &minhash(&b, &perms));
        let se = jaccard_std_error(j, n);
        assert!((est - j).abs() <= 5.0 * se, "J {j:.3}, estimated {est:.3}, 5σ = {:.3}", 5.0 * se);
    }
}

/// Banding's candidate rate at each similarity matches 1 − (1 − s^r)^b within 5 binomial
/// standard errors (b = 20 bands of r = 5 rows, 300 pairs per point): the run the book's
/// figure `minhash_s_curve.svg` draws.
#[test]
fn s_curve_matches_measurement() {
    use crate::figures::{s_curve_sims, S_CURVE_BANDS, S_CURVE_PAIRS, S_CURVE_ROWS, S_CURVE_SEED};
    let (bands, rows, pairs) = (S_CURVE_BANDS, S_CURVE_ROWS, S_CURVE_PAIRS);
    let sims = s_curve_sims();
    let measured = measured_s_curve(&sims, bands, rows, pairs, S_CURVE_SEED);
    for (&s, &rate) in sims.iter().zip(&measured) {
        let p = s_curve(s, bands, rows);
        let hits = (rate * pairs as f64).round() as usize;
        let z = z_score(hits, pairs, p);
        println!("s {s:.1}: formula {p:.4}, measured {rate:.4} (z {z:.2})");
        // At p ≈ 1 the standard error vanishes: then every pair must be a candidate.
        if p > 1.0 - 1e-6 {
            assert_eq!(hits, pairs, "s = {s}");
        } else {
            assert!(z.abs() < 5.0, "s = {s}: {hits}/{pairs} candidates, formula {p:.4}, z {z:.1}");
        }
    }
}

/// Banding by hand: two signatures equal in band 1 only are candidates; none equal, not.
#[test]
fn lsh_candidates_by_hand() {
    let sigs = vec![vec![1, 2, 3, 4], vec![9, 2, 3, 4], vec![1, 9, 9, 9]];
    let got: Vec<(usize, usize)> = lsh_candidates(&sigs, 2, 2).into_iter().collect();
    assert_eq!(got, [(0, 1)]);
    let got: Vec<(usize, usize)> = lsh_candidates(&sigs, 4, 1).into_iter().collect();
    assert_eq!(got, [(0, 1), (0, 2)]);
    approx::assert_abs_diff_eq!(s_curve(0.5, 2, 2), 1.0 - 0.75f64.powi(2), epsilon = 1e-15);
}
