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

/// Both schedules run every micro-batch forward once and then backward once, in order;
/// 1F1B's stage s does min(p − 1 − s, m) forwards before its first backward.
#[test]
fn schedules_cover_every_micro_batch_and_1f1b_warms_up() {
    for p in 1..=5 {
        for m in 1..=9 {
            for s in 0..p {
                for ops in [gpipe_schedule(p, s, m), one_f_one_b_schedule(p, s, m)] {
                    let f: Vec<usize> = ops
                        .iter()
                        .filter_map(|o| match o {
                            Op::Forward(i) => Some(*i),
                            _ => None,
                        })
                        .collect();
                    let b: Vec<usize> = ops
                        .iter()
                        .filter_map(|o| match o {
                            Op::Backward(i) => Some(*i),
                            _ => None,
                        })
                        .collect();
                    assert_eq!(f, (0..m).collect::<Vec<_>>(), "p {p} s {s} m {m}");
                    assert_eq!(b, f, "p {p} s {s} m {m}");
                }
                let ops = one_f_one_b_schedule(p, s, m);
                let first_b = ops.iter().position(|o| matches!(o, Op::Backward(_))).unwrap();
                assert_eq!(first_b, (p - 1 - s).min(m - 1) + 1, "p {p} s {s} m {m}");
            }
        }
    }
}
