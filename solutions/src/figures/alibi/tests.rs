use super::*;

/// The §1.5 page's reading of the figure: every head is 0 on the diagonal and falls
/// linearly along a row, head 1 (m = 1/2) reaches −5.5 at distance 11, head 8
/// (m = 1/256) stays above −0.05, and the future keys are masked.
#[test]
fn the_alibi_figure_shows_what_the_page_says() {
    let s = ALIBI_SEQ;
    for &h in &ALIBI_SHOWN {
        let b = alibi_panel(h);
        for i in 0..s {
            assert_eq!(b[i * s + i], 0.0, "head {h}: diagonal at {i}");
            assert!((i + 1..s).all(|j| b[i * s + j] == f32::NEG_INFINITY), "head {h}, row {i}");
            // Equal steps along the row: the bias is linear in the distance.
            let steps: Vec<f32> = (1..=i).map(|j| b[i * s + j] - b[i * s + j - 1]).collect();
            assert!(steps.windows(2).all(|w| (w[0] - w[1]).abs() < 1e-6), "head {h}: {steps:?}");
        }
    }
    approx::assert_abs_diff_eq!(alibi_panel(0)[(s - 1) * s], -5.5, epsilon = 1e-6);
    assert!(alibi_panel(7)[(s - 1) * s] > -0.05);
    assert!(alibi_panel(0)[(s - 1) * s] >= ALIBI_RANGE.0, "the colour scale clips head 1");
    assert!(alibi_bias_heads().unwrap().starts_with("<svg"));
}
