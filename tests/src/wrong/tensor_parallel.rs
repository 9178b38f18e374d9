//! §4.3: plausible wrong column- and row-parallel layers.

use crate::gradient::Tr;
use dfdx::prelude::*;
use solutions::architectures::gpt::Conv1D;
use solutions::architectures::params::{mat, vector};
use solutions::training::cluster::{Comm, CommError};
use solutions::training::ring_allreduce::{ring_allreduce, ReduceOp};
use solutions::training::tensor_parallel::{column_parallel, shard};
use solutions::Dev;

type Rows = Tensor<(usize, usize), f32, Dev, Tr>;

/// `x W + b` restricted to input rows `rows` and output columns `cols`.
fn part(
    x: Rows,
    layer: &Conv1D,
    rows: std::ops::Range<usize>,
    cols: std::ops::Range<usize>,
    bias: bool,
) -> Rows {
    let y = x.matmul(mat::<Tr>(&layer.weight).slice((rows, cols.clone())));
    let shape = *y.shape();
    if bias {
        y + vector::<Tr>(&layer.bias).slice((cols,)).broadcast_like::<_, Axis<0>>(&shape)
    } else {
        y
    }
}

/// The split on the wrong axis: rank r takes its rows of W (and the matching input
/// features), giving a partial sum of every output instead of a block of outputs.
pub fn column_on_rows(c: &Comm, x: Rows, layer: &Conv1D) -> Rows {
    let (d_in, d_out) = (layer.weight.shape().0 .0, layer.weight.shape().1 .0);
    let rows = shard(d_in, c.world_size(), c.rank());
    let x_r = x.slice((.., rows.clone()));
    part(x_r, layer, rows, 0..d_out, true)
}
/// Every rank computes rank 0's columns.
pub fn column_ignores_rank(c: &Comm, x: Rows, layer: &Conv1D) -> Rows {
    let d_out = layer.weight.shape().1 .0;
    part(x, layer, 0..layer.weight.shape().0 .0, shard(d_out, c.world_size(), 0), true)
}
/// Right values, through a copy that drops the tape.
pub fn column_off_tape(c: &Comm, x: Rows, layer: &Conv1D) -> Rows {
    super::through_vec(column_parallel(c, x, layer))
}
/// The row-parallel product without the all-reduce: each rank returns its partial sum.
pub fn row_without_all_reduce(c: &mut Comm, x_r: Rows, layer: &Conv1D) -> Result<Rows, CommError> {
    let (d_in, d_out) = (layer.weight.shape().0 .0, layer.weight.shape().1 .0);
    Ok(part(x_r, layer, shard(d_in, c.world_size(), c.rank()), 0..d_out, true))
}
/// The bias added to every rank's partial product, then all-reduced: N copies of it.
pub fn row_bias_on_every_rank(c: &mut Comm, x_r: Rows, layer: &Conv1D) -> Result<Rows, CommError> {
    let (d_in, d_out) = (layer.weight.shape().0 .0, layer.weight.shape().1 .0);
    let partial = part(x_r, layer, shard(d_in, c.world_size(), c.rank()), 0..d_out, true);
    let (dev, shape) = (partial.device().clone(), *partial.shape());
    let mut sum = partial.as_vec();
    ring_allreduce(c, &mut sum, ReduceOp::Sum)?;
    let frozen = dev.tensor_from_vec(partial.as_vec(), shape);
    Ok((partial - frozen) + dev.tensor_from_vec(sum, shape))
}
/// The right values, but the all-reduced sum replaces the partial product off the tape.
pub fn row_off_tape(c: &mut Comm, x_r: Rows, layer: &Conv1D) -> Result<Rows, CommError> {
    let y = solutions::training::tensor_parallel::row_parallel(c, x_r, layer)?;
    Ok(super::through_vec(y))
}
