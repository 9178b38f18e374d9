use super::*;
use crate::training::pipeline::{bubble_fraction, gpipe_schedule, one_f_one_b_schedule};
use std::time::Instant;

const GRID_P: [usize; 3] = [2, 3, 4];
const GRID_M: [usize; 4] = [1, 2, 4, 8];

/// The measured bubble of both schedules equals (p − 1)/(m + p − 1) on the whole grid, for
/// backward = 2 forwards (the course's convention) and backward = forward.
#[test]
fn measured_bubble_equals_the_formula_on_the_grid() {
    for ticks in [TICKS, Ticks { forward: 1, backward: 1 }] {
        for (name, schedule) in
            [("GPipe", gpipe_schedule as Schedule), ("1F1B", one_f_one_b_schedule)]
        {
            for p in GRID_P {
                for m in GRID_M {
                    let t = record_schedule(schedule, p, m, ticks, DEFAULT_TIMEOUT).unwrap();
                    let what = format!("{name}, p = {p}, m = {m}, {ticks:?}");
                    // The step lasts (m + p − 1)(t_f + t_b) ticks: the formula's denominator.
                    let slot = ticks.forward + ticks.backward;
                    assert_eq!(t.makespan(), (m + p - 1) as u64 * slot, "{what}: makespan");
                    approx::assert_abs_diff_eq!(t.bubble(), bubble_fraction(p, m), epsilon = 1e-12);
                    // Every stage did its 2m ops, each exactly once.
                    for (s, run) in t.stages.iter().enumerate() {
                        assert_eq!(run.busy(), m as u64 * slot, "{what}: stage {s} busy ticks");
                    }
                }
            }
        }
    }
}

/// Peak activations held, measured: m on every GPipe stage; min(p − s, m) on 1F1B's stage
/// s, so never more than p.
#[test]
fn peak_in_flight_is_m_for_gpipe_and_at_most_p_for_one_f_one_b() {
    for p in GRID_P {
        for m in GRID_M {
            let gpipe = record(gpipe_schedule, p, m);
            let ofob = record(one_f_one_b_schedule, p, m);
            for s in 0..p {
                assert_eq!(gpipe.stages[s].peak_in_flight, m, "GPipe p = {p}, m = {m}, stage {s}");
                let got = ofob.stages[s].peak_in_flight;
                assert_eq!(got, (p - s).min(m), "1F1B p = {p}, m = {m}, stage {s}");
                assert!(got <= p, "1F1B p = {p}, m = {m}: stage {s} held {got} > p");
                // The cluster's byte counter agrees: 4 values of 4 bytes per activation.
                assert_eq!(gpipe.stages[s].peak_bytes_held, 16 * m, "GPipe bytes, stage {s}");
                assert_eq!(ofob.stages[s].peak_bytes_held, 16 * got, "1F1B bytes, stage {s}");
            }
            assert_eq!(gpipe.peak_in_flight(), m);
            assert_eq!(ofob.peak_in_flight(), p.min(m));
        }
    }
}

/// The recorded order is the schedule's, and each forward on stage s starts after the same
/// micro-batch's forward ended on stage s − 1 (the clock follows the messages).
#[test]
fn the_clock_follows_the_dependencies() {
    let t = record(one_f_one_b_schedule, 3, 4);
    for (s, run) in t.stages.iter().enumerate() {
        let ops: Vec<Op> = run.slots.iter().map(|x| x.op).collect();
        assert_eq!(ops, one_f_one_b_schedule(3, s, 4), "stage {s}");
        for slot in &run.slots {
            let dep = match slot.op {
                Op::Forward(_) if s > 0 => Some(&t.stages[s - 1]),
                Op::Backward(_) if s < 2 => Some(&t.stages[s + 1]),
                _ => None,
            };
            if let Some(dep) = dep {
                let before = dep.slots.iter().find(|x| x.op == slot.op).unwrap();
                assert!(slot.start >= before.end, "stage {s} {:?} started early", slot.op);
            }
        }
    }
    // Hand-checked: stage 2 (last) runs F0 at tick 2, B0 at ticks 3..5.
    assert_eq!(
        t.stages[2].slots[..2],
        [
            Slot { op: Op::Forward(0), start: 2, end: 3 },
            Slot { op: Op::Backward(0), start: 3, end: 5 },
        ]
    );
}

/// Stage 0 runs 1F1B without its warm-up while stage 1 runs GPipe: stage 0 waits for a
/// gradient that stage 1 sends only after a forward stage 0 has not sent. A deadlock,
/// ended by the timeout.
#[test]
fn mismatched_schedules_deadlock_and_time_out() {
    fn mixed(p: usize, s: usize, m: usize) -> Vec<Op> {
        if s == 0 {
            (0..m).flat_map(|i| [Op::Forward(i), Op::Backward(i)]).collect()
        } else {
            gpipe_schedule(p, s, m)
        }
    }
    let start = Instant::now();
    let err = record_schedule(mixed, 2, 2, TICKS, Duration::from_millis(300)).unwrap_err();
    let ClusterError::Comm(CommError::Timeout { .. }) = err else {
        panic!("expected a timeout, got {err:?}");
    };
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(300) && took < Duration::from_secs(5), "took {took:?}");
}

/// Two stages that disagree on the order of the micro-batches fail with a clear message.
#[test]
fn mismatched_orders_are_caught_by_the_tag() {
    fn reversed(p: usize, s: usize, m: usize) -> Vec<Op> {
        let mut ops = gpipe_schedule(p, s, m);
        if s == 0 {
            ops[m..].reverse();
        }
        ops
    }
    let err = record_schedule(reversed, 2, 3, TICKS, DEFAULT_TIMEOUT).unwrap_err();
    let ClusterError::Panicked { rank: 0, message } = err else { panic!("{err:?}") };
    assert!(message.contains("disagree on the order"), "{message}");
}
