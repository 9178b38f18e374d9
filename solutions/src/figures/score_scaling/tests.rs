use super::*;

/// The numbers the §1.2 page quotes from this figure.
#[test]
fn the_saturation_figure_shows_what_the_page_says() {
    let (raw, scaled) = saturation_curves();
    let last = D_KS.len() - 1;
    // Unscaled, at d_k = 1024 the top key takes over 90 % of the weight on average,
    assert!(raw[last].max_weight > 0.9, "{:?}", raw[last]);
    // and the softmax passes back less than a fifth of the gradient it passes at d_k = 1.
    assert!(raw[last].jacobian_norm < 0.2 * raw[0].jacobian_norm, "{raw:?}");
    // Scaled, every width looks like d_k = 1: the largest weight stays below 0.3
    assert!(scaled.iter().all(|p| p.max_weight < 0.3), "{scaled:?}");
    // and the Jacobian norm stays within 10 % of its value at d_k = 1.
    let j0 = scaled[0].jacobian_norm;
    assert!(scaled.iter().all(|p| (p.jacobian_norm / j0 - 1.0).abs() < 0.1), "{scaled:?}");
}
