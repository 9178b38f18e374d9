use super::*;
use crate::close::{assert_close, Tol};
use crate::kernels::testing::{normal_rows, weighted_sum};

#[test]
fn fast_tanh_is_within_5e7_of_std_tanh() {
    // Every 1e-4 over [-10, 10]: the polynomial's range, the clamp, and beyond it.
    let xs: Vec<f32> = (-100_000..=100_000).map(|i| i as f32 * 1e-4).collect();
    let got: Vec<f32> = xs.iter().map(|&x| tanh(x)).collect();
    let want: Vec<f32> = xs.iter().map(|&x| x.tanh()).collect();
    assert_close("rational tanh against libm's", &got, &want, Tol::abs(5e-7));
}

#[test]
fn gelu_tanh_equals_dfdx_fast_gelu_values_and_gradients() {
    let dev = Dev::seed_from_u64(9);
    // Spread over [-12, 12]: the saturated tails and the curved middle.
    let x = normal_rows(&dev, 31, 17) * 4.0;
    let run = |fast: bool| {
        let xt = x.leaky_trace();
        let y = if fast { gelu_tanh(xt) } else { xt.fast_gelu() };
        let values = y.as_vec();
        let g = weighted_sum(y, 17).backward();
        (values, g.get(&x).as_vec())
    };
    let (fast, slow) = (run(true), run(false));
    // The tanh approximation's 5e-7, times |x| up to ~12: a few 1e-6 on values of size ≤ 12.
    assert_close("gelu: y", &fast.0, &slow.0, Tol::abs_rel(5e-6));
    assert_close("gelu: dx", &fast.1, &slow.1, Tol::abs_rel(1e-5));
}

#[test]
fn gelu_tanh_hand_worked() {
    // gelu(0) = 0; gelu(1) = ½(1 + tanh(√(2/π)·1.044715)) = 0.841192 (PyTorch's value).
    let dev = Dev::default();
    let y = gelu_tanh(dev.tensor_from_vec(vec![0.0, 1.0], (1, 2))).as_vec();
    assert_close("gelu_tanh([0, 1])", &y, &[0.0, 0.841192], Tol::abs(1e-6));
}
