use super::*;
use crate::architectures::params::{mat, normal, vector, Dyn};
use crate::close::{assert_close, Tol};
use crate::kernels::testing::{normal_rows, normal_vector, weighted_sum};

/// Sums of at most 23 products of O(1) values, in another order: float rounding only.
const TOL: Tol = Tol::abs_rel(1e-5);

/// The composition `linear` replaces (gpt/parts.rs's `Conv1D::forward_reference`).
fn slow<T: Tape<f32, Dev>>(x: Rows<T>, w: &Matrix, b: &Vector) -> Rows<T> {
    let y = x.matmul(mat::<T>(w));
    let shape = *y.shape();
    y + vector::<T>(b).broadcast_like::<_, Axis<0>>(&shape)
}

/// A layer with a bias, as the tests call it: on a traced x (N, in), W (in, out), b (out,).
type Layer = fn(Rows<OwnedTape<f32, Dev>>, &Matrix, &Vector) -> Rows<OwnedTape<f32, Dev>>;

/// Asserts that `fast` equals `slow`, values and the gradients of x, W and b, on seeded
/// inputs of awkward sizes (nothing a power of two or a multiple of a SIMD width).
fn assert_same_layer(name: &str, seed: u64, fast: Layer, slow: Layer) {
    let dev = Dev::seed_from_u64(seed);
    let (n, k, m) = (37, 19, 23);
    let (x, w, b) = (normal_rows(&dev, n, k), normal(&dev, k, m, 0.5), normal_vector(&dev, m, 0.0));
    let run = |layer: Layer| {
        let y = layer(x.leaky_trace(), &w, &b);
        let values = y.as_vec();
        let g = weighted_sum(y, seed + 8).backward();
        (values, g.get(&x).as_vec(), g.get(&w).as_vec(), g.get(&b).as_vec())
    };
    let (fast, slow) = (run(fast), run(slow));
    assert_close(&format!("{name}: y"), &fast.0, &slow.0, TOL);
    assert_close(&format!("{name}: dx"), &fast.1, &slow.1, TOL);
    assert_close(&format!("{name}: dW"), &fast.2, &slow.2, TOL);
    assert_close(&format!("{name}: db"), &fast.3, &slow.3, TOL);
}

#[test]
fn linear_equals_matmul_plus_bias_values_and_gradients() {
    assert_same_layer("linear", 3, linear, slow);
}

#[test]
fn linear_gelu_equals_gelu_of_linear_values_and_gradients() {
    assert_same_layer("linear_gelu", 5, linear_gelu, |x, w, b| {
        crate::kernels::gelu::gelu_tanh(linear(x, w, b))
    });
}

#[test]
fn matmul_transposed_equals_matmul_of_the_permuted_weight_values_and_gradients() {
    let dev = Dev::seed_from_u64(4);
    // w is (out, in) = (23, 19), as the tied LM head's (V, C).
    let (n, k, m) = (37, 19, 23);
    let (x, w) = (normal_rows(&dev, n, k), normal(&dev, m, k, 0.5));
    let run = |fast: bool| {
        let xt = x.leaky_trace();
        let y = if fast {
            matmul_transposed(xt, &w)
        } else {
            xt.matmul(mat::<OwnedTape<f32, Dev>>(&w).permute::<_, Axes2<1, 0>>())
        };
        let values = y.as_vec();
        let g = weighted_sum(y, 12).backward();
        (values, g.get(&x).as_vec(), g.get(&w).as_vec())
    };
    let (fast, slow) = (run(true), run(false));
    assert_close("x Wᵀ: y", &fast.0, &slow.0, TOL);
    assert_close("x Wᵀ: dx", &fast.1, &slow.1, TOL);
    assert_close("x Wᵀ: dW", &fast.2, &slow.2, TOL);
}

#[test]
fn linear_hand_worked() {
    // x = [1, 2], W = [[1, 0, 2], [0, 1, 3]], b = [10, 20, 30]: y = [11, 22, 38].
    let dev = Dev::default();
    let x = dev.tensor_from_vec(vec![1.0, 2.0], (1, 2));
    let w = dev.tensor_from_vec(vec![1.0, 0.0, 2.0, 0.0, 1.0, 3.0], (Dyn(2), Dyn(3)));
    let b = dev.tensor_from_vec(vec![10.0, 20.0, 30.0], (Dyn(3),));
    assert_eq!(linear(x, &w, &b).as_vec(), vec![11.0, 22.0, 38.0]);
}

#[test]
fn gemm_rm_reads_transposed_operands() {
    // a = [[1, 2], [3, 4]] stored transposed, b = [[5, 6], [7, 8]]: a·b = [[19, 22], [43, 50]].
    let (a_t, b) = ([1.0, 3.0, 2.0, 4.0], [5.0, 6.0, 7.0, 8.0]);
    let mut dst = [100.0; 4];
    gemm_rm((2, 2, 2), &mut dst, false, &a_t, true, &b, false);
    assert_eq!(dst, [19.0, 22.0, 43.0, 50.0], "a transposed, overwrite");
    gemm_rm((2, 2, 2), &mut dst, true, &[1.0, 2.0, 3.0, 4.0], false, &[5.0, 7.0, 6.0, 8.0], true);
    assert_eq!(dst, [38.0, 44.0, 86.0, 100.0], "b transposed, accumulate");
}
