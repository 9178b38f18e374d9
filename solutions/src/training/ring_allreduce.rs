//! §4.2 Data parallelism and ring all-reduce (数据并行与 Ring All-Reduce).
//!
//! Paper: Patarasuk & Yuan 2009, "Bandwidth optimal all-reduce algorithms for clusters of
//! workstations" (J. Parallel Distrib. Comput. 69(2)); popularised for deep learning by
//! Baidu's 2017 ring all-reduce and Horovod (Sergeev & Del Balso, arXiv 1802.05799).
//! PyTorch: `torch.distributed.all_reduce`, which `DistributedDataParallel` calls on
//! gradient buckets (NCCL uses a ring or a tree).
//!
//! Each of the $N$ workers cuts its buffer of $S$ bytes into $N$ chunks. In the
//! reduce-scatter phase ($N-1$ steps) each worker sends one chunk to its right neighbour
//! and adds the chunk it receives, so that afterwards each worker owns one fully summed
//! chunk. In the all-gather phase ($N-1$ more steps) the summed chunks travel round the
//! ring. Each worker therefore sends $2(N-1)$ chunks of $S/N$ bytes.
//!
//! [`reduce_scatter`], [`all_gather`] and [`ring_allreduce`] run that algorithm for real on
//! the simulated cluster of [`super::cluster`], where the bytes are measured, not derived.

use crate::training::cluster::{Comm, CommError};
use std::ops::Range;

/// The bytes each worker sends in a ring all-reduce of `bytes` = $S$ over `workers` = $N$:
/// $2\,\dfrac{N-1}{N}\,S$. It tends to $2S$ and does not grow with $N$, which is why the
/// ring scales.
///
/// ```
/// use solutions::training::ring_allreduce::ring_bytes_sent_per_worker;
/// // 4 workers, 1 GB of gradients: each sends 1.5 GB.
/// assert_eq!(ring_bytes_sent_per_worker(4, 1e9), 1.5e9);
/// ```
///
/// # Panics
/// If `workers` is 0.
// ANCHOR: ring_bytes_sent_per_worker
pub fn ring_bytes_sent_per_worker(workers: usize, bytes: f64) -> f64 {
    assert!(workers > 0, "a ring needs at least one worker");
    let n = workers as f64;
    // Two phases of N − 1 steps, one chunk of S/N bytes per step.
    2.0 * (n - 1.0) * (bytes / n)
}
// ANCHOR_END: ring_bytes_sent_per_worker

/// For contrast: the bytes a central parameter server receives when each of `workers`
/// pushes its `bytes` of gradients (it then sends as much back). This grows linearly with
/// $N$ and all of it passes through the server's one link.
pub fn parameter_server_bytes_received(workers: usize, bytes: f64) -> f64 {
    workers as f64 * bytes
}

/// How [`ring_allreduce`] combines the workers' buffers (`torch.distributed.ReduceOp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReduceOp {
    Sum,
    /// The mean over the workers: DDP's gradient averaging (`ReduceOp.AVG`).
    Avg,
}

/// The `i`-th of `n` nearly equal chunks of a buffer of `len` values, `i·len/n ..
/// (i+1)·len/n`: lengths differ by at most one, and every value belongs to exactly one
/// chunk, for any `len` and `n` (even `len < n`, where some chunks are empty).
pub fn chunk(len: usize, n: usize, i: usize) -> Range<usize> {
    i * len / n..(i + 1) * len / n
}

/// Ring reduce-scatter (`dist.reduce_scatter`): afterwards rank r's chunk r of `data`
/// holds the sum over all ranks of that chunk; the other chunks hold partial sums. Each
/// rank sends N − 1 chunks.
pub fn reduce_scatter(comm: &mut Comm, data: &mut [f32]) -> Result<(), CommError> {
    let (r, n) = (comm.rank(), comm.world_size());
    let (right, left) = ((r + 1) % n, (r + n - 1) % n);
    for step in 0..n.saturating_sub(1) {
        // Step s: pass on chunk r − s − 1 (which has s + 1 contributions so far) and add
        // the left neighbour's chunk r − s − 2 into ours. After N − 1 steps chunk r has
        // gone all the way round and holds every rank's contribution.
        let send = chunk(data.len(), n, (r + 2 * n - step - 1) % n);
        comm.send(right, &data[send])?;
        let recv = chunk(data.len(), n, (r + 2 * n - step - 2) % n);
        let incoming = comm.recv(left)?;
        data[recv].iter_mut().zip(&incoming).for_each(|(d, x)| *d += x);
    }
    Ok(())
}

/// Ring all-gather (`dist.all_gather`): rank r contributes chunk r of `data`, and
/// afterwards every rank holds every rank's chunk. Each rank sends N − 1 chunks.
pub fn all_gather(comm: &mut Comm, data: &mut [f32]) -> Result<(), CommError> {
    let (r, n) = (comm.rank(), comm.world_size());
    let (right, left) = ((r + 1) % n, (r + n - 1) % n);
    for step in 0..n.saturating_sub(1) {
        // Step s: pass on chunk r − s (ours at s = 0, then the one just received).
        let send = chunk(data.len(), n, (r + n - step) % n);
        comm.send(right, &data[send])?;
        let recv = chunk(data.len(), n, (r + 2 * n - step - 1) % n);
        let incoming = comm.recv(left)?;
        data[recv].copy_from_slice(&incoming);
    }
    Ok(())
}

/// Ring all-reduce (`dist.all_reduce`), as NCCL's ring does it: reduce-scatter, then
/// all-gather. Afterwards every rank's `data` holds the sum (or the mean) over the ranks.
///
/// Worked example, 2 ranks, `[1, 2, 3]` and `[10, 20, 30]`, `Avg`: chunks `0..1` and
/// `1..3`. Reduce-scatter: rank 0 sends chunk 1 `[2, 3]` and rank 1 sends chunk 0 `[10]`;
/// rank 0 now owns `[11]`, rank 1 owns `[22, 33]`. Each divides its chunk by 2, then
/// all-gather swaps them: both hold `[5.5, 11, 16.5]`. Rank 0 sent 2 + 1 values, 12 bytes.
///
/// Subtle: the division by N happens once, on the owned chunk between the two phases;
/// dividing before the reduce-scatter is the same in exact arithmetic but not in floats.
// ANCHOR: ring_allreduce
pub fn ring_allreduce(comm: &mut Comm, data: &mut [f32], op: ReduceOp) -> Result<(), CommError> {
    let n = comm.world_size();
    reduce_scatter(comm, data)?;
    if op == ReduceOp::Avg {
        let own = chunk(data.len(), n, comm.rank());
        data[own].iter_mut().for_each(|x| *x /= n as f32);
    }
    all_gather(comm, data)
}
// ANCHOR_END: ring_allreduce

/// For contrast, all-reduce through a parameter server at rank `server`: every other rank
/// sends its whole buffer to the server, which adds them and sends the result back. The
/// server's buffer is not counted in (it holds no data of its own); `data` on the server
/// is overwritten with the result. The server receives (N − 1)·S bytes and sends as many.
pub fn parameter_server_allreduce(
    comm: &mut Comm,
    data: &mut [f32],
    server: usize,
    op: ReduceOp,
) -> Result<(), CommError> {
    let (r, n) = (comm.rank(), comm.world_size());
    if r == server {
        let workers: Vec<usize> = (0..n).filter(|&p| p != server).collect();
        data.iter_mut().for_each(|x| *x = 0.0);
        for &p in &workers {
            let g = comm.recv(p)?;
            data.iter_mut().zip(&g).for_each(|(d, x)| *d += x);
        }
        if op == ReduceOp::Avg {
            data.iter_mut().for_each(|x| *x /= workers.len() as f32);
        }
        for &p in &workers {
            comm.send(p, data)?;
        }
    } else {
        comm.send(server, data)?;
        data.copy_from_slice(&comm.recv(server)?);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
