use super::*;

/// The §1.7 page's reading of the figure.
#[test]
fn the_gradient_norm_figure_shows_what_the_page_says() {
    let (pre, post) = gradient_norms();
    let ratio = |g: &[f32]| g[..4].iter().sum::<f32>() / g[DEPTH - 4..].iter().sum::<f32>();
    // Pre-Norm: the first four layers get over twice the gradient of the last four,
    assert!(ratio(&pre) > 2.0, "{pre:?}");
    // and layer 1 over three times that of layer 24.
    assert!(pre[0] > 3.0 * pre[DEPTH - 1], "{pre:?}");
    // Post-Norm: flat, the two groups within 20 % of each other,
    assert!(approx::abs_diff_eq!(ratio(&post), 1.0, epsilon = 0.2), "{post:?}");
    // every layer between 0.10 and 0.15.
    assert!(post.iter().all(|g| (0.10..0.15).contains(g)), "{post:?}");
}
