//! Graded suite for §4.2's ring all-reduce, run on the simulated cluster
//! (`solutions::training::cluster`): the values against a plain sum over the ranks, and
//! the bytes each rank sends against 2(N − 1)/N · S.

use crate::{Check, Failure};
use solutions::training::cluster::{run, ClusterError, Comm, CommError, Traffic};
use solutions::training::ring_allreduce::{ring_bytes_sent_per_worker, ReduceOp};
use std::time::Duration;

/// Rank r's buffer of `len` values: distinct per rank and per position.
fn buffer(rank: usize, len: usize) -> Vec<f32> {
    (0..len).map(|i| (rank * 1000 + i) as f32 * 0.5 + 1.0).collect()
}

/// Grades `ring_allreduce(comm, data, op)`.
pub fn check_ring_allreduce<F>(f: F) -> Check
where
    F: Fn(&mut Comm, &mut [f32], ReduceOp) -> Result<(), CommError> + Sync,
{
    for (n, len, op) in [(2, 3, ReduceOp::Avg), (3, 7, ReduceOp::Sum), (4, 10, ReduceOp::Avg)]
        .into_iter()
        .chain([1, 2, 3, 5].map(|n| (n, 101, ReduceOp::Sum)))
        .chain([(4, 2, ReduceOp::Avg), (5, 1003, ReduceOp::Avg)])
    {
        let case = format!("{n} ranks, {len} values each, {op:?}");
        // A short bound: a ring step takes microseconds, and a deadlock must not hang.
        let out: Vec<(Vec<f32>, Traffic)> = run(n, Duration::from_secs(3), |c| {
            let mut data = buffer(c.rank(), len);
            f(c, &mut data, op)?;
            Ok(data)
        })
        .map_err(|e| {
            // A worker's panic is the learner's panic: raise it again here, so that the
            // grader tells an untouched `todo!()` from a real crash, as for any exercise.
            if let ClusterError::Panicked { rank, message } = &e {
                panic!("on rank {rank} of {n}: {message}");
            }
            let cause = match &e {
                ClusterError::Comm(CommError::Timeout { .. }) => {
                    " Every rank must send before it receives, and send as many messages as \
                     its neighbour expects."
                }
                _ => "",
            };
            Failure::new(format!("ring_allreduce with {case} did not finish: {e}.{cause}"))
        })?;
        let sum: Vec<f64> =
            (0..len).map(|i| (0..n).map(|r| buffer(r, len)[i] as f64).sum()).collect();
        let divide = if op == ReduceOp::Avg { n as f64 } else { 1.0 };
        let want: Vec<f64> = sum.iter().map(|s| s / divide).collect();
        for (rank, (got, _)) in out.iter().enumerate() {
            let ok = got.len() == len
                && got
                    .iter()
                    .zip(&want)
                    .all(|(g, w)| (*g as f64 - w).abs() <= 1e-3 * w.abs().max(1.0));
            if ok {
                continue;
            }
            let own: Vec<f64> = (0..len)
                .map(|i| {
                    let owner = (0..n).find(|&k| i < (k + 1) * len / n).unwrap();
                    buffer(owner, len)[i] as f64
                })
                .collect();
            let close = |v: &[f64]| {
                got.iter().zip(v).all(|(g, w)| (*g as f64 - w).abs() <= 1e-3 * w.abs().max(1.0))
            };
            let cause = if n > 1 && close(&own) {
                "every rank ended with chunk k of rank k's own buffer, unsummed: you gathered \
                 the chunks without reducing them first. Run the reduce-scatter phase before \
                 the all-gather, so that each chunk is the sum over ranks when it is passed on"
            } else if op == ReduceOp::Avg && n > 1 && close(&sum) {
                "you summed where the mean is needed: for ReduceOp::Avg divide the owned, fully \
                 summed chunk by N (DDP averages the gradients; a sum takes an N-times step)"
            } else {
                "each value must be the sum over the ranks (divided by N for Avg)"
            };
            let i = (0..len)
                .find(|&i| {
                    got.get(i)
                        .is_none_or(|g| (*g as f64 - want[i]).abs() > 1e-3 * want[i].abs().max(1.0))
                })
                .unwrap_or(0);
            return Err(Failure::new(format!(
                "ring_allreduce with {case}: rank {rank} holds {:?} at index {i}, expected {} \
                 (to 1e-3 relative): {cause}.",
                got.get(i),
                want[i]
            )));
        }
        let bytes = 4 * len;
        let formula = ring_bytes_sent_per_worker(n, bytes as f64);
        for (rank, (_, traffic)) in out.iter().enumerate() {
            let sent = traffic.bytes_sent as f64;
            // Unequal chunks shift a rank's share by at most two values.
            if (sent - formula).abs() <= 8.0 {
                continue;
            }
            let cause = if traffic.bytes_sent == (n - 1) * bytes {
                "each rank sent its whole buffer to every other rank: (N − 1)·S bytes, which \
                 grows with N. Send one chunk of S/N to the right neighbour per step"
            } else {
                "the ring sends 2(N − 1) chunks of S/N per rank"
            };
            return Err(Failure::new(format!(
                "ring_allreduce with {case}: the values are right, but rank {rank} sent {} bytes, \
                 expected 2(N − 1)/N · S = {formula} (±8 for unequal chunks): {cause}.",
                traffic.bytes_sent
            )));
        }
    }
    Ok(())
}
