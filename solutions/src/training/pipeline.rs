//! §4.4 Pipeline parallelism (流水线并行): the bubble, and the GPipe and 1F1B schedules.
//!
//! Papers: Huang et al. 2019, "GPipe: Efficient Training of Giant Neural Networks using
//! Pipeline Parallelism", arXiv 1811.06965, §2.2; Narayanan et al. 2021, "Efficient
//! Large-Scale Language Model Training on GPU Clusters Using Megatron-LM", arXiv
//! 2104.04473, §2.2 (PipeDream-Flush, i.e. 1F1B, and its bubble). The model's layers are
//! cut into $p$ stages on $p$ devices, and each batch into $m$ micro-batches that flow
//! through the stages. While the pipeline fills and drains some stages wait: the *bubble*.
//! PyTorch: `torch.distributed.pipelining` (`ScheduleGPipe`, `Schedule1F1B`); DeepSpeed:
//! `PipelineModule`.
//!
//! This file holds what one stage does and in which order (a schedule is a list of
//! [`Op`]s per stage); `pipeline_clock.rs` runs the schedules on the simulated cluster and
//! measures the bubble, and `pipeline_gpt.rs` trains the tiny GPT with them.

/// One unit of a stage's work: the forward or the backward pass of one micro-batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// Forward pass of micro-batch `i`: receive its activation from the previous stage,
    /// run this stage's layers, keep what the backward pass needs, send the output on.
    Forward(usize),
    /// Backward pass of micro-batch `i`: receive the gradient of its output from the next
    /// stage, back-propagate through this stage's layers, free its stored activation, and
    /// send the gradient of its input back.
    Backward(usize),
}

/// A schedule: the ops of stage `stage` of `stages`, for `micro_batches` micro-batches.
pub type Schedule = fn(usize, usize, usize) -> Vec<Op>;

/// The fraction of a pipeline step that each device spends idle, for `stages` = $p$ and
/// `micro_batches` = $m$: $\dfrac{p - 1}{m + p - 1}$.
///
/// With every stage taking $t_f$ per forward and $t_b$ per backward, a step lasts
/// $(m + p - 1)(t_f + t_b)$: the last micro-batch enters stage $p$ after $p - 1$ forward
/// slots, and its gradient needs $p - 1$ backward slots to come back. Each device works
/// $m(t_f + t_b)$ of it. GPipe and 1F1B have the same bubble; 1F1B only lowers the
/// activation memory (at most $p$ micro-batches in flight instead of $m$). Megatron's
/// paper reports the bubble as a ratio to the useful time, $(p-1)/m$; both say "$m \gg p$".
///
/// ```
/// use solutions::training::pipeline::bubble_fraction;
/// // 4 stages, 8 micro-batches: 3 of 11 slots idle.
/// assert!((bubble_fraction(4, 8) - 3.0 / 11.0).abs() < 1e-12);
/// assert_eq!(bubble_fraction(1, 8), 0.0); // one stage never waits
/// ```
///
/// # Panics
/// If `stages` or `micro_batches` is 0.
// ANCHOR: bubble_fraction
pub fn bubble_fraction(stages: usize, micro_batches: usize) -> f64 {
    assert!(stages > 0 && micro_batches > 0, "a pipeline needs a stage and a micro-batch");
    let (p, m) = (stages as f64, micro_batches as f64);
    // Idle time (p − 1)(t_f + t_b) over the step's (m + p − 1)(t_f + t_b).
    (p - 1.0) / (m + p - 1.0)
}
// ANCHOR_END: bubble_fraction

/// GPipe's schedule (arXiv 1811.06965, Figure 2c): every stage runs the forward passes of
/// all `micro_batches`, then their backward passes, in the same order. Simple, but each
/// stage holds the activations of all $m$ micro-batches at the turn.
///
/// ```
/// use solutions::training::pipeline::{gpipe_schedule, Op::*};
/// assert_eq!(gpipe_schedule(4, 1, 2), [Forward(0), Forward(1), Backward(0), Backward(1)]);
/// ```
// ANCHOR: gpipe_schedule
pub fn gpipe_schedule(_stages: usize, _stage: usize, micro_batches: usize) -> Vec<Op> {
    let forwards = (0..micro_batches).map(Op::Forward);
    forwards.chain((0..micro_batches).map(Op::Backward)).collect()
}
// ANCHOR_END: gpipe_schedule

/// The 1F1B schedule (PipeDream-Flush, arXiv 2104.04473 Figure 4 top) of stage `stage`
/// (0-based) of `stages` = $p$, for `micro_batches` = $m$: a *warm-up* of
/// $w = \min(p - 1 - \text{stage}, m)$ forward passes, then a steady state that alternates
/// one forward and one backward ($m - w$ pairs), then a *cool-down* of the $w$ backward
/// passes left. Micro-batches go forward and backward in order $0, 1, \dots, m-1$.
///
/// Why this warm-up: micro-batch 0's gradient comes back to stage $s$ only after it has
/// crossed the $p - 1 - s$ later stages, in which time stage $s$ can push that many more
/// forwards; starting backward earlier leaves stage $s$ idle, later holds more activations.
/// Stage $s$ then never holds more than $\min(p - s, m)$ activations, and the bubble is
/// GPipe's.
///
/// Worked example, $p = 3$, $m = 4$, stage 0: warm-up 2, so `F0 F1`, then pairs
/// `F2 B0`, `F3 B1`, then the cool-down `B2 B3`. Stage 2 (the last) has no warm-up:
/// `F0 B0 F1 B1 F2 B2 F3 B3`.
///
/// ```
/// use solutions::training::pipeline::{one_f_one_b_schedule, Op::*};
/// let s0 = one_f_one_b_schedule(3, 0, 4);
/// let want = [Forward(0), Forward(1), Forward(2), Backward(0), Forward(3), Backward(1)];
/// assert_eq!(s0[..6], want);
/// assert_eq!(s0[6..], [Backward(2), Backward(3)]);
/// ```
// ANCHOR: one_f_one_b_schedule
pub fn one_f_one_b_schedule(stages: usize, stage: usize, micro_batches: usize) -> Vec<Op> {
    assert!(stage < stages, "stage {stage} of a {stages}-stage pipeline");
    // Subtle: clamp to m, or a short batch (m < p) would schedule micro-batches that
    // do not exist.
    let warm_up = (stages - 1 - stage).min(micro_batches);
    let mut ops: Vec<Op> = (0..warm_up).map(Op::Forward).collect();
    for i in 0..micro_batches - warm_up {
        // Steady state: the next forward, then the oldest backward still owed.
        ops.push(Op::Forward(warm_up + i));
        ops.push(Op::Backward(i));
    }
    ops.extend((micro_batches - warm_up..micro_batches).map(Op::Backward));
    ops
}
// ANCHOR_END: one_f_one_b_schedule

#[cfg(test)]
mod tests;
