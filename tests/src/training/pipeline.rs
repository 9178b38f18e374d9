//! Graded suite for §4.4's pipeline: the bubble formula on a grid of (p, m), and the 1F1B
//! schedule op by op, then run on stage threads of the simulated cluster
//! (`solutions::training::pipeline_clock`), where its bubble and its peak of stored
//! activations are measured.

use crate::{Check, Failure};
use solutions::training::cluster::{ClusterError, CommError};
use solutions::training::pipeline::{bubble_fraction, one_f_one_b_schedule, Op};
use solutions::training::pipeline_clock::{execute, Relay, StageRun, Timeline, TICKS};
use std::time::Duration;

/// Grades `bubble_fraction(stages, micro_batches)`.
pub fn check_bubble_fraction<F: Fn(usize, usize) -> f64>(f: F) -> Check {
    for (p, m) in [(4, 8), (1, 8), (2, 1), (3, 2), (4, 4), (8, 32), (5, 3)] {
        let (got, want) = (f(p, m), bubble_fraction(p, m));
        if approx::abs_diff_eq!(got, want, epsilon = 1e-12) {
            continue;
        }
        let (pf, mf) = (p as f64, m as f64);
        let cause = if approx::abs_diff_eq!(got, (pf - 1.0) / mf, epsilon = 1e-12) {
            "that is (p − 1)/m, Megatron's bubble as a ratio to the *useful* time; the share \
             of the whole step divides by the step's m + p − 1 slots"
        } else if got == 0.0 && p > 1 {
            "0 for a pipeline of several stages: an integer division? Convert p and m to f64 \
             before dividing"
        } else if approx::abs_diff_eq!(got, (pf - 1.0) / (mf + pf), epsilon = 1e-12) {
            "(p − 1)/(m + p): the step lasts m + p − 1 slots, not m + p (the last \
             micro-batch's first slot on the last stage overlaps the fill)"
        } else {
            "the idle share is (p − 1)/(m + p − 1)"
        };
        return Err(Failure::new(format!(
            "bubble_fraction({p} stages, {m} micro-batches) = {got}, expected {want} \
             (to 1e-12): {cause}."
        )));
    }
    Ok(())
}

/// Runs `ops(s)` on stage threads with the course's ticks; a short bound on every wait.
fn run_schedule(p: usize, ops: &(dyn Fn(usize) -> Vec<Op> + Sync)) -> Result<Timeline, String> {
    let out = solutions::training::cluster::run(p, Duration::from_secs(2), |comm| {
        let schedule = ops(comm.rank());
        execute(comm, &schedule, TICKS, &mut Relay { width: 4 })
    });
    match out {
        Ok(runs) => Ok(Timeline { stages: runs.into_iter().map(|(r, _)| r).collect() }),
        Err(ClusterError::Comm(
            e @ (CommError::Timeout { .. } | CommError::Disconnected { .. }),
        )) => Err(format!("the stages deadlocked ({e})")),
        Err(ClusterError::Panicked { message, .. }) => Err(message),
    }
}

/// The warm-up of a schedule: forwards before its first backward.
fn warm_up(ops: &[Op]) -> usize {
    ops.iter().position(|o| matches!(o, Op::Backward(_))).unwrap_or(ops.len())
}

/// Grades `one_f_one_b_schedule(stages, stage, micro_batches)`.
pub fn check_one_f_one_b_schedule<F>(f: F) -> Check
where
    F: Fn(usize, usize, usize) -> Vec<Op> + Sync,
{
    // The worked example first, then a grid with m < p, m = p and m > p.
    let grid = [(3, 4)]
        .into_iter()
        .chain([2, 3, 4].into_iter().flat_map(|p| [1, 2, 4, 8].into_iter().map(move |m| (p, m))));
    for (p, m) in grid {
        for s in 0..p {
            let (got, want) = (f(p, s, m), one_f_one_b_schedule(p, s, m));
            if got == want {
                continue;
            }
            let case = format!("p = {p}, m = {m}, stage {s}");
            let w = (p - 1 - s).min(m);
            let all_forwards_first = got.len() == 2 * m && warm_up(&got) == m && w < m;
            let cause = if got.len() != 2 * m {
                format!(
                    "{} ops instead of 2m = {}: every micro-batch goes forward once and \
                     backward once (clamp the warm-up to m when m < p)",
                    got.len(),
                    2 * m
                )
            } else if all_forwards_first {
                "all forwards before any backward is GPipe's schedule: it holds m activations \
                 per stage. 1F1B starts backward after a warm-up of p − 1 − stage forwards"
                    .to_string()
            } else if warm_up(&got) < w.min(m - 1) + 1 {
                format!(
                    "the first backward comes after {} forwards, but the warm-up of stage {s} is \
                     min(p − 1 − stage, m) = {w}: the backward started before the warm-up ended, \
                     so the stage waits for a gradient that is still {} stages away",
                    warm_up(&got),
                    p - 1 - s
                )
            } else if warm_up(&got) > w + 1 {
                format!(
                    "the first backward comes after {} forwards, more than the warm-up of \
                     min(p − 1 − stage, m) = {w} plus the first steady forward: stage {s} holds \
                     more activations than it needs",
                    warm_up(&got)
                )
            } else {
                "after the warm-up, alternate one forward and one backward, in micro-batch \
                 order, then finish the backwards"
                    .to_string()
            };
            let measured = match run_schedule(p, &|r| f(p, r, m)) {
                Ok(t) => format!(
                    " Run on {p} stage threads, your schedule measured a bubble of {:.3} \
                     (the formula says {:.3}) and held at most {} activations on a stage.",
                    t.bubble(),
                    bubble_fraction(p, m),
                    t.stages.iter().map(|r: &StageRun| r.peak_in_flight).max().unwrap_or(0)
                ),
                Err(e) => format!(" Run on {p} stage threads, it failed: {e}."),
            };
            return Err(Failure::new(format!(
                "one_f_one_b_schedule with {case}: got {got:?}, expected {want:?}: \
                 {cause}.{measured}"
            )));
        }
    }
    // The whole schedule, run: the formula's bubble, and never more than p activations.
    for (p, m) in [(4, 8), (3, 2)] {
        let t = run_schedule(p, &|r| f(p, r, m)).map_err(Failure::new)?;
        let (bubble, peak) = (t.bubble(), t.peak_in_flight());
        if !approx::abs_diff_eq!(bubble, bubble_fraction(p, m), epsilon = 1e-12) || peak > p {
            return Err(Failure::new(format!(
                "one_f_one_b_schedule with p = {p}, m = {m}, run on stage threads: bubble \
                 {bubble}, expected {}; peak activations {peak}, at most {p}.",
                bubble_fraction(p, m)
            )));
        }
    }
    Ok(())
}
