use super::*;

/// Counted step by step: in each of the 2(N − 1) steps each worker sends one chunk.
#[test]
fn matches_a_step_count() {
    for n in 1..=16usize {
        let size = 1024.0 * n as f64;
        let chunk = size / n as f64;
        let steps = 2 * (n - 1);
        assert_eq!(ring_bytes_sent_per_worker(n, size), steps as f64 * chunk);
    }
}

#[test]
fn bounded_by_twice_the_buffer() {
    assert_eq!(ring_bytes_sent_per_worker(1, 100.0), 0.0);
    assert_eq!(ring_bytes_sent_per_worker(2, 100.0), 100.0);
    assert!(ring_bytes_sent_per_worker(1000, 100.0) < 200.0);
    assert_eq!(parameter_server_bytes_received(8, 100.0), 800.0);
}

use crate::close::{assert_close, Tol};
use crate::training::cluster::{run, Traffic, DEFAULT_TIMEOUT};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Rank r's seeded buffer of `len` values.
fn buffer(rank: usize, len: usize) -> Vec<f32> {
    let mut rng = StdRng::seed_from_u64(rank as u64);
    (0..len).map(|_| rng.gen_range(-1.0..1.0)).collect()
}

/// Runs `ring_allreduce` on `n` ranks of `len` values; each rank's result and traffic.
fn ring(n: usize, len: usize, op: ReduceOp) -> Vec<(Vec<f32>, Traffic)> {
    run(n, DEFAULT_TIMEOUT, |c| {
        let mut data = buffer(c.rank(), len);
        ring_allreduce(c, &mut data, op)?;
        Ok(data)
    })
    .unwrap()
}

/// The doc comment's worked example, exactly.
#[test]
fn the_worked_example() {
    let out = run(2, DEFAULT_TIMEOUT, |c| {
        let mut data = if c.rank() == 0 { vec![1.0, 2.0, 3.0] } else { vec![10.0, 20.0, 30.0] };
        ring_allreduce(c, &mut data, ReduceOp::Avg)?;
        Ok(data)
    })
    .unwrap();
    assert_eq!(out[0].0, vec![5.5, 11.0, 16.5]);
    assert_eq!(out[1].0, vec![5.5, 11.0, 16.5]);
    assert_eq!(out[0].1.bytes_sent, 12);
}

/// Against a plain sum of the buffers, for sizes that do not divide evenly, and smaller
/// than the ring.
#[test]
fn ring_allreduce_equals_the_plain_sum_and_mean() {
    for n in 1..=5 {
        for len in [1, 3, 64, 101] {
            let want: Vec<f32> =
                (0..len).map(|i| (0..n).map(|r| buffer(r, len)[i]).sum()).collect();
            for (rank, (got, _)) in ring(n, len, ReduceOp::Sum).iter().enumerate() {
                assert_close(
                    &format!("sum, N = {n}, {len} values, rank {rank}"),
                    got,
                    &want,
                    Tol::abs(1e-5),
                );
            }
            let mean: Vec<f32> = want.iter().map(|s| s / n as f32).collect();
            for (rank, (got, _)) in ring(n, len, ReduceOp::Avg).iter().enumerate() {
                assert_close(
                    &format!("mean, N = {n}, {len} values, rank {rank}"),
                    got,
                    &mean,
                    Tol::abs(1e-6),
                );
            }
        }
    }
}

/// Measured bytes against 2(N − 1)/N · S. When N does not divide the buffer the chunks
/// differ by one value, so each rank is within two values (8 bytes) of the formula, and
/// the ranks together send exactly 2(N − 1) · S.
#[test]
fn bytes_sent_per_worker_are_2_n_minus_1_over_n_of_the_buffer() {
    for n in [2, 3, 4, 5, 8] {
        for len in [840, 1001, 1003, 997] {
            let bytes = 4 * len;
            let formula = ring_bytes_sent_per_worker(n, bytes as f64);
            let out = ring(n, len, ReduceOp::Sum);
            let total: usize = out.iter().map(|(_, t)| t.bytes_sent).sum();
            assert_eq!(total, 2 * (n - 1) * bytes, "N = {n}, S = {bytes} B: all ranks together");
            for (rank, (_, t)) in out.iter().enumerate() {
                let slack = if len.is_multiple_of(n) { 0.0 } else { 8.0 };
                assert!(
                    (t.bytes_sent as f64 - formula).abs() <= slack,
                    "N = {n}, S = {bytes} B, rank {rank}: sent {} B, formula {formula} B, \
                     allowed ±{slack} B (chunks of unequal length)",
                    t.bytes_sent
                );
                assert_eq!(t.bytes_received, out[(rank + n - 1) % n].1.bytes_sent, "rank {rank}");
                assert_eq!(t.messages_sent, 2 * (n - 1), "rank {rank}");
            }
        }
    }
}

/// A parameter server gives the same result, but its one link carries N · S each way:
/// at N = 8 that is 4.6 times what any ring worker sends, and it grows with N.
#[test]
fn a_parameter_server_concentrates_the_traffic() {
    let (len, bytes) = (1000usize, 4000.0);
    for n in [2usize, 4, 8] {
        // n workers plus the server, rank n.
        let out = run(n + 1, DEFAULT_TIMEOUT, |c| {
            let mut data = if c.rank() == n { vec![0.0; len] } else { buffer(c.rank(), len) };
            parameter_server_allreduce(c, &mut data, n, ReduceOp::Sum)?;
            Ok(data)
        })
        .unwrap();
        let server = out[n].1;
        assert_eq!(server.bytes_received as f64, parameter_server_bytes_received(n, bytes));
        assert_eq!(server.bytes_sent, server.bytes_received);
        let ring_out = ring(n, len, ReduceOp::Sum);
        for rank in 0..n {
            assert_close(
                &format!("PS vs ring, N = {n}, rank {rank}"),
                &out[rank].0,
                &ring_out[rank].0,
                Tol::abs(1e-5),
            );
            assert_eq!(out[rank].1.bytes_sent, len * 4, "a PS worker sends its buffer once");
        }
        let ratio = server.bytes_received as f64 / ring_bytes_sent_per_worker(n, bytes);
        assert!(approx::abs_diff_eq!(
            ratio,
            n as f64 * n as f64 / (2.0 * (n as f64 - 1.0)),
            epsilon = 1e-12
        ));
        println!(
            "N = {n}: server link {} B in, ring worker {} B out, ratio {ratio:.2}",
            server.bytes_received,
            ring_bytes_sent_per_worker(n, bytes)
        );
    }
}
