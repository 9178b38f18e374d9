use super::*;

/// The §1.6 page's reading of the figure.
#[test]
fn the_rope_scaling_figure_shows_what_the_page_says() {
    let all: Vec<usize> = (0..=TARGET_LEN).collect();
    let c = similarity_curves(&all);
    let (plain, pi, ntk) = (&c[0], &c[1], &c[2]);
    let min = |v: &[(f64, f64)]| v.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let (inside, beyond) = (TRAIN_LEN + 1, TRAIN_LEN..TARGET_LEN + 1);
    // Within the training length plain RoPE's curve never drops below -0.11;
    assert!(min(&plain[..inside]) > -0.11, "{}", min(&plain[..inside]));
    // beyond it, the curve reaches -0.3 and lower: values training never produced.
    assert!(min(&plain[beyond.clone()]) < -0.3, "{}", min(&plain[beyond.clone()]));
    // PI stays above -0.11 too, over the whole 8192 tokens (its curve is plain RoPE's
    // on [0, 2048], stretched 4×: the library's tests assert that),
    assert!(min(pi) > -0.11, "{}", min(pi));
    // NTK goes beyond it, less far than plain RoPE (to about -0.18).
    let ntk_far = min(&ntk[beyond.clone()]);
    approx::assert_abs_diff_eq!(ntk_far, -0.18, epsilon = 0.01);
    // Near the query PI blurs neighbours: at distance 1 its similarity is 0.998
    // against plain RoPE's 0.966, while NTK stays close to plain (0.970).
    approx::assert_abs_diff_eq!(pi[1].1, 0.998, epsilon = 5e-4);
    approx::assert_abs_diff_eq!(plain[1].1, 0.966, epsilon = 5e-4);
    assert!(approx::abs_diff_eq!(ntk[1].1, 0.970, epsilon = 5e-4), "{}", ntk[1].1);
    // Over the first 32 tokens NTK is always closer to plain RoPE than PI is.
    for d in 1..=32 {
        let (dn, dp) = ((ntk[d].1 - plain[d].1).abs(), (pi[d].1 - plain[d].1).abs());
        assert!(dn < dp, "distance {d}: NTK off by {dn}, PI by {dp}");
    }
}
