//! Gradients graded: the learner's function must return its values *on the tape*.
//!
//! A function can return the right numbers through a path that breaks the tape (values
//! copied out with `as_vec()` and back in with `tensor_from_vec`): every forward check
//! passes, and then the model does not train. So for each exercise whose output is
//! differentiable, the suite also differentiates a fixed scalar of the output,
//! L = Σ out ⊙ W with a seeded W, with respect to the inputs, and compares with the
//! library's gradient. PyTorch's equivalent is `torch.autograd.gradcheck` against a
//! reference, or `(out * w).sum().backward()` and comparing `x.grad`.
//!
//! dfdx 0.13: a tensor is traced with `x.leaky_trace()` (an [`OwnedTape`] recording every
//! operation), `loss.backward()` returns the gradients, and `grads.get(&x)` reads one.

use crate::compare::{close, Tol};
use crate::{Check, Failure};
use dfdx::prelude::*;
use solutions::Dev;

/// The tape the graded functions are called with: they are generic over `T: Tape`, and the
/// suites instantiate them with this one so that both the values and the gradients can be
/// read from one call.
pub type Tr = OwnedTape<f32, Dev>;

/// The seed of W in L = Σ out ⊙ W; the same W for the learner's output and the library's.
const W_SEED: u64 = 0x5eed;

/// Traces a copy of `x`. Subtle: the copy keeps x's id, so `grads.get(&x)` finds it.
pub fn traced<S: Shape>(x: &Tensor<S, f32, Dev>) -> Tensor<S, f32, Dev, Tr> {
    x.leaky_trace()
}

/// Drops the tape of an output whose values are to be compared.
pub fn plain<S: Shape>(x: Tensor<S, f32, Dev, Tr>) -> Tensor<S, f32, Dev> {
    x.split_tape().0
}

/// Backpropagates L = Σ out ⊙ W for a seeded W of out's shape.
pub fn backward_weighted<S: Shape>(out: Tensor<S, f32, Dev, Tr>) -> Gradients<f32, Dev> {
    let w: Tensor<S, f32, Dev> = Dev::seed_from_u64(W_SEED).sample_normal_like(out.shape());
    (out * w).sum().backward()
}

/// dL/dx from `grads`, as a Vec; zeros when the tape never reached x.
pub fn grad_of<S: Shape>(grads: &mut Gradients<f32, Dev>, x: &Tensor<S, f32, Dev>) -> Vec<f32> {
    // Subtle: `get` panics on a tensor the backward pass never reached; allocating first
    // turns "never reached" into the zero gradient it means.
    grads.try_alloc_for(x).expect("allocating a gradient on the CPU");
    grads.get(x).as_vec()
}

/// Compares the learner's dL/d`input` with the library's, naming a dropped tape.
pub fn check_gradient(
    what: &str,
    input: &str,
    got: &[f32],
    want: &[f32],
    shape: &[usize],
) -> Check {
    let tol = Tol { abs: 1e-4, rel: 1e-3 };
    let nonzero = |v: &[f32]| v.iter().any(|&g| g != 0.0);
    if nonzero(want) && !nonzero(got) {
        return Err(Failure::new(format!(
            "{what}: the values are right, but the gradient of L = Σ out ⊙ W with respect to \
             `{input}` is zero everywhere: the tape was dropped, e.g. by copying the values \
             out (as_vec) and building a new tensor from the Vec (tensor_from_vec). Keep \
             every step a tensor operation, so that backward() can reach `{input}`."
        )));
    }
    let want: Vec<f64> = want.iter().map(|&g| g as f64).collect();
    let label = format!("{what}: dL/d{input} for L = Σ out ⊙ W, at ");
    close(&label, got, shape, &want, shape, tol).map_err(|e| {
        Failure::new(format!(
            "{e} The values are right but the gradient is not: part of the computation is off \
             the tape (a value copied out and back in, or an input used through a detached \
             copy), so training would not update it correctly."
        ))
    })
}

/// Differentiates L = Σ out ⊙ W through the learner's `got` and the library's `want`, each
/// called on a traced copy of `x`, and compares dL/d`input`.
pub fn check_input_gradient<S: Shape, O: Shape>(
    what: &str,
    input: &str,
    x: &Tensor<S, f32, Dev>,
    got: impl FnOnce(Tensor<S, f32, Dev, Tr>) -> Tensor<O, f32, Dev, Tr>,
    want: impl FnOnce(Tensor<S, f32, Dev, Tr>) -> Tensor<O, f32, Dev, Tr>,
) -> Check {
    let mut g = backward_weighted(got(traced(x)));
    let mut w = backward_weighted(want(traced(x)));
    let (g, w) = (grad_of(&mut g, x), grad_of(&mut w, x));
    check_gradient(what, input, &g, &w, x.shape().concrete().as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-worked case: L = Σ (2x) ⊙ W has dL/dx = 2W, and a detached copy has none.
    #[test]
    fn the_gradient_of_a_weighted_sum_is_the_weight_and_a_dropped_tape_is_named() {
        let dev = Dev::seed_from_u64(1);
        let x: Tensor<(usize, usize), f32, Dev> = dev.sample_normal_like(&(2, 3));
        let w: Tensor<(usize, usize), f32, Dev> =
            Dev::seed_from_u64(W_SEED).sample_normal_like(&(2, 3));
        let mut grads = backward_weighted(traced(&x) * 2.0);
        let g = grad_of(&mut grads, &x);
        let want: Vec<f32> = w.as_vec().iter().map(|v| 2.0 * v).collect();
        check_gradient("2x", "x", &g, &want, &[2, 3]).unwrap();
        // The same values through a Vec: the gradient never reaches x.
        let copy = dev.tensor_from_vec((x.clone() * 2.0).as_vec(), (2, 3)).put_tape(Tr::default());
        let mut grads = backward_weighted(copy);
        let err = check_gradient("2x", "x", &grad_of(&mut grads, &x), &want, &[2, 3]);
        assert!(err.unwrap_err().0.contains("the tape was dropped"));
        let half: Vec<f32> = want.iter().map(|v| v / 2.0).collect();
        let err = check_gradient("2x", "x", &half, &want, &[2, 3]).unwrap_err();
        assert!(err.0.contains("the gradient is not"), "{err}");
    }
}
