use super::*;
use std::time::Instant;

const SHORT: Duration = Duration::from_millis(300);

/// A message around the ring: each rank sends its rank to the right and receives from the
/// left; every byte is counted on both sides.
#[test]
fn send_and_recv_pass_messages_and_count_bytes() {
    let out = run(4, DEFAULT_TIMEOUT, |c| {
        let (right, left) = ((c.rank() + 1) % c.world_size(), (c.rank() + 3) % c.world_size());
        c.send(right, &[c.rank() as f32; 3])?;
        c.recv(left)
    })
    .unwrap();
    for (rank, (got, traffic)) in out.iter().enumerate() {
        assert_eq!(got, &vec![((rank + 3) % 4) as f32; 3], "rank {rank}");
        assert_eq!(*traffic, Traffic { bytes_sent: 12, bytes_received: 12, messages_sent: 1 });
    }
}

/// Two messages between the same pair arrive in order.
#[test]
fn messages_between_a_pair_keep_their_order() {
    let out = run(2, DEFAULT_TIMEOUT, |c| {
        if c.rank() == 0 {
            c.send(1, &[1.0])?;
            c.send(1, &[2.0, 2.0])?;
            Ok(vec![])
        } else {
            Ok([c.recv(0)?, c.recv(0)?].concat())
        }
    })
    .unwrap();
    assert_eq!(out[1].0, vec![1.0, 2.0, 2.0]);
}

#[test]
fn broadcast_copies_the_root_and_costs_the_root_n_minus_1_buffers() {
    let out = run(3, DEFAULT_TIMEOUT, |c| {
        let mut data = vec![c.rank() as f32 * 10.0; 5];
        c.broadcast(&mut data, 1)?;
        Ok(data)
    })
    .unwrap();
    for (rank, (data, traffic)) in out.iter().enumerate() {
        assert_eq!(data, &vec![10.0; 5], "rank {rank}");
        let sent = if rank == 1 { 2 * 5 * 4 } else { 0 };
        assert_eq!(traffic.bytes_sent, sent, "rank {rank}");
    }
}

/// A panicking worker ends the run with its own message, not its peers' symptoms, and
/// without waiting out the timeout.
#[test]
fn a_panicking_worker_ends_the_run_with_a_clear_error() {
    let start = Instant::now();
    let err = run(3, DEFAULT_TIMEOUT, |c| {
        if c.rank() == 2 {
            panic!("out of memory on rank 2");
        }
        c.recv(2)
    })
    .unwrap_err();
    assert_eq!(err, ClusterError::Panicked { rank: 2, message: "out of memory on rank 2".into() });
    assert!(start.elapsed() < DEFAULT_TIMEOUT / 2, "took {:?}", start.elapsed());
}

/// A worker that returns early closes its channels: the peer waiting on it is told at once.
#[test]
fn an_early_exit_is_a_disconnection() {
    let start = Instant::now();
    let err =
        run(2, DEFAULT_TIMEOUT, |c| if c.rank() == 0 { c.recv(1).map(|_| ()) } else { Ok(()) })
            .unwrap_err();
    assert_eq!(err, ClusterError::Comm(CommError::Disconnected { rank: 0, peer: 1 }));
    assert!(err.to_string().contains("rank 0 lost rank 1"), "{err}");
    assert!(start.elapsed() < DEFAULT_TIMEOUT / 2, "took {:?}", start.elapsed());
}

/// Both ranks wait to receive first: a deadlock, ended by the timeout.
#[test]
fn a_deadlock_times_out_instead_of_hanging() {
    let start = Instant::now();
    let err = run(2, SHORT, |c| {
        let peer = 1 - c.rank();
        c.recv(peer)?;
        c.send(peer, &[0.0])
    })
    .unwrap_err();
    // Either rank may give up first (the other then sees a disconnection): the timeout is
    // reported, as the cause.
    let ClusterError::Comm(CommError::Timeout { rank, waited_ms: 300, .. }) = err else {
        panic!("expected a timeout, got {err:?}");
    };
    assert!(rank < 2);
    assert!(err.to_string().contains("deadlock"), "{err}");
    let took = start.elapsed();
    assert!(took >= SHORT && took < 10 * SHORT, "took {took:?}");
}

/// The bytes a worker declares it holds: the peak survives the release.
#[test]
fn held_bytes_keep_their_peak() {
    let out = run(2, DEFAULT_TIMEOUT, |c| {
        c.hold(100);
        c.hold(50 * (c.rank() + 1));
        c.release(100);
        Ok((c.bytes_held(), c.peak_bytes_held()))
    })
    .unwrap();
    assert_eq!(out[0].0, (50, 150));
    assert_eq!(out[1].0, (100, 200));
}
