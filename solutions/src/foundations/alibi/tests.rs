use super::*;

#[test]
fn slopes_follow_the_paper_for_powers_of_two() {
    // The paper's examples: 8 heads start at 1/2, 16 heads at 1/√2, both end at 1/256.
    let s16 = alibi_slopes(16);
    approx::assert_abs_diff_eq!(s16[0], 0.5f32.sqrt(), epsilon = 1e-7);
    approx::assert_abs_diff_eq!(s16[15], 1.0 / 256.0, epsilon = 1e-9);
    for n in [1, 2, 4, 8, 16, 32] {
        let s = alibi_slopes(n);
        let ratio = 2f32.powf(-8.0 / n as f32);
        assert!(approx::abs_diff_eq!(s[0], ratio, epsilon = 1e-7), "{n} heads start at 2^(-8/n)");
        for w in s.windows(2) {
            assert!(
                approx::abs_diff_eq!(w[1] / w[0], ratio, epsilon = 1e-5),
                "{n} heads: geometric with that ratio"
            );
        }
    }
}

#[test]
fn slopes_for_other_head_counts_interleave_the_next_power_of_two() {
    // 6 heads: the 4-head slopes 2^-2, 2^-4, 2^-6, 2^-8, then 2^-1 and 2^-3 from the
    // 8-head sequence (its entries 0 and 2).
    let want = [0.25, 0.0625, 0.015625, 0.00390625, 0.5, 0.125];
    assert_eq!(alibi_slopes(6), want);
    // 12 heads: the 8-head slopes, then entries 0, 2, 4, 6 of the 16-head sequence.
    let s12 = alibi_slopes(12);
    let s16 = alibi_slopes(16);
    assert_eq!(&s12[..8], &alibi_slopes(8)[..]);
    assert_eq!(&s12[8..], &[s16[0], s16[2], s16[4], s16[6]]);
}

#[test]
fn the_bias_is_linear_in_distance_and_causal() {
    let dev = Dev::default();
    let (h, s) = (4, 6);
    let bias = alibi_bias(&dev, h, s).as_vec();
    let slopes = alibi_slopes(h);
    for head in 0..h {
        for i in 0..s {
            for j in 0..s {
                let b = bias[(head * s + i) * s + j];
                if j > i {
                    assert_eq!(b, f32::NEG_INFINITY, "future keys are masked");
                } else {
                    assert_eq!(b, -slopes[head] * (i - j) as f32);
                }
            }
        }
    }
}
