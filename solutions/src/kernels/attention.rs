//! Causal multi-head attention over all heads in one op, with an optional ALiBi bias.
//!
//! Paper: Vaswani et al. 2017 (scaled dot-product attention); Press et al. 2021, *Train
//! Short, Test Long* (ALiBi, arXiv 2108.12409). PyTorch:
//! `F.scaled_dot_product_attention(q, k, v, is_causal=True)` (with `attn_mask` = the ALiBi
//! bias when slopes are given).
//!
//! The readable composition (§1.1's `scaled_dot_product_attention` after `split_heads`)
//! costs, per layer, a permute copy of q, k and v, one small matmul per (batch, head) for
//! the scores and another for the output, a mask add, a softmax and their backward passes,
//! each a fresh buffer. Here the queries, keys and values are read in place from the
//! (N, 3C) output of `c_attn` (or from three (N, C) tensors, as RoPE produces them), the
//! causal mask is applied in the softmax, each head's products are small gemms, and the
//! output is written straight in the merged (N, C) layout `c_proj` reads. The forward keeps
//! the attention weights P (B, H, T, T) for the backward pass, which is the textbook one:
//! dV = Pᵀ dY, dP = dY Vᵀ, dS = P ⊙ (dP − rowsum(P ⊙ dP)), dQ = dS K / √D, dK = dSᵀ Q / √D.
//!
//! ALiBi: head h adds `slope_h · (j − i)` to the score of query i against key j ≤ i (a
//! linear penalty on distance, no learned positions); the slopes are constants, so they
//! get no gradient. With `None` this is plain causal attention, as GPT-2 and RoPE use it.

use super::linear::{gemm_rm, Rows};
use super::values;
use crate::Dev;
use dfdx::prelude::*;

/// Where head `h`'s vectors of one kind (q, k or v) live in a row-major buffer: row `r`
/// (token `b·T + t`) holds them at `data[r·stride + offset + h·D ..][..D]`.
#[derive(Clone, Copy)]
struct Part<'a> {
    data: &'a [f32],
    stride: usize,
    offset: usize,
}

/// The sizes of one call: B sequences of T tokens, H heads of D features.
#[derive(Clone, Copy)]
struct Dims {
    b: usize,
    t: usize,
    h: usize,
    d: usize,
}

impl Part<'_> {
    /// Copies head `h` of sequence `b` into a contiguous (T, D) block.
    #[inline(always)]
    fn load(&self, dims: Dims, b: usize, h: usize, dst: &mut [f32]) {
        let Dims { t, d, .. } = dims;
        for i in 0..t {
            let start = (b * t + i) * self.stride + self.offset + h * d;
            dst[i * d..(i + 1) * d].copy_from_slice(&self.data[start..start + d]);
        }
    }
}

/// Causal self-attention reading the fused (N, 3C) `qkv` = [q | k | v] of `c_attn`,
/// N = `batch`·T, returning the heads' outputs merged, (N, C). `alibi`: one slope per head.
pub fn causal_self_attention<T: Tape<f32, Dev>>(
    qkv: Rows<T>,
    batch: usize,
    heads: usize,
    alibi: Option<&[f32]>,
) -> Rows<T> {
    let (n, c3) = *qkv.shape();
    let c = c3 / 3;
    let dims = dims(n, c, batch, heads, alibi);
    let dev = qkv.device().clone();
    let (qkv, mut tape) = qkv.split_tape();
    let data = values(&qkv);
    let part = |offset| Part { data: &data, stride: c3, offset };
    let (y, p) = forward(dims, [part(0), part(c), part(2 * c)], alibi);
    let out = dev.tensor_from_vec(y, (n, c));
    if T::OWNS_TAPE {
        let (in_g, out_g) = (qkv.ghost(), out.ghost());
        tape.add_backward_op(move |grads| {
            grads.try_alloc_for(&in_g)?;
            let dy = std::mem::take(&mut **grads.get_or_alloc_mut(&out_g)?);
            let dqkv = grads.get_or_alloc_mut(&in_g)?;
            let part = |offset| Part { data: &data, stride: c3, offset };
            let parts = [part(0), part(c), part(2 * c)];
            backward(dims, parts, &p, &dy, |kind, b, h, i, g| {
                let start = (b * dims.t + i) * c3 + kind * c + h * dims.d;
                super::add_into(&mut dqkv[start..start + dims.d], g);
            });
            Ok(())
        });
    }
    out.put_tape(tape)
}

/// Causal attention of separate queries, keys and values, each (N, C) with the heads side
/// by side (as after RoPE), returning (N, C). `alibi`: one slope per head.
pub fn causal_attention<T: Tape<f32, Dev>>(
    q: Rows<T>,
    k: Rows<T>,
    v: Rows<T>,
    batch: usize,
    heads: usize,
    alibi: Option<&[f32]>,
) -> Rows<T> {
    let (n, c) = *q.shape();
    assert!(*k.shape() == (n, c) && *v.shape() == (n, c), "q, k and v must all be (N, C)");
    let dims = dims(n, c, batch, heads, alibi);
    let dev = q.device().clone();
    let (q, tq) = q.split_tape();
    let (k, tk) = k.split_tape();
    let (v, tv) = v.split_tape();
    let mut tape = tq.merge(tk).merge(tv);
    let data = [values(&q), values(&k), values(&v)];
    let (y, p) = forward(dims, separate(&data, c), alibi);
    let out = dev.tensor_from_vec(y, (n, c));
    if T::OWNS_TAPE {
        let ins = [q.ghost(), k.ghost(), v.ghost()];
        let out_g = out.ghost();
        tape.add_backward_op(move |grads| {
            // One (N, C) gradient per input, gathered here and added in at the end.
            let mut d_in = [vec![0.0; n * c], vec![0.0; n * c], vec![0.0; n * c]];
            let dy = std::mem::take(&mut **grads.get_or_alloc_mut(&out_g)?);
            backward(dims, separate(&data, c), &p, &dy, |kind, b, h, i, g| {
                let start = (b * dims.t + i) * c + h * dims.d;
                super::add_into(&mut d_in[kind][start..start + dims.d], g);
            });
            for (g, d) in ins.iter().zip(&d_in) {
                super::add_into(grads.get_or_alloc_mut(g)?, d);
            }
            Ok(())
        });
    }
    out.put_tape(tape)
}

/// Three separate (N, C) buffers as the parts q, k, v.
fn separate(data: &[Vec<f32>; 3], c: usize) -> [Part<'_>; 3] {
    [0, 1, 2].map(|i| Part { data: &data[i], stride: c, offset: 0 })
}

/// Checks the sizes and names them.
fn dims(n: usize, c: usize, b: usize, h: usize, alibi: Option<&[f32]>) -> Dims {
    assert!(b > 0 && n.is_multiple_of(b), "{n} tokens do not split into {b} sequences");
    assert!(h > 0 && c.is_multiple_of(h), "width {c} is not divisible by {h} heads");
    if let Some(s) = alibi {
        assert_eq!(s.len(), h, "ALiBi needs one slope per head: {} slopes, {h} heads", s.len());
    }
    Dims { b, t: n / b, h, d: c / h }
}

/// The output (N, C) and the attention weights P (B, H, T, T), zero above the diagonal.
///
/// The B·H heads are independent, so rayon spreads them over its threads (each head's
/// work, ~10⁵ multiply-adds, is large enough to pay for the hand-off).
fn forward(dims: Dims, parts: [Part; 3], alibi: Option<&[f32]>) -> (Vec<f32>, Vec<f32>) {
    use rayon::prelude::*;
    let Dims { b, t, h, d } = dims;
    let mut p = vec![0.0; b * h * t * t];
    let heads: Vec<Vec<f32>> = p
        .par_chunks_mut(t * t)
        .with_min_len(super::linear::min_task_len(b * h))
        .enumerate()
        .map(|(bh, p_bh)| {
            let slope = alibi.map_or(0.0, |s| s[bh % h]);
            super::simd(|| head_forward(dims, parts, bh / h, bh % h, slope, p_bh))
        })
        .collect();
    // Scatter each head's (T, D) block into the merged (N, C) layout.
    let mut y = vec![0.0; b * t * h * d];
    for (bh, y_bh) in heads.iter().enumerate() {
        let (bi, hh) = (bh / h, bh % h);
        for i in 0..t {
            let start = (bi * t + i) * h * d + hh * d;
            y[start..start + d].copy_from_slice(&y_bh[i * d..(i + 1) * d]);
        }
    }
    (y, p)
}

/// One head of one sequence: fills its weights `p_bh` (T, T) and returns its output (T, D).
///
/// Two small gemms, S = Q Kᵀ and Y = P V, over the full square: computing the masked half
/// too costs fewer cycles than skipping it with scalar loops (gemm's microkernel runs many
/// times faster than a row-by-row axpy at D = 32). The mask is applied in the softmax, and
/// P is left exactly zero above the diagonal, which the backward gemms rely on.
#[inline(always)]
fn head_forward(
    dims: Dims,
    [q, k, v]: [Part; 3],
    bi: usize,
    hh: usize,
    slope: f32,
    p_bh: &mut [f32],
) -> Vec<f32> {
    let Dims { t, d, .. } = dims;
    let scale = 1.0 / (d as f32).sqrt();
    let [mut qh, mut kh, mut vh, mut y] = [(); 4].map(|_| vec![0.0; t * d]);
    q.load(dims, bi, hh, &mut qh);
    k.load(dims, bi, hh, &mut kh);
    v.load(dims, bi, hh, &mut vh);
    gemm_rm((t, t, d), p_bh, false, &qh, false, &kh, true); // S = Q Kᵀ
    for (i, row) in p_bh.chunks_exact_mut(t).enumerate() {
        let (seen, masked) = row.split_at_mut(i + 1); // keys 0..=i: the causal mask
        for (j, s) in seen.iter_mut().enumerate() {
            *s = *s * scale + slope * (j as f32 - i as f32);
        }
        softmax_in_place(seen);
        masked.fill(0.0);
    }
    gemm_rm((t, d, t), &mut y, false, p_bh, false, &vh, false); // Y = P V
    y
}

/// The backward pass of [`forward`]: for each (b, h) it calls `store(kind, b, h, i, g)`
/// with the gradient `g` (D values) of token i's query (kind 0), key (1) or value (2).
/// ALiBi needs nothing here: it only shifted the scores, and P, saved, already has it.
fn backward(
    dims: Dims,
    parts: [Part; 3],
    p: &[f32],
    dy: &[f32],
    mut store: impl FnMut(usize, usize, usize, usize, &[f32]),
) {
    use rayon::prelude::*;
    let Dims { b, t, h, d } = dims;
    let heads: Vec<[Vec<f32>; 3]> = p
        .par_chunks(t * t)
        .with_min_len(super::linear::min_task_len(b * h))
        .enumerate()
        .map(|(bh, p_bh)| super::simd(|| head_backward(dims, parts, bh / h, bh % h, p_bh, dy)))
        .collect();
    for (bh, grads) in heads.iter().enumerate() {
        for i in 0..t {
            for (kind, g) in grads.iter().enumerate() {
                store(kind, bh / h, bh % h, i, &g[i * d..(i + 1) * d]);
            }
        }
    }
}

/// One head of one sequence: the gradients (T, D) of its queries, keys and values, as four
/// small gemms around the softmax's row-wise backward.
#[inline(always)]
fn head_backward(
    dims: Dims,
    [q, k, v]: [Part; 3],
    bi: usize,
    hh: usize,
    p_bh: &[f32],
    dy: &[f32],
) -> [Vec<f32>; 3] {
    let Dims { t, h, d, .. } = dims;
    let scale = 1.0 / (d as f32).sqrt();
    let dyp = Part { data: dy, stride: h * d, offset: 0 };
    let [mut qh, mut kh, mut vh, mut dyh] = [(); 4].map(|_| vec![0.0; t * d]);
    let [mut dq, mut dk, mut dv] = [(); 3].map(|_| vec![0.0; t * d]);
    let mut ds = vec![0.0; t * t];
    q.load(dims, bi, hh, &mut qh);
    k.load(dims, bi, hh, &mut kh);
    v.load(dims, bi, hh, &mut vh);
    dyp.load(dims, bi, hh, &mut dyh);
    // dV = Pᵀ dY and dP = dY Vᵀ.
    gemm_rm((t, d, t), &mut dv, false, p_bh, true, &dyh, false);
    gemm_rm((t, t, d), &mut ds, false, &dyh, false, &vh, true);
    // The softmax's backward: dS = P ⊙ (dP − Σ_j P dP), with the 1/√D folded in. Where P is
    // zero (above the diagonal) dS is zero too, so the mask needs no special case.
    for (row, dp) in p_bh.chunks_exact(t).zip(ds.chunks_exact_mut(t)) {
        let dot = super::dot(row, dp);
        dp.iter_mut().zip(row).for_each(|(g, p)| *g = p * (*g - dot) * scale);
    }
    gemm_rm((t, d, t), &mut dq, false, &ds, false, &kh, false); // dQ = dS K
    gemm_rm((t, d, t), &mut dk, false, &ds, true, &qh, false); // dK = dSᵀ Q
    [dq, dk, dv]
}

/// A numerically stable softmax of one row, in place (the max is subtracted first).
#[inline(always)]
fn softmax_in_place(row: &mut [f32]) {
    let max = super::max(row);
    let mut sum = 0.0;
    for s in row.iter_mut() {
        *s = (*s - max).exp();
        sum += *s;
    }
    let inv = 1.0 / sum;
    row.iter_mut().for_each(|s| *s *= inv);
}

#[cfg(test)]
mod tests;
