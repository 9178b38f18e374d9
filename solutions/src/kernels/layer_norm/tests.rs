use super::*;
use crate::architectures::gpt::{LayerNorm, LAYER_NORM_EPS};
use crate::close::{assert_close, Tol};
use crate::kernels::testing::{normal_rows, normal_vector, weighted_sum};

/// Normalised values of order one, means of 45 terms: float rounding only.
const TOL: Tol = Tol::abs_rel(1e-5);

#[test]
fn layer_norm_equals_the_composition_values_and_gradients() {
    let dev = Dev::seed_from_u64(5);
    let (n, c) = (29, 45);
    // Rows with an offset and a scale, as the residual stream has, not unit normals.
    let x = normal_rows(&dev, n, c) * 3.0 + 0.7;
    let ln = LayerNorm { weight: normal_vector(&dev, c, 1.0), bias: normal_vector(&dev, c, 0.0) };
    let run = |fast: bool| {
        let xt = x.leaky_trace();
        let y = if fast {
            layer_norm(xt, &ln.weight, &ln.bias, LAYER_NORM_EPS)
        } else {
            ln.forward_reference(xt)
        };
        let values = y.as_vec();
        let g = weighted_sum(y, 13).backward();
        (values, g.get(&x).as_vec(), g.get(&ln.weight).as_vec(), g.get(&ln.bias).as_vec())
    };
    let (fast, slow) = (run(true), run(false));
    assert_close("layer_norm: y", &fast.0, &slow.0, TOL);
    assert_close("layer_norm: dx", &fast.1, &slow.1, TOL);
    assert_close("layer_norm: dw", &fast.2, &slow.2, TOL);
    assert_close("layer_norm: db", &fast.3, &slow.3, TOL);
}

#[test]
fn layer_norm_hand_worked() {
    // Row [1, 3]: mean 2, variance 1, so x̂ = [-1, 1] (to eps); gain 2, bias 1: [-1, 3].
    let dev = Dev::default();
    let x = dev.tensor_from_vec(vec![1.0, 3.0], (1, 2));
    let ln = LayerNorm {
        weight: dev.tensor_from_vec(vec![2.0, 2.0], (crate::architectures::params::Dyn(2),)),
        bias: dev.tensor_from_vec(vec![1.0, 1.0], (crate::architectures::params::Dyn(2),)),
    };
    let y = layer_norm(x, &ln.weight, &ln.bias, 0.0).as_vec();
    assert_close("layer_norm of [1, 3]", &y, &[-1.0, 3.0], Tol::abs(1e-6));
}
