use super::*;

/// The §1.3 page's reading of the heat-map: the first dimensions flip sign many times
/// over 64 positions, the last ones barely move.
#[test]
fn the_sinusoid_heatmap_shows_what_the_page_says() {
    let (n, d) = (SINUSOID_POSITIONS, SINUSOID_DIMS);
    let t = sinusoidal_table(&Dev::default(), n, d).as_vec();
    let column = |c: usize| (0..n).map(|p| t[p * d + c]).collect::<Vec<_>>();
    let sign_changes = |v: &[f32]| v.windows(2).filter(|w| (w[0] < 0.0) != (w[1] < 0.0)).count();
    // Dimension 0 is sin(p): period 2π ≈ 6.3 positions, so 20 sign changes in 64.
    assert_eq!(sign_changes(&column(0)), 20);
    // The last dimension, cos(p·10000^(-62/64)), stays above 0.99 for every position:
    // its period is over 40 000 positions.
    assert!(column(d - 1).iter().all(|&v| v > 0.99));
    // Row 0 alternates 0 (sin) and 1 (cos): the stripes at the top of the map.
    assert!((0..d).all(|c| t[c] == if c.is_multiple_of(2) { 0.0 } else { 1.0 }));
}
