use super::*;

const D: usize = 64;
const BASE: f64 = 10000.0;
const L: usize = 2048;
const TARGET: usize = 8192;

#[test]
fn interpolation_keeps_every_angle_inside_the_trained_range() {
    let trained = rope_angles(L - 1, D, BASE, RopeScaling::None, L, TARGET);
    let edge = rope_angles(L, D, BASE, RopeScaling::None, L, TARGET);
    let far_plain = rope_angles(TARGET - 1, D, BASE, RopeScaling::None, L, TARGET);
    let far_pi = rope_angles(TARGET - 1, D, BASE, RopeScaling::Interpolation, L, TARGET);
    // Plain RoPE at 8k turns the slowest pair 4× further than training ever did,
    assert!(far_plain[D / 2 - 1] > 3.9 * trained[D / 2 - 1]);
    // while PI keeps every position in [0, L): each angle stays below L·θ_i.
    assert!(far_pi.iter().zip(&edge).all(|(a, e)| a < e));
    // The cost: neighbours now differ by 1/4 radian in pair 0 instead of 1.
    let step = rope_angles(1, D, BASE, RopeScaling::Interpolation, L, TARGET)[0];
    approx::assert_abs_diff_eq!(step, 0.25, epsilon = 1e-12);
}

#[test]
fn ntk_keeps_the_fast_pair_and_slows_the_slowest_by_the_scale() {
    let s = (TARGET / L) as f64;
    let plain = rope_frequencies(D, BASE);
    let ntk = rope_frequencies(D, ntk_scaled_base(BASE, s, D));
    assert_eq!(ntk[0], plain[0], "θ_0 = 1 for every base");
    approx::assert_abs_diff_eq!(ntk[D / 2 - 1] / plain[D / 2 - 1], 1.0 / s, epsilon = 1e-12);
    // In between, each pair is slowed by a factor between 1 and s.
    assert!(ntk.iter().zip(&plain).all(|(n, p)| n <= p && *n >= p / s - 1e-15));
}

#[test]
fn position_interpolation_maps_the_target_length_onto_the_training_length() {
    assert_eq!(interpolate_positions(TARGET, L, TARGET), L as f64);
    assert_eq!(interpolate_positions(6, 4, 8), 3.0);
}

#[test]
fn self_similarity_starts_at_one_and_pi_reproduces_the_trained_curve() {
    for scaling in [RopeScaling::None, RopeScaling::Interpolation, RopeScaling::NtkAware] {
        approx::assert_abs_diff_eq!(
            self_similarity(0, D, BASE, scaling, L, TARGET),
            1.0,
            epsilon = 1e-12
        );
    }
    // PI at distance 4Δ equals plain RoPE at distance Δ: the model sees familiar values.
    for delta in [1, 100, 2000] {
        let pi = self_similarity(4 * delta, D, BASE, RopeScaling::Interpolation, L, TARGET);
        let plain = self_similarity(delta, D, BASE, RopeScaling::None, L, TARGET);
        approx::assert_abs_diff_eq!(pi, plain, epsilon = 1e-9);
    }
}
