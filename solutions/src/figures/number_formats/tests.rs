use super::*;

/// The §4.7 page's reading of the figure.
#[test]
fn the_spacing_figure_shows_what_the_page_says() {
    let curves = spacing_curves();
    let gap = |name: &str, k: f64| {
        let (_, pts) = curves.iter().find(|(f, _)| f.name == name).unwrap();
        pts.iter().find(|p| p.0 == k).map(|p| p.1)
    };
    // At 1 the gaps are 2^-23, 2^-7 and 2^-10: bf16 is 8 times coarser than fp16.
    assert_eq!(
        (gap("fp32", 0.0), gap("bf16", 0.0), gap("fp16", 0.0)),
        (Some(-23.0), Some(-7.0), Some(-10.0))
    );
    // fp16 stops below 2^16 (65504 < 65536); bf16 and fp32 go on.
    assert_eq!(gap("fp16", 16.0), None);
    assert!(gap("fp16", 15.875).is_some() && gap("bf16", 20.0).is_some());
    // Below 2^-14 fp16's gap stays at 2^-24: the subnormals, evenly spaced.
    assert_eq!((gap("fp16", -20.0), gap("fp16", -30.0)), (Some(-24.0), Some(-24.0)));
    // bf16's gap is always 2^16 times fp32's: the same exponent, 16 fewer mantissa bits.
    for k in [-30.0, -3.5, 0.0, 19.0] {
        assert_eq!(gap("bf16", k).unwrap() - gap("fp32", k).unwrap(), 16.0, "at 2^{k}");
    }
}
