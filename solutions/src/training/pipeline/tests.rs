use super::*;

/// Counted by hand on a GPipe forward pass with p = 4, m = 8: device d is busy in slots
/// d..d+8 of the 11 slots, idle in the other 3.
#[test]
fn matches_a_hand_counted_schedule() {
    let (p, m) = (4, 8);
    let slots = m + p - 1;
    for d in 0..p {
        let busy = (0..slots).filter(|&t| t >= d && t < d + m).count();
        assert_eq!(busy, m);
        let idle = slots - busy;
        assert!((idle as f64 / slots as f64 - bubble_fraction(p, m)).abs() < 1e-12);
    }
}

#[test]
fn more_micro_batches_shrink_the_bubble() {
    assert_eq!(bubble_fraction(4, 1), 0.75);
    assert!(bubble_fraction(4, 32) < bubble_fraction(4, 8));
    assert!(bubble_fraction(4, 10_000) < 1e-3);
}
