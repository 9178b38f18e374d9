//! A linear layer `y = x W + b` as one op: one gemm with the bias as its starting value.
//!
//! PyTorch: `F.linear(x, W.T, b)` (ATen's `addmm`); Hugging Face GPT-2's `Conv1D`, whose
//! weight is (in, out) as here. dfdx composes it as `x.matmul(w) + b.broadcast()`: the
//! broadcast add is a second pass over the output, and its backward (a sum over rows) walks
//! strided indices. Here the output buffer starts as the bias, repeated, and gemm adds
//! `x W` into it; the backward pass is two gemms that accumulate straight into the
//! gradients' buffers and one column sum for the bias.
//!
//! Threading: gemm may split a product over rayon's threads. For the small matrices of the
//! tiny GPT the wake-ups cost more than they save once another process competes for the
//! cores, so [`parallelism`] only asks for threads above a size measured to pay, and never
//! inside [`serial`]: training splits the batch over the threads instead
//! (`training/data_parallel.rs`), and each thread's products then stay whole.

use super::values;
use crate::architectures::params::{Matrix, Vector};
use crate::Dev;
use dfdx::prelude::*;
use gemm_common::Parallelism;
use std::cell::Cell;

/// Rows × features: (N, in) or (N, out).
pub type Rows<T> = Tensor<(usize, usize), f32, Dev, T>;

/// Multiply-adds above which a gemm is split over rayon's threads.
pub const PARALLEL_MIN_MACS: usize = 1 << 22;

/// The threads gemm and the kernels may use: rayon's pool (`RAYON_NUM_THREADS`, else one
/// per core).
pub fn threads() -> usize {
    rayon::current_num_threads()
}

thread_local! {
    /// Set while this thread runs work that is already one of several in parallel.
    static SERIAL: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with this thread's gemms kept on this thread: for work that already runs
/// beside other threads' (the slices of a batch, `training/data_parallel.rs`), where
/// splitting each product again would only add hand-offs.
pub fn serial<R>(f: impl FnOnce() -> R) -> R {
    let before = SERIAL.replace(true);
    let out = f();
    SERIAL.set(before);
    out
}

/// The fewest items a rayon task of a kernel's parallel loop over `len` items may take:
/// all of them inside [`serial`] (the loop then runs on this thread, like the gemms),
/// else one.
///
/// Inside [`serial`] every thread is busy with a slice of its own, so splitting a loop
/// again only adds hand-offs, and a task stolen by another slice's thread makes this slice
/// wait until that thread gets round to it.
pub fn min_task_len(len: usize) -> usize {
    if SERIAL.get() {
        len.max(1)
    } else {
        1
    }
}

/// gemm's threading for an (m × k) · (k × n) product: rayon's threads when it is large
/// (and this thread is not inside [`serial`]).
pub fn parallelism(m: usize, n: usize, k: usize) -> Parallelism {
    let threads = rayon::current_num_threads();
    if threads > 1 && m * n * k >= PARALLEL_MIN_MACS && !SERIAL.get() {
        Parallelism::Rayon(threads)
    } else {
        Parallelism::None
    }
}

/// `dst (m × n) = alpha·dst + a (m × k) · b (k × n)`, all row-major and contiguous, where
/// `a` is read transposed when `a_t` (it is then stored k × m) and likewise `b` (n × k).
#[allow(clippy::too_many_arguments)]
pub fn gemm_rm(
    (m, n, k): (usize, usize, usize),
    dst: &mut [f32],
    accumulate: bool,
    a: &[f32],
    a_t: bool,
    b: &[f32],
    b_t: bool,
) {
    assert!(dst.len() >= m * n && a.len() >= m * k && b.len() >= k * n, "gemm: buffers short");
    // (column stride, row stride) of each operand as gemm sees it.
    let (a_cs, a_rs) = if a_t { (m as isize, 1) } else { (1, k as isize) };
    let (b_cs, b_rs) = if b_t { (k as isize, 1) } else { (1, n as isize) };
    // gemm's microkernel stores down columns: it wants a column-major destination, and
    // with a row-major one every store is strided. `gemm::gemm` flips such a call around
    // itself; this entry point does not, so it is flipped here: Cᵀ = Bᵀ Aᵀ, where the
    // row-major C is the column-major Cᵀ and each operand's transpose only swaps its two
    // strides. Measured on the tiny GPT's forward shapes, one thread: 47–74 GFLOP/s
    // before, 131–138 after (PyTorch's MKL: 100–118).
    // SAFETY: the asserts above keep every index gemm computes from these strides inside
    // the three slices, and `dst` is borrowed mutably, so it aliases neither input.
    unsafe {
        gemm_f32::gemm::f32::get_gemm_fn()(
            n,
            m,
            k,
            dst.as_mut_ptr(),
            n as isize,
            1,
            accumulate,
            b.as_ptr(),
            b_rs,
            b_cs,
            a.as_ptr(),
            a_rs,
            a_cs,
            if accumulate { 1.0 } else { 0.0 },
            1.0,
            false,
            false,
            false,
            parallelism(m, n, k),
        )
    }
}

/// (N, in) -> (N, out): `x W + b` with `w` (in, out) and `b` (out,), the gradients of all
/// three recorded on `x`'s tape. Equal to `x.matmul(w) + b.broadcast_like(..)`.
pub fn linear<T: Tape<f32, Dev>>(x: Rows<T>, w: &Matrix, b: &Vector) -> Rows<T> {
    affine(x, w, false, Some(b), false)
}

/// (N, in) -> (N, out): `gelu_tanh(x W + b)`, GPT-2's MLP up-projection and its
/// activation as one op (PyTorch keeps them two). Equal to `gelu::gelu_tanh(linear(..))`;
/// fused, the activation reads the product straight from its buffer, and its backward
/// rescales the output's gradient in place, where the separate ops copied and zero-filled
/// four (N, out) buffers between them.
pub fn linear_gelu<T: Tape<f32, Dev>>(x: Rows<T>, w: &Matrix, b: &Vector) -> Rows<T> {
    affine(x, w, false, Some(b), true)
}

/// (N, in) -> (N, out): `x Wᵀ` with `w` (out, in), the gradients of x and `w` recorded on
/// `x`'s tape. Equal to `x.matmul(w.permute())`: GPT-2's LM head, whose `w` is the token
/// embedding (V, C), tied.
pub fn matmul_transposed<T: Tape<f32, Dev>>(x: Rows<T>, w: &Matrix) -> Rows<T> {
    affine(x, w, true, None, false)
}

/// `x W + b`, or `x Wᵀ + b` when `w_t` (`w` then stored (out, in)), the bias optional,
/// followed by GELU when `gelu`.
fn affine<T: Tape<f32, Dev>>(
    x: Rows<T>,
    w: &Matrix,
    w_t: bool,
    b: Option<&Vector>,
    gelu: bool,
) -> Rows<T> {
    let (n, k) = *x.shape();
    let (rows, cols) = *w.shape();
    let (w_in, m) = if w_t { (cols.0, rows.0) } else { (rows.0, cols.0) };
    assert_eq!(k, w_in, "linear: x has {k} features, the weight expects {w_in}");
    if let Some(b) = b {
        assert_eq!(b.shape().0 .0, m, "linear: bias length differs from the weight's outputs");
    }
    let dev = x.device().clone();
    let (x, mut tape) = x.split_tape();
    let (xv, wv) = (values(&x), values(w));
    // Start from the bias in every row (or zeros); gemm then adds x W on top.
    let mut y = match b {
        Some(b) => values(b).repeat(n),
        None => vec![0.0; n * m],
    };
    gemm_rm((n, m, k), &mut y, true, &xv, false, &wv, w_t);
    // With GELU, the product stays for the backward pass with tanh of its inner polynomial.
    let (y, act) = match gelu {
        true => {
            let (out, th) = super::gelu::forward(&y);
            (out, Some((y, th)))
        }
        false => (y, None),
    };
    let out = dev.tensor_from_vec(y, (n, m));
    if T::OWNS_TAPE {
        let (x_g, out_g, w, b) = (x.ghost(), out.ghost(), w.clone(), b.cloned());
        tape.add_backward_op(move |grads| {
            grads.try_alloc_for(&x_g)?;
            grads.try_alloc_for(&w)?;
            if let Some(b) = &b {
                grads.try_alloc_for(b)?;
            }
            // The output's gradient is taken out for good (the module docs say why).
            let mut dy = std::mem::take(&mut **grads.get_or_alloc_mut(&out_g)?);
            if let Some((pre, th)) = &act {
                super::gelu::backward_in_place(&mut dy, pre, th); // now d(x W + b)
            }
            // dx += dy Wᵀ: (N, out) · (out, in).
            gemm_rm((n, k, m), grads.get_or_alloc_mut(&x_g)?, true, &dy, false, &wv, !w_t);
            if w_t {
                // dW += dyᵀ x: (out, N) · (N, in), W being stored (out, in).
                gemm_rm((m, k, n), grads.get_or_alloc_mut(&w)?, true, &dy, true, &xv, false);
            } else {
                // dW += xᵀ dy: (in, N) · (N, out).
                gemm_rm((k, m, n), grads.get_or_alloc_mut(&w)?, true, &xv, true, &dy, false);
            }
            // db += the column sums of dy.
            if let Some(b) = &b {
                let db = grads.get_or_alloc_mut(b)?;
                for row in dy.chunks_exact(m) {
                    super::add_into(db, row);
                }
            }
            Ok(())
        });
    }
    out.put_tape(tape)
}

#[cfg(test)]
mod tests;
