//! §4.2: plausible wrong all-reduces.

use solutions::training::cluster::{Comm, CommError};
use solutions::training::ring_allreduce::{all_gather, ring_allreduce, ReduceOp};

/// The all-gather phase alone: chunks are passed round but never summed.
pub fn ring_gather_only(c: &mut Comm, data: &mut [f32], _op: ReduceOp) -> Result<(), CommError> {
    all_gather(c, data)
}
/// A sum, whatever `op` says.
pub fn ring_always_sum(c: &mut Comm, data: &mut [f32], _op: ReduceOp) -> Result<(), CommError> {
    ring_allreduce(c, data, ReduceOp::Sum)
}
/// Right values, by sending the whole buffer to every rank: (N − 1)·S bytes each.
pub fn all_to_all(c: &mut Comm, data: &mut [f32], op: ReduceOp) -> Result<(), CommError> {
    let (r, n) = (c.rank(), c.world_size());
    for p in (0..n).filter(|&p| p != r) {
        c.send(p, data)?;
    }
    let mine = data.to_vec();
    data.iter_mut().for_each(|x| *x = 0.0);
    for p in 0..n {
        let got = if p == r { mine.clone() } else { c.recv(p)? };
        data.iter_mut().zip(&got).for_each(|(d, x)| *d += x);
    }
    if op == ReduceOp::Avg {
        data.iter_mut().for_each(|x| *x /= n as f32);
    }
    Ok(())
}
