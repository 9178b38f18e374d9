use super::*;

/// The §1.8 page's reading of the figure, measured on the library: changing input
/// (1, 2) moves exactly channel 2 of every sample under BatchNorm, and exactly sample 1's
/// features under LayerNorm and RMSNorm.
#[test]
fn the_norm_axes_figure_shows_what_the_page_says() {
    let (pb, pc) = NORM_PROBE;
    let cells = |f: &dyn Fn(usize, usize) -> bool| -> Vec<bool> {
        (0..NORM_B).flat_map(|b| (0..NORM_C).map(move |c| (b, c))).map(|(b, c)| f(b, c)).collect()
    };
    assert_eq!(shared_statistics(NormKind::Batch), cells(&|_, c| c == pc), "BatchNorm");
    assert_eq!(shared_statistics(NormKind::Layer), cells(&|b, _| b == pb), "LayerNorm");
    assert_eq!(shared_statistics(NormKind::Rms), cells(&|b, _| b == pb), "RMSNorm");
    assert!(norm_axes().unwrap().starts_with("<svg"));
}
