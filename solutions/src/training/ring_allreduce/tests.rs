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
