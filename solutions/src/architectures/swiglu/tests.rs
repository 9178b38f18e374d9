use super::*;

#[test]
fn equals_silu_times_up_element_by_element() {
    let dev = Dev::seed_from_u64(0);
    let g: Tensor<(usize, usize), f32, Dev> = dev.sample_normal_like(&(4, 6));
    let u: Tensor<(usize, usize), f32, Dev> = dev.sample_normal_like(&(4, 6));
    let y = swiglu(g.clone(), u.clone()).as_vec();
    for ((y, g), u) in y.iter().zip(g.as_vec()).zip(u.as_vec()) {
        let want = g / (1.0 + (-g).exp()) * u;
        assert!((y - want).abs() < 1e-6, "swiglu({g}, {u}) = {y}, want {want}");
    }
}

#[test]
fn the_gradient_is_the_product_rule() {
    // d/dg [g σ(g) u] = u (σ(g) + g σ(g)(1 − σ(g))); d/du = g σ(g). At g = 1, u = 2:
    let dev = Dev::default();
    let (g, u) = (dev.tensor([1.0f32]), dev.tensor([2.0f32]));
    let grads = swiglu(g.leaky_trace(), u.leaky_trace()).sum().backward();
    let s = 1.0 / (1.0 + (-1.0f32).exp());
    assert!((grads.get(&g).array()[0] - 2.0 * (s + s * (1.0 - s))).abs() < 1e-6);
    assert!((grads.get(&u).array()[0] - s).abs() < 1e-6);
}
