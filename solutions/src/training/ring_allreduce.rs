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

#[cfg(test)]
mod tests;
