use super::*;

/// The §1.4 page's reading of the figure: every arrow stays on the unit circle (a rotation
/// keeps lengths), position m turns pair i by m·θᵢ, pair 0 turns one radian per position,
/// and pair 3 (θ = 0.001) moves by less than 0.01 rad over the six steps.
#[test]
fn the_rope_figure_shows_what_the_page_says() {
    let theta = rope_frequencies(ROPE_FIG_D, ROPE_FIG_BASE);
    for &i in &ROPE_FIG_PAIRS {
        for (m, &(x, y)) in rotated_pair(i).iter().enumerate() {
            approx::assert_abs_diff_eq!(x.hypot(y), 1.0, epsilon = 1e-6);
            let want = m as f64 * theta[i];
            approx::assert_abs_diff_eq!(x, want.cos(), epsilon = 1e-6);
            approx::assert_abs_diff_eq!(y, want.sin(), epsilon = 1e-6);
        }
    }
    approx::assert_abs_diff_eq!(theta[0], 1.0, epsilon = 1e-12);
    let slow = rotated_pair(3);
    assert!(slow.last().unwrap().1.atan2(slow.last().unwrap().0) < 0.01, "{slow:?}");
    assert!(rope_rotations().unwrap().starts_with("<svg"));
}
