//! GELU with the tanh approximation (GPT-2's `gelu_new`), forward and backward in one pass.
//!
//! Paper: Hendrycks & Gimpel 2016, arXiv 1606.08415. PyTorch:
//! `F.gelu(x, approximate="tanh")`; dfdx: `fast_gelu`, which this equals. The readable op
//! evaluates `tanh` twice (once forward, once again in the derivative) through libm, one
//! scalar call per element: on the tiny GPT that was a fifth of the training step. Here the
//! forward keeps `tanh(u)` for the backward, and [`tanh`] is a rational approximation the
//! compiler vectorises (Eigen's and PyTorch's vectorised `tanh` use the same form).
//!
//! gelu(x) = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³);
//! gelu'(x) = ½(1 + tanh u) + ½x(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²).

use super::linear::Rows;
use super::values;
use crate::Dev;
use dfdx::prelude::*;
use rayon::prelude::*;

/// Elements per rayon task: large enough that a hand-off (~µs) is a small cost.
const CHUNK: usize = 1 << 14;

/// √(2/π), in the inner polynomial u.
const SQRT_2_OVER_PI: f32 = 0.797_884_6;
/// The cubic's coefficient in u.
const KAPPA: f32 = 0.044715;

/// tanh(x) for f32, within 5e-7 of libm's (a few ulp near ±1; tested): Eigen's
/// `generic_fast_tanh_float`, a 13/6-degree rational function on [−7.9, 7.9] (beyond
/// which tanh is ±1 in f32). Branch-free apart from the clamp, so loops over it vectorise.
#[inline(always)]
pub fn tanh(x: f32) -> f32 {
    // Eigen's coefficients (given in f64 there), each written as its nearest f32.
    const A: [f32; 7] = [
        4.893_524_6e-3,
        6.372_619_5e-4,
        1.485_722_4e-5,
        5.122_297_3e-8,
        -8.604_672e-11,
        2.000_188e-13,
        -2.760_768_4e-16,
    ];
    const B: [f32; 4] = [4.893_525e-3, 2.268_434_7e-3, 1.185_347_1e-4, 1.198_258_4e-6];
    // Subtle: `a * b + c`, not `mul_add`: without FMA in the build's target, `mul_add`
    // is a libm call per term, and with it results would differ between CPUs.
    let x = x.clamp(-7.905_311, 7.905_311);
    let x2 = x * x;
    let p = ((A[6] * x2 + A[5]) * x2 + A[4]) * x2 + A[3];
    let p = (((p * x2 + A[2]) * x2 + A[1]) * x2 + A[0]) * x;
    let q = ((B[3] * x2 + B[2]) * x2 + B[1]) * x2 + B[0];
    p / q
}

/// The inner polynomial u(x) = √(2/π)(x + 0.044715x³), whose tanh both passes use.
#[inline(always)]
fn inner(x: f32) -> f32 {
    SQRT_2_OVER_PI * (x + KAPPA * x * x * x)
}

/// gelu'(x), given t = tanh(u(x)) from the forward pass.
#[inline(always)]
fn derivative(x: f32, t: f32) -> f32 {
    0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * SQRT_2_OVER_PI * (1.0 + 3.0 * KAPPA * x * x)
}

/// GELU of every element of `x`, and tanh(u(x)) for [`backward_in_place`], on this
/// thread: for `linear::linear_gelu`, which runs inside a slice of the batch.
///
/// Subtle: a plain loop over zeroed buffers, not `collect()`: the collecting code is a
/// function of its own that is not inlined into [`super::simd`]'s AVX2 body, and it ran
/// without AVX2, unvectorised (5 % of the training step, measured with perf).
pub(crate) fn forward(x: &[f32]) -> (Vec<f32>, Vec<f32>) {
    let (mut y, mut th) = (vec![0.0; x.len()], vec![0.0; x.len()]);
    super::simd(|| {
        for ((y, t), &x) in y.iter_mut().zip(&mut th).zip(x) {
            *t = tanh(inner(x));
            *y = 0.5 * x * (1.0 + *t);
        }
    });
    (y, th)
}

/// `dy ⊙ gelu'(x)`, written over `dy`: the gradient of GELU's input, from its output's.
pub(crate) fn backward_in_place(dy: &mut [f32], x: &[f32], th: &[f32]) {
    super::simd(|| {
        for ((g, &x), &t) in dy.iter_mut().zip(x).zip(th) {
            *g *= derivative(x, t);
        }
    })
}

/// (N, M) -> (N, M): GELU-tanh of every element, its backward recorded on x's tape.
pub fn gelu_tanh<T: Tape<f32, Dev>>(x: Rows<T>) -> Rows<T> {
    let shape = *x.shape();
    let dev = x.device().clone();
    let (x, mut tape) = x.split_tape();
    let xv = values(&x);
    let (mut th, mut y) = (vec![0.0; xv.len()], vec![0.0; xv.len()]);
    let chunks = xv.par_chunks(CHUNK).zip(th.par_chunks_mut(CHUNK)).zip(y.par_chunks_mut(CHUNK));
    chunks.for_each(|((xv, th), y)| {
        super::simd(|| {
            for ((x, t), y) in xv.iter().zip(th).zip(y) {
                *t = tanh(inner(*x));
                *y = 0.5 * x * (1.0 + *t);
            }
        })
    });
    let out = dev.tensor_from_vec(y, shape);
    if T::OWNS_TAPE {
        let (x_g, out_g) = (x.ghost(), out.ghost());
        tape.add_backward_op(move |grads| {
            grads.try_alloc_for(&x_g)?;
            let dy = std::mem::take(&mut **grads.get_or_alloc_mut(&out_g)?);
            let dx = grads.get_or_alloc_mut(&x_g)?;
            let chunks = dx.par_chunks_mut(CHUNK).zip(dy.par_chunks(CHUNK));
            chunks.zip(xv.par_chunks(CHUNK)).zip(th.par_chunks(CHUNK)).for_each(
                |(((dx, dy), xv), th)| {
                    super::simd(|| {
                        for (((dx, dy), &x), &t) in dx.iter_mut().zip(dy).zip(xv).zip(th) {
                            *dx += dy * derivative(x, t);
                        }
                    })
                },
            );
            Ok(())
        });
    }
    out.put_tape(tape)
}

#[cfg(test)]
mod tests;
