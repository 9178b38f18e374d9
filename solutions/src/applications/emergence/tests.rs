use super::*;
use crate::binomial::z_score;
use rand::rngs::StdRng;
use rand::SeedableRng;

const KS: [u32; 5] = [1, 2, 5, 10, 20];

#[test]
fn exact_match_is_p_to_the_k() {
    // The bank's question: 0.8^10; and the page's row 0.5, 0.9, 0.99 at k = 10.
    approx::assert_abs_diff_eq!(exact_match(0.8, 10), 0.107374, epsilon = 1e-6);
    approx::assert_abs_diff_eq!(exact_match(0.5, 10), 0.000977, epsilon = 1e-6);
    approx::assert_abs_diff_eq!(exact_match(0.9, 10), 0.348678, epsilon = 1e-6);
    approx::assert_abs_diff_eq!(exact_match(0.99, 10), 0.904382, epsilon = 1e-6);
    // One token: exact match is the per-token accuracy.
    assert_eq!(BOOK_CURVE.exact_match(9.3, 1), BOOK_CURVE.per_token(9.3));
}

/// The page's table: where exact match crosses 50 % on the book's curve, in closed form
/// and by bisection, moving right by about ln(k/ln 2)/s decades as k grows.
/// When written: 8.00, 8.88, 9.91, 10.63 and 11.34 for k = 1, 2, 5, 10, 20.
// ANCHOR: crossing_test
#[test]
fn the_scale_where_exact_match_crosses_half_moves_right_with_k() {
    let c = BOOK_CURVE;
    let mut previous = f64::NEG_INFINITY;
    for k in KS {
        let closed = c.crossing(k, 0.5);
        let searched = crossing_by_bisection(|x| c.exact_match(x, k), 0.5, 4.0, 16.0);
        println!("k = {k:>2}: exact match crosses 50 % at 10^{closed:.2} parameters");
        approx::assert_abs_diff_eq!(closed, searched, epsilon = 1e-9);
        assert!(closed > previous, "k = {k}: the crossing did not move right");
        previous = closed;
    }
    approx::assert_abs_diff_eq!(c.crossing(1, 0.5), c.midpoint, epsilon = 1e-12);
    approx::assert_abs_diff_eq!(c.crossing(10, 0.5), 10.634, epsilon = 1e-3);
    // For large k the shift tends to ln(k/ln 2)/s: within 0.04 decades at k = 10, 0.004 at 100.
    for (k, within) in [(10, 0.04), (100, 0.004)] {
        let shift = c.crossing(k, 0.5) - c.midpoint;
        let asymptote = crossing_shift_for_large_k(&c, k);
        assert!((shift - asymptote).abs() < within, "k = {k}: {shift} against {asymptote}");
    }
}
// ANCHOR_END: crossing_test

/// How steep is the "jump"? On the log-parameter axis the per-token curve's steepest rise is
/// s/4 per decade (at its midpoint: a logistic, no jump). Exact match is steeper, but only up
/// to s/e (the Gompertz limit of p^k), at most 4/e ≈ 1.47 times: 0.296, 0.335, 0.350 and
/// 0.359 per decade for k = 2, 5, 10, 20. What looks like a jump is mostly the *shift*.
// ANCHOR: slope_test
#[test]
fn exact_match_is_at_most_four_over_e_times_steeper_than_per_token_accuracy() {
    let c = BOOK_CURVE;
    let (at, per_token) = max_slope(|x| c.per_token(x), 2.0, 18.0, 16_000);
    approx::assert_abs_diff_eq!(per_token, c.slope / 4.0, epsilon = 1e-6);
    approx::assert_abs_diff_eq!(at, c.midpoint, epsilon = 1e-3);
    let mut previous = per_token;
    for k in &KS[1..] {
        let (where_, slope) = max_slope(|x| c.exact_match(x, *k), 2.0, 18.0, 16_000);
        println!("k = {k:>2}: steepest {slope:.4} per decade at 10^{where_:.2}");
        assert!(slope > previous, "k = {k}: {slope} is not steeper than k − 1's {previous}");
        assert!(slope < c.slope / std::f64::consts::E, "k = {k}: {slope} above s/e");
        // The steepest point is where p = k/(k + 1), where k p^k (1 − p) peaks.
        let (p_there, kf) = (c.per_token(where_), *k as f64);
        approx::assert_abs_diff_eq!(p_there, kf / (kf + 1.0), epsilon = 1e-3);
        // There the slope is s (k/(k + 1))^(k + 1): 0.296, 0.335, 0.350, 0.359.
        let peak = c.slope * (kf / (kf + 1.0)).powf(kf + 1.0);
        approx::assert_abs_diff_eq!(slope, peak, epsilon = 1e-4);
        previous = slope;
    }
    assert!(previous / per_token < 4.0 / std::f64::consts::E);
    assert!(previous / per_token > 1.4, "k = 20 should be near the 4/e bound");
}
// ANCHOR_END: slope_test

/// The ladder of the page (10⁶ to 10¹¹ parameters in half decades, 100 questions of 10
/// tokens): exact match reads below 1 % up to 10^8.5 parameters, where per-token accuracy is
/// already 0.62 (and 0.5 at 10⁸); with 100 questions, the first model expected to get even
/// one answer right is 10^9. Then 4 %, 13 %, 28 %, 45 %, 62 %: a sudden-looking rise.
// ANCHOR: ladder_test
#[test]
fn on_a_ladder_of_models_exact_match_sits_at_zero_while_per_token_accuracy_climbs() {
    let c = BOOK_CURVE;
    let sizes = ladder(6.0, 11.0, 0.5);
    assert_eq!(sizes.len(), 11);
    let em = |x: f64| c.exact_match(x, 10);
    let quiet: Vec<f64> = sizes.iter().copied().filter(|&x| em(x) < 0.01).collect();
    assert_eq!(quiet.len(), 6, "exact match below 1 % on {quiet:?}");
    approx::assert_abs_diff_eq!(c.per_token(6.0), 0.119, epsilon = 1e-3);
    approx::assert_abs_diff_eq!(c.per_token(8.5), 0.622, epsilon = 1e-3);
    // One expected exact match in 100 questions: the benchmark's resolution.
    assert_eq!(onset(|x| 100.0 * em(x), &sizes, 1.0), Some(9.0));
    assert_eq!(onset(|x| c.per_token(x), &sizes, 0.01), Some(6.0));
    let em_row: Vec<f64> = sizes[6..].iter().map(|&x| (100.0 * em(x)).round()).collect();
    assert_eq!(em_row, [4.0, 13.0, 28.0, 45.0, 62.0]);
    // Per-token accuracy improved by 0.50 over the quiet models, exact match by under 0.01.
    let rise = |f: &dyn Fn(f64) -> f64| f(sizes[5]) - f(sizes[0]);
    assert!(rise(&|x| c.per_token(x)) > 0.5 && rise(&em) < 0.01);
}
// ANCHOR_END: ladder_test

/// The benchmark simulated: on every model of the ladder, 400 answers of 10 tokens. The
/// exact-match count is within 5 standard errors of 400 p^10 and the token count within 5
/// of 4000 p: the same answers, two metrics, and the closed forms are what they measure.
#[test]
fn a_simulated_benchmark_measures_p_to_the_k_and_p() {
    let c = BOOK_CURVE;
    let (k, questions) = (10u32, 400usize);
    let mut rng = StdRng::seed_from_u64(0);
    for point in measured_ladder(&c, &ladder(6.0, 12.0, 0.5), k, questions, &mut rng) {
        let want = exact_match(point.p, k);
        let exact = (point.exact_match * questions as f64).round() as usize;
        if want > 0.0 && want < 1.0 && questions as f64 * want * (1.0 - want) > 1.0 {
            let z = z_score(exact, questions, want);
            assert!(z.abs() < 5.0, "10^{}: {exact} exact matches, z = {z:.2}", point.log10_params);
        } else {
            // A count whose standard error is below 1 must be within a handful of its mean.
            assert!((exact as f64 - questions as f64 * want).abs() <= 5.0);
        }
        let tokens = (point.token_accuracy * (questions * k as usize) as f64).round() as usize;
        let z = z_score(tokens, questions * k as usize, point.p);
        assert!(z.abs() < 5.0, "10^{}: {tokens} tokens right, z = {z:.2}", point.log10_params);
    }
}

#[test]
fn the_ladder_and_the_bisection_behave() {
    assert_eq!(ladder(6.0, 7.0, 0.5), [6.0, 6.5, 7.0]);
    let root = crossing_by_bisection(|x| x * x, 2.0, 0.0, 2.0);
    approx::assert_abs_diff_eq!(root, 2f64.sqrt(), epsilon = 1e-12);
    let (at, slope) = max_slope(|x| x * x, 0.0, 1.0, 1000);
    assert!(at > 0.99 && (slope - 2.0).abs() < 0.01);
}

/// The page's description of the figure's right panel (one seeded run of 100 questions of
/// 10 tokens per model): exact match reads exactly 0 on the first four models, up to
/// 10^7.5 parameters, while the share of tokens right rises at every step up to 10^9.5.
#[test]
fn the_figure_shows_what_the_page_says() {
    let points = crate::figures::emergence_ladder();
    assert_eq!(points.len(), 11);
    assert!(points[..4].iter().all(|p| p.exact_match == 0.0), "{points:?}");
    for w in points[..8].windows(2) {
        assert!(w[1].token_accuracy > w[0].token_accuracy, "{w:?}");
    }
    assert!(points[10].exact_match > 0.4, "{:?}", points[10]);
}
