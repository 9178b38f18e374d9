use super::*;
use crate::close::{assert_close, Tol};
use crate::kernels::testing::normal_rows;

#[test]
fn cross_entropy_equals_log_softmax_select_mean_value_and_gradient() {
    let dev = Dev::seed_from_u64(21);
    let (n, v) = (45, 67);
    let z = normal_rows(&dev, n, v) * 3.0;
    let targets: Vec<usize> = (0..n).map(|i| (i * 37 + 5) % v).collect();
    let run = |fast: bool| {
        let zt = z.leaky_trace();
        let loss = if fast {
            cross_entropy(zt, &targets)
        } else {
            let ids = dev.tensor_from_vec(targets.clone(), (n,));
            zt.log_softmax::<Axis<1>>().select(ids).mean().negate()
        };
        let value = loss.array();
        (value, loss.backward().get(&z).as_vec())
    };
    let (fast, slow) = (run(true), run(false));
    assert_close("cross_entropy: loss", &[fast.0], &[slow.0], Tol::abs_rel(1e-6));
    // Gradients are (p − onehot)/N, of size ≤ 1/45.
    assert_close("cross_entropy: dz", &fast.1, &slow.1, Tol::abs(1e-7));
}

#[test]
fn cross_entropy_hand_worked() {
    // Uniform logits over 4 classes: the loss is ln 4 = 1.386294 whatever the target.
    let dev = Dev::default();
    let z = dev.tensor_from_vec(vec![0.5; 8], (2, 4));
    let loss = cross_entropy(z, &[0, 3]).array();
    assert_close("cross_entropy of uniform logits", &[loss], &[4f32.ln()], Tol::abs(1e-6));
}
