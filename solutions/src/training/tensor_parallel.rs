//! §4.3 Tensor parallelism (张量并行): one GPT block's matrices split across N workers.
//!
//! Paper: Shoeybi et al. 2019, "Megatron-LM: Training Multi-Billion Parameter Language
//! Models Using Model Parallelism", arXiv 1909.08053, §3 (Figures 3 and 4). PyTorch:
//! Megatron-Core's `ColumnParallelLinear` and `RowParallelLinear`, and
//! `torch.distributed.tensor.parallel`'s `ColwiseParallel` / `RowwiseParallel`.
//!
//! The MLP's first matrix A (C, 4C) is split by columns, so each rank computes its own
//! block of hidden features and applies the GeLU to it alone; the second matrix B (4C, C)
//! is split by rows, so each rank's hidden block multiplies its rows of B and yields a
//! partial sum of the output, which one all-reduce completes. Attention splits the same
//! way by heads: each rank's Q, K and V are the columns of its heads, and the output
//! projection is split by rows. Two operators mark the communication: f (identity forward,
//! all-reduce of the input's gradient backward) before each sub-layer, and g (all-reduce
//! forward, identity backward) after it: two all-reduces forward and two backward per
//! block. Everything runs on the simulated cluster of [`super::cluster`].

use crate::architectures::gpt::{Attention, Block, Conv1D, Mlp, Positions, Stream};
use crate::architectures::params::{mat, vector};
use crate::foundations::self_attention::{
    merge_heads, scaled_dot_product_attention, split_heads, Mask,
};
use crate::kernels::gelu::gelu_tanh;
use crate::training::cluster::{Comm, CommError, Traffic};
use crate::training::ring_allreduce::{ring_allreduce, ring_bytes_sent_per_worker, ReduceOp};
use crate::Dev;
use dfdx::prelude::*;
use std::ops::Range;

/// The block of `len` features that rank `rank` of `world` owns: `rank·len/world ..
/// (rank+1)·len/world`. Megatron requires `world` to divide `len` (heads, hidden width).
///
/// # Panics
/// If `world` does not divide `len`.
pub fn shard(len: usize, world: usize, rank: usize) -> Range<usize> {
    assert!(len.is_multiple_of(world), "{len} features do not split evenly over {world} ranks");
    let w = len / world;
    rank * w..(rank + 1) * w
}

/// `x · W[:, cols] + b[cols]`: the columns `cols` of a linear layer, (n, in) -> (n, |cols|).
fn columns<T: Tape<f32, Dev>>(x: Stream<T>, layer: &Conv1D, cols: Range<usize>) -> Stream<T> {
    let w = mat::<T>(&layer.weight).slice((.., cols.clone())); // (in, |cols|)
    let y = x.matmul(w); // (n, |cols|)
    let shape = *y.shape();
    y + vector::<T>(&layer.bias).slice((cols,)).broadcast_like::<_, Axis<0>>(&shape)
}

// ANCHOR: column_parallel
/// Column-parallel linear layer (Megatron's `ColumnParallelLinear` without gathering the
/// output): rank r of N computes its block of output features, `x · A[:, cols_r] +
/// a[cols_r]`, from the whole input x (n, in); the result is (n, out/N). No communication
/// forward: the input is already on every rank (operator f is the identity here). Its
/// backward partner is f's all-reduce: each rank's gradient of x is only its block's share.
///
/// Worked example: x = [[1, 2]], A = [[1, 2, 3, 4], [5, 6, 7, 8]], a = [0.5, 0, 0, −1],
/// 2 ranks. xA + a = [11.5, 14, 17, 19]; rank 0 returns [[11.5, 14]], rank 1 [[17, 19]].
pub fn column_parallel<T: Tape<f32, Dev>>(comm: &Comm, x: Stream<T>, layer: &Conv1D) -> Stream<T> {
    let out = layer.weight.shape().1 .0;
    // Subtle: the columns, not the rows, so that each rank's block of the output is
    // complete: an element-wise GeLU can then run on it with no communication.
    columns(x, layer, shard(out, comm.world_size(), comm.rank()))
}
// ANCHOR_END: column_parallel

// ANCHOR: g_all_reduce
/// Operator g: all-reduce forward (sum the ranks' partial outputs), identity backward (the
/// gradient of the sum with respect to each rank's partial is the gradient of the sum).
///
/// Subtle: the sum arrives as plain numbers, off the tape. Adding `partial − partial`
/// (exactly zero, on the tape) keeps the identity backward and leaves the values equal, to
/// the bit, on every rank.
pub fn g_all_reduce<T: Tape<f32, Dev>>(
    comm: &mut Comm,
    partial: Stream<T>,
) -> Result<Stream<T>, CommError> {
    let (dev, shape) = (partial.device().clone(), *partial.shape());
    let values = partial.as_vec();
    let mut sum = values.clone();
    ring_allreduce(comm, &mut sum, ReduceOp::Sum)?;
    let frozen = dev.tensor_from_vec(values, shape);
    Ok((partial - frozen) + dev.tensor_from_vec(sum, shape))
}
// ANCHOR_END: g_all_reduce

/// Operator f's backward: all-reduce (sum) each rank's share of the gradient of the
/// sub-layer's input, which every rank used whole. Its forward is the identity.
pub fn f_all_reduce_grad(comm: &mut Comm, grad: &mut [f32]) -> Result<(), CommError> {
    ring_allreduce(comm, grad, ReduceOp::Sum)
}

// ANCHOR: row_parallel
/// Row-parallel linear layer (Megatron's `RowParallelLinear` with a split input): rank r
/// holds its block of the input features, `x_r` (n, in/N), multiplies it by its rows of B,
/// and the all-reduce g sums the N partial products; the bias is added once, after the
/// sum. Every rank returns the whole output x·B + b, (n, out).
///
/// Worked example: x = [[1, 2, 3, 4]], B = [[1], [2], [3], [4]], b = [10], 2 ranks.
/// Rank 0 holds [[1, 2]] and computes 1 + 4 = 5, rank 1 holds [[3, 4]] and computes
/// 9 + 16 = 25; after the all-reduce both return [[5 + 25 + 10]] = [[40]].
pub fn row_parallel<T: Tape<f32, Dev>>(
    comm: &mut Comm,
    x_r: Stream<T>,
    layer: &Conv1D,
) -> Result<Stream<T>, CommError> {
    let rows = shard(layer.weight.shape().0 .0, comm.world_size(), comm.rank());
    assert_eq!(x_r.shape().1, rows.len(), "row_parallel: x_r must be this rank's input block");
    let partial = x_r.matmul(mat::<T>(&layer.weight).slice((rows, ..))); // (n, out)
    let y = g_all_reduce(comm, partial)?;
    let shape = *y.shape();
    // Subtle: after the all-reduce. Added to each partial it would be summed N times.
    Ok(y + vector::<T>(&layer.bias).broadcast_like::<_, Axis<0>>(&shape))
}
// ANCHOR_END: row_parallel

// ANCHOR: mlp
/// This rank's part of the MLP, Megatron's Figure 3a: A split by columns, GeLU on the
/// rank's own hidden block, B split by rows, one all-reduce (g). (n, C) -> (n, C).
pub fn parallel_mlp<T: Tape<f32, Dev>>(
    comm: &mut Comm,
    x: Stream<T>,
    mlp: &Mlp,
) -> Result<Stream<T>, CommError> {
    let hidden = column_parallel(comm, x, &mlp.c_fc); // (n, 4C/N)
    row_parallel(comm, gelu_tanh(hidden), &mlp.c_proj)
}
// ANCHOR_END: mlp

// ANCHOR: attention
/// This rank's part of causal self-attention, Megatron's Figure 3b: its H/N heads' columns
/// of Q, K and V, attention within those heads alone, and the output projection split by
/// rows, one all-reduce (g). (n, C) -> (n, C) for `mask` (B, T, T).
pub fn parallel_attention<T: Tape<f32, Dev>>(
    comm: &mut Comm,
    x: Stream<T>,
    attn: &Attention,
    mask: &Mask<usize, usize, usize>,
) -> Result<Stream<T>, CommError> {
    assert_eq!(attn.positions, Positions::Learned, "this split is written for learned positions");
    let (b, t, _) = *mask.shape();
    let (c, n) = (x.shape().1, comm.world_size());
    assert!(attn.heads.is_multiple_of(n), "{} heads do not split over {n} ranks", attn.heads);
    let own = shard(c, n, comm.rank()); // this rank's heads' features
                                        // c_attn is (C, 3C) = [Q | K | V]; the rank's heads are the same block of each third.
    let head_cols = |x: Stream<T>, third: usize| {
        let y = columns(x, &attn.c_attn, third * c + own.start..third * c + own.end);
        split_heads(y.reshape_like(&(b, t, own.len())), attn.heads / n) // (B, H/N, T, D)
    };
    let q = head_cols(x.retaped::<T>(), 0);
    let k = head_cols(x.retaped::<T>(), 1);
    let v = head_cols(x, 2);
    let y = scaled_dot_product_attention(q, k, v, Some(mask)); // (B, H/N, T, D)
    let y = merge_heads(y).reshape_like(&(b * t, own.len())); // (n, C/N)
    row_parallel(comm, y, &attn.c_proj)
}
// ANCHOR_END: attention

/// The bytes of one all-reduced activation (B, T, d) in fp32, and so also the bytes a
/// pipeline stage sends to the next per micro-batch of B sequences (§4.4): B·T·d·4.
pub fn activation_bytes(batch: usize, seq: usize, d_model: usize) -> usize {
    batch * seq * d_model * 4
}

/// The bytes each of N ranks sends for one tensor-parallel all-reduce of a (B, T, d)
/// activation by a ring: 2(N − 1)/N · B·T·d·4.
pub fn tp_bytes_per_all_reduce(batch: usize, seq: usize, d_model: usize, ranks: usize) -> f64 {
    ring_bytes_sent_per_worker(ranks, activation_bytes(batch, seq, d_model) as f64)
}

/// All-reduces per block of tensor-parallel training: one g per sub-layer forward, one f
/// per sub-layer backward, two sub-layers.
pub const ALL_REDUCES_PER_BLOCK: usize = 4;

/// The GeLU (tanh form) of one value, for the measurement below.
pub fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + (0.797_884_6 * (x + 0.044_715 * x * x * x)).tanh())
}

/// Why A is not split by rows: the largest |GeLU(x₁A₁ + … + x_NA_N) − (GeLU(x₁A₁) + … +
/// GeLU(x_NA_N))| over the entries, for x (n, d) and A (d, h) row-major, the rows of A (and
/// columns of x) cut into `ranks` blocks. Each rank could compute its xᵢAᵢ, but GeLU of the
/// sum is not the sum of the GeLUs, so the sum (an all-reduce) must come first.
pub fn row_split_gelu_error(x: &[f32], a: &[f32], d: usize, h: usize, ranks: usize) -> f32 {
    let n = x.len() / d;
    let mut worst = 0.0f32;
    for i in 0..n {
        for j in 0..h {
            let part =
                |k: usize| -> f32 { shard(d, ranks, k).map(|p| x[i * d + p] * a[p * h + j]).sum() };
            let whole: f32 = (0..ranks).map(part).sum();
            let split: f32 = (0..ranks).map(|k| gelu(part(k))).sum();
            worst = worst.max((gelu(whole) - split).abs());
        }
    }
    worst
}

/// What one rank computed in [`parallel_block`]: the output and the gradient of the input
/// (the same on every rank), the gradient of each parameter in `Block`'s order (see
/// [`BLOCK_PARAMS`]; a split weight's gradient is zero outside this rank's block), and the
/// rank's traffic after the forward and after the backward.
pub struct BlockPass {
    pub out: Vec<f32>,
    pub dx: Vec<f32>,
    pub grads: Vec<Vec<f32>>,
    pub after_forward: Traffic,
    pub after_backward: Traffic,
}

/// The block's parameters, in the order of [`BlockPass::grads`] (Hugging Face's names).
pub const BLOCK_PARAMS: [&str; 12] = [
    "ln_1.weight",
    "ln_1.bias",
    "attn.c_attn.weight",
    "attn.c_attn.bias",
    "attn.c_proj.weight",
    "attn.c_proj.bias",
    "ln_2.weight",
    "ln_2.bias",
    "mlp.c_fc.weight",
    "mlp.c_fc.bias",
    "mlp.c_proj.weight",
    "mlp.c_proj.bias",
];

// ANCHOR: parallel_block
/// One rank's forward and backward of a pre-norm GPT block, `h = x + attn(ln_1(x))`, `out =
/// h + mlp(ln_2(h))`, given the gradient `dy` of the output; x and dy are (n, C) row-major
/// and the same on every rank. The LayerNorms and residuals are replicated (every rank
/// computes them whole); f sits after each LayerNorm, g after each sub-layer.
///
/// Subtle: f's all-reduce must act on the gradient of the sub-layer's *input* (the
/// LayerNorm's output), before the LayerNorm's backward and the residual's gradient join
/// in. So each sub-layer is its own tape, whose input is a leaf.
pub fn parallel_block(
    comm: &mut Comm,
    block: &Block,
    x: &[f32],
    dy: &[f32],
    mask: &Mask<usize, usize, usize>,
) -> Result<BlockPass, CommError> {
    let dev = Dev::default();
    let c = block.ln_1.weight.shape().0 .0;
    let leaf = |v: &[f32]| dev.tensor_from_vec(v.to_vec(), (v.len() / c, c)); // (n, C)
    let add = |a: &[f32], b: &[f32]| -> Vec<f32> { a.iter().zip(b).map(|(p, q)| p + q).collect() };
    // Forward: the attention sub-layer, then the MLP, each ending in g.
    let x0 = leaf(x);
    let z1 = leaf(&block.ln_1.forward(x0.clone()).as_vec());
    let y1 = parallel_attention(comm, z1.leaky_trace(), &block.attn, mask)?;
    let h = leaf(&add(x, &y1.as_vec()));
    let z2 = leaf(&block.ln_2.forward(h.clone()).as_vec());
    let y2 = parallel_mlp(comm, z2.leaky_trace(), &block.mlp)?;
    let out = add(&h.as_vec(), &y2.as_vec());
    let after_forward = comm.traffic();
    // Backward, in reverse: each sub-layer's input gradient goes through f.
    let (mut dz2, g_mlp) = vjp(y2, &z2, dy);
    f_all_reduce_grad(comm, &mut dz2)?;
    let (dh_ln, g_ln2) = vjp(block.ln_2.forward(h.leaky_trace()), &h, &dz2);
    let dh = add(dy, &dh_ln); // the residual's share plus the MLP branch's
    let (mut dz1, g_attn) = vjp(y1, &z1, &dh);
    f_all_reduce_grad(comm, &mut dz1)?;
    let (dx_ln, g_ln1) = vjp(block.ln_1.forward(x0.leaky_trace()), &x0, &dz1);
    let (ln1, ln2, (a, m)) = (&block.ln_1, &block.ln_2, (&block.attn, &block.mlp));
    let grads = vec![
        g_ln1.get(&ln1.weight).as_vec(),
        g_ln1.get(&ln1.bias).as_vec(),
        g_attn.get(&a.c_attn.weight).as_vec(),
        g_attn.get(&a.c_attn.bias).as_vec(),
        g_attn.get(&a.c_proj.weight).as_vec(),
        g_attn.get(&a.c_proj.bias).as_vec(),
        g_ln2.get(&ln2.weight).as_vec(),
        g_ln2.get(&ln2.bias).as_vec(),
        g_mlp.get(&m.c_fc.weight).as_vec(),
        g_mlp.get(&m.c_fc.bias).as_vec(),
        g_mlp.get(&m.c_proj.weight).as_vec(),
        g_mlp.get(&m.c_proj.bias).as_vec(),
    ];
    let dx = add(&dh, &dx_ln);
    Ok(BlockPass { out, dx, grads, after_forward, after_backward: comm.traffic() })
}
// ANCHOR_END: parallel_block

/// The vector-Jacobian product of one tape: the gradient of `sum(y ⊙ dy)` with respect to
/// the leaf `x`, and every gradient of that tape.
fn vjp(
    y: Stream<OwnedTape<f32, Dev>>,
    x: &Stream<NoneTape>,
    dy: &[f32],
) -> (Vec<f32>, Gradients<f32, Dev>) {
    let dy = y.device().tensor_from_vec(dy.to_vec(), *y.shape());
    let grads = (y * dy).sum::<Rank0, _>().backward();
    (grads.get(x).as_vec(), grads)
}

#[cfg(test)]
mod tests;
