use super::*;

#[test]
fn five_standard_errors_of_the_chosen_share_are_0_40_points_at_200_000_positions() {
    // §2.5's bound: the tests see at least 200 000 ordinary positions.
    let points = 100.0 * 5.0 * binomial_se(200_000, 0.15) / 200_000.0;
    assert!(approx::abs_diff_eq!(points, 0.40, epsilon = 0.005), "{points}");
    // And 512 positions: 76.8 ± 8.08 chosen.
    approx::assert_abs_diff_eq!(binomial_se(512, 0.15), 8.08, epsilon = 0.005);
}

#[test]
fn the_z_score_of_a_hand_worked_count() {
    // 100 fair coins, 60 heads: se = √(100 · ½ · ½) = 5, z = (60 − 50)/5 = 2.
    assert_eq!(binomial_se(100, 0.5), 5.0);
    assert_eq!(z_score(60, 100, 0.5), 2.0);
    assert_eq!(z_score(45, 100, 0.5), -1.0);
}
