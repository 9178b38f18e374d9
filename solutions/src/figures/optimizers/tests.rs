use super::*;

/// The §1.9 page's reading of the figure.
#[test]
fn the_trajectory_figure_shows_what_the_page_says() {
    let t = trajectories();
    let loss = |v: &[[f32; 2]]| valley(v[STEPS]).0;
    // After 50 steps plain SGD is still far along the flat direction (x ≈ -2, f ≈ 0.19),
    assert!(loss(&t.sgd) > 0.15, "{:?}", t.sgd[STEPS]);
    approx::assert_abs_diff_eq!(t.sgd[STEPS][0], -1.96, epsilon = 0.01);
    // momentum is below 0.01 and Adam below 0.02.
    assert!(loss(&t.momentum) < 0.01, "{}", loss(&t.momentum));
    assert!(loss(&t.adam) < 0.02, "{}", loss(&t.adam));
    // Momentum overshoots the minimum, past x = 3.
    assert!(t.momentum.iter().any(|p| p[0] > 3.0));
    // SGD's first step is the gradient times 0.3: 0.27 along x, 0.6 along y.
    let step = |v: &[[f32; 2]]| [v[1][0] - v[0][0], v[1][1] - v[0][1]];
    let close = |a: [f32; 2], b: [f32; 2]| (a[0] - b[0]).abs() < 1e-5 && (a[1] - b[1]).abs() < 1e-5;
    assert!(close(step(&t.sgd), [0.27, -0.6]), "{:?}", step(&t.sgd));
    // Adam's first step is m̂/√v̂ = sign(g) times 0.3: the same length in both directions.
    assert!(close(step(&t.adam), [0.3, -0.3]), "{:?}", step(&t.adam));
}
