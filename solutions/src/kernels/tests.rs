use super::*;

/// Awkward lengths: empty, shorter than the lanes, exactly them, and a remainder past them.
const LENGTHS: [usize; 7] = [0, 1, 7, 8, 9, 64, 131];

/// Seeded values of both signs and mixed sizes.
fn values_of(n: usize, seed: u32) -> Vec<f32> {
    (0..n as u32).map(|i| ((i * 37 + seed * 11) % 23) as f32 * 0.37 - 4.1).collect()
}

#[test]
fn lane_reductions_equal_plain_sums_at_every_length() {
    for n in LENGTHS {
        let (a, b) = (values_of(n, 1), values_of(n, 2));
        let want_sum: f64 = a.iter().map(|&x| x as f64).sum();
        let want_dot: f64 = a.iter().zip(&b).map(|(&x, &y)| x as f64 * y as f64).sum();
        // Sums of at most 131 terms of size ≤ 20: rounding only, far below 1e-3.
        assert!((sum(&a) as f64 - want_sum).abs() < 1e-3, "sum of {n}: {}", sum(&a));
        assert!((dot(&a, &b) as f64 - want_dot).abs() < 1e-3, "dot of {n}: {}", dot(&a, &b));
        let want_max = a.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        assert_eq!(max(&a), want_max, "max of {n} values");
    }
}

#[test]
fn lane_max_finds_the_maximum_in_any_lane_and_in_the_tail() {
    // The largest value in each position of a 9-long row in turn: every lane and the tail.
    for at in 0..9 {
        let mut row = vec![-3.0f32; 9];
        row[at] = 2.5;
        assert_eq!(max(&row), 2.5, "largest value at {at}");
    }
    assert_eq!(max(&[f32::NEG_INFINITY; 3]), f32::NEG_INFINITY, "a fully masked row");
}
