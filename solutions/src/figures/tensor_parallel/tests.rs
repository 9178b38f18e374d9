use super::*;

/// The §4.3 figure's points: rank 0's bytes for one all-reduce of S = 640 bytes are the
/// ring formula exactly: 0, 640, 960 and 1120 bytes for N = 1, 2, 4, 8.
#[test]
fn the_measured_points_lie_on_the_ring_formula() {
    let (b, t, c) = TP_FIG_SHAPE;
    let got = measured_bytes_per_all_reduce();
    let want: Vec<(usize, usize)> =
        TP_FIG_RANKS.iter().map(|&n| (n, tp_bytes_per_all_reduce(b, t, c, n) as usize)).collect();
    assert_eq!(got, want);
    assert_eq!(got, vec![(1, 0), (2, 640), (4, 960), (8, 1120)]);
}
