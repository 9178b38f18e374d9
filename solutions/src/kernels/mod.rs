//! Fused CPU kernels for the GPT's training step (§3.5, the training benchmark).
//!
//! dfdx 0.13 builds a GPT out of many small generic ops: every head of attention is its own
//! matmul, every bias a broadcast add with a strided backward, GELU and LayerNorm five to
//! ten elementwise passes each, every pass a freshly allocated (and zeroed) buffer. On a
//! small model that overhead, not arithmetic, is most of the time (the §3.5 page has the
//! profile). PyTorch avoids it with fused ATen kernels (`F.scaled_dot_product_attention`,
//! `F.layer_norm`, `F.gelu`, `F.linear`, `F.cross_entropy`); these are ours.
//!
//! Each kernel is a custom dfdx op, built from dfdx's public API only: take the tape off the
//! input (`split_tape`), compute the output with plain Rust (or the `gemm` crate dfdx itself
//! uses, in a newer version with AVX-512 kernels), then record a hand-written backward pass
//! with `tape.add_backward_op` that reads the output's gradient and adds into the inputs'
//! gradients. Each is tested *fast against slow*: its values and every input gradient
//! equal the plain dfdx composition it replaces (in `kernels/<name>/tests.rs`).
//!
//! Each backward pass takes its output's gradient out of `grads` for good, leaving an empty
//! buffer: the tape runs in reverse, so every consumer of the output has added into it
//! already, and nothing reads it afterwards. Its memory then goes back to the allocator at
//! once, still in cache for the next buffer, instead of at the end of the backward pass.
//! (`grads` lends one buffer at a time, so it has to be taken out anyway while the inputs'
//! gradients are written.)
//!
//! Subtle: inputs must be contiguous, row-major tensors (the output of a matmul, an add, or
//! another kernel), not permuted or broadcast views: [`values`] copies the physical buffer.

pub mod attention;
pub mod cross_entropy;
pub mod gelu;
pub mod layer_norm;
pub mod linear;

use crate::Dev;
use dfdx::prelude::*;

/// The values of a contiguous tensor, in row-major order: one `memcpy` of its buffer.
///
/// dfdx 0.13 lends no `&[f32]` of a tensor's data; `as_vec` walks logical indices one by
/// one, `copy_into` copies the physical buffer, which for a contiguous tensor is the same
/// thing at memory speed.
pub fn values<S: Shape, T>(x: &Tensor<S, f32, Dev, T>) -> Vec<f32> {
    let mut out = vec![0.0; x.shape().num_elements()];
    x.copy_into(&mut out);
    out
}

/// Runs `f` compiled for AVX2 and FMA when the CPU has them (checked at run time, as the
/// `gemm` crate does), else as built: the kernels' loops then use 8-wide vectors without
/// the whole build asking for `target-cpu=native`, which would not run on older CPUs.
///
/// Subtle: the loops write `a * b + c`, never `mul_add`, so both versions round alike and
/// results do not depend on the CPU. Inlining carries the features into `f`'s body.
#[inline(always)]
pub fn simd<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
        #[target_feature(enable = "avx2,fma")]
        unsafe fn avx2<R>(f: impl FnOnce() -> R) -> R {
            f()
        }
        // SAFETY: the CPU was just found to have both features.
        return unsafe { avx2(f) };
    }
    f()
}

/// Asks glibc's allocator to keep freed memory for the next step instead of handing it back
/// to the kernel: called once by the training step (`training/data_parallel.rs`).
///
/// Every step allocates and frees the same few hundred activation and gradient buffers.
/// glibc returns large freed blocks to the kernel (`munmap`, or trimming the heap's top
/// above 128 KiB), so the next step page-faults them back in, zeroed, page by page: about
/// 2,800 faults per step of the benchmark's recipe. With the thresholds raised, the process
/// keeps them (21k faults in a 100-step run instead of 284k; 48 ms per step instead of
/// 53 ms, the best of five runs each).
/// A process setting, harmless elsewhere: it only changes when memory is given back.
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        // SAFETY: mallopt only sets two thresholds of the allocator, before or between
        // allocations; it is thread-safe in glibc.
        ONCE.call_once(|| unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 64 << 20);
            libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
        });
    }
}

/// Independent partial sums in the reductions below: a float sum in one running total
/// is a chain of dependent additions, one every 4 cycles; eight chains let the compiler
/// keep one 8-wide vector of them (the order of the additions, and so the rounding, is
/// fixed: results do not depend on the CPU).
const LANES: usize = 8;

/// Σᵢ f(a[i], b[i]) over two slices of equal length, in [`LANES`] partial sums. With its
/// row sums in one chain each, LayerNorm took 6.1 % of the training step (perf); in lanes,
/// 3.1 %.
#[inline(always)]
pub fn sum_zip(a: &[f32], b: &[f32], f: impl Fn(f32, f32) -> f32) -> f32 {
    assert_eq!(a.len(), b.len(), "sum_zip: lengths differ");
    let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let tail: f32 = ca.remainder().iter().zip(cb.remainder()).map(|(&x, &y)| f(x, y)).sum();
    let mut lanes = [0.0f32; LANES];
    for (x, y) in ca.zip(cb) {
        for l in 0..LANES {
            lanes[l] += f(x[l], y[l]);
        }
    }
    lanes.iter().sum::<f32>() + tail
}

/// Σᵢ a[i]·b[i], in lanes.
#[inline(always)]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    sum_zip(a, b, |x, y| x * y)
}

/// Σᵢ a[i], in lanes.
#[inline(always)]
pub fn sum(a: &[f32]) -> f32 {
    sum_zip(a, a, |x, _| x)
}

/// The largest value of `a` (−∞ for none), in lanes.
#[inline(always)]
pub fn max(a: &[f32]) -> f32 {
    let chunks = a.chunks_exact(LANES);
    let tail = chunks.remainder().iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut lanes = [f32::NEG_INFINITY; LANES];
    for x in chunks {
        for l in 0..LANES {
            lanes[l] = lanes[l].max(x[l]);
        }
    }
    lanes.iter().copied().fold(tail, f32::max)
}

/// `dst[i] += src[i]`: how a backward pass hands a gradient to an input, since an input
/// used twice (the residual stream) must receive the sum of both gradients.
#[inline(always)]
pub fn add_into(dst: &mut [f32], src: &[f32]) {
    assert_eq!(dst.len(), src.len(), "gradient lengths differ");
    dst.iter_mut().zip(src).for_each(|(d, s)| *d += s);
}

#[cfg(test)]
mod tests;

/// What the fast-against-slow tests share: seeded inputs and a random loss weighting.
#[cfg(test)]
pub(crate) mod testing {
    use crate::architectures::params::{Dyn, Vector};
    use crate::Dev;
    use dfdx::prelude::*;

    /// A seeded (rows, cols) tensor of N(0, 1) values.
    pub fn normal_rows(dev: &Dev, rows: usize, cols: usize) -> Tensor<(usize, usize), f32, Dev> {
        dev.sample_normal_like(&(rows, cols))
    }

    /// A seeded parameter vector of N(mean, 1) values (a gain near 1, a bias near 0).
    pub fn normal_vector(dev: &Dev, n: usize, mean: f32) -> Vector {
        dev.sample_normal_like(&(Dyn(n),)) + mean
    }

    /// Σ y ⊙ r for a fixed random r: a scalar whose gradient dy = r is no special case
    /// (a plain `sum` would send the same gradient to every element and hide index bugs).
    pub fn weighted_sum<T: Tape<f32, Dev>>(
        y: Tensor<(usize, usize), f32, Dev, T>,
        seed: u64,
    ) -> Tensor<(), f32, Dev, T> {
        let r: Tensor<(usize, usize), f32, Dev> =
            Dev::seed_from_u64(seed).sample_normal_like(y.shape());
        (y * r).sum()
    }
}
