use super::*;

/// Var(q·k) = d_k for unit-variance entries, within 5 standard errors of the estimate
/// (its relative standard error is about √(2/N) ≈ 1 % for N = 20 000).
#[test]
fn the_variance_of_a_dot_product_is_d_k() {
    let dev = Dev::seed_from_u64(0);
    let n = 20_000;
    for d_k in [1, 4, 16, 64, 256] {
        let q: Tensor<(usize, usize), f32, Dev> = dev.sample_normal_like(&(n, d_k));
        let k: Tensor<(usize, usize), f32, Dev> = dev.sample_normal_like(&(n, d_k));
        let var = dot_product_variance(&q, &k);
        let se = (d_k as f64) * (2.0 / n as f64).sqrt() * (1.0 + 3.0 / d_k as f64).sqrt();
        assert!((var - d_k as f64).abs() < 5.0 * se, "d_k = {d_k}: Var(q·k) = {var:.2}");
        // After scaling by 1/√d_k the variance is 1 whatever the width.
        let scaled = dot_product_variance(&(q * (1.0 / (d_k as f32).sqrt())), &k);
        assert!((scaled - 1.0).abs() < 5.0 * se / d_k as f64, "d_k = {d_k}: {scaled:.3}");
    }
}

/// The closed form agrees with dfdx's autodiff, row by row of the Jacobian.
#[test]
fn the_jacobian_norm_matches_autodiff() {
    let dev = Dev::seed_from_u64(1);
    let logits = [0.3f32, -1.2, 2.0, 0.0, 0.7];
    let mut sum = 0.0;
    for i in 0..logits.len() {
        let z = dev.tensor(logits);
        let p = z.trace(Gradients::leaky()).softmax::<Axis<0>>();
        // ∂p_i/∂z: select output i, backpropagate.
        let pick = dev.tensor(i);
        let grads = p.select(pick).backward();
        sum += grads.get(&z).as_vec().iter().map(|&g| (g as f64).powi(2)).sum::<f64>();
    }
    let want = sum.sqrt();
    assert!(approx::abs_diff_eq!(softmax_jacobian_norm(&logits), want, epsilon = 1e-6), "{want}");
    // p spread evenly over k keys has ‖J‖ = √(k−1)/k (the diagonal holds 1/k − 1/k²,
    // the rest −1/k²): 1/2 for k = 2, √3/4 for k = 4; a one-hot p has ‖J‖ = 0.
    approx::assert_abs_diff_eq!(
        softmax_jacobian_norm(&[1.0; 4]),
        3f64.sqrt() / 4.0,
        epsilon = 1e-12
    );
    approx::assert_abs_diff_eq!(softmax_jacobian_norm(&[1.0, 1.0, -60.0]), 0.5, epsilon = 1e-12);
    assert!(softmax_jacobian_norm(&[50.0, 0.0, 0.0]) < 1e-9);
}

/// The §1.2 page's claims: without scaling the softmax saturates and its gradient
/// vanishes as d_k grows; with 1/√d_k both stay put.
#[test]
fn unscaled_scores_saturate_and_scaled_ones_do_not() {
    let dev = Dev::seed_from_u64(2);
    let d_ks = [4, 64, 1024];
    let raw = saturation_sweep(&dev, &d_ks, 16, 400, false);
    let scaled = saturation_sweep(&dev, &d_ks, 16, 400, true);
    assert!(raw[2].max_weight > 0.9, "{raw:?}");
    assert!(raw[2].jacobian_norm < 0.2 * raw[0].jacobian_norm, "{raw:?}");
    for p in &scaled {
        assert!(p.max_weight < 0.6, "{scaled:?}");
        let ratio = p.jacobian_norm / scaled[0].jacobian_norm;
        assert!((0.8..1.25).contains(&ratio), "{scaled:?}");
    }
}
