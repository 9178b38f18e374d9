//! §4.4: plausible wrong bubbles and 1F1B schedules.

use solutions::training::pipeline::{gpipe_schedule, Op};

/// Megatron's ratio to the useful time, taken for the share of the step.
pub fn bubble_over_useful(stages: usize, micro_batches: usize) -> f64 {
    (stages as f64 - 1.0) / micro_batches as f64
}
/// The formula in integers: 0 whenever p − 1 < m + p − 1.
pub fn bubble_integer_division(stages: usize, micro_batches: usize) -> f64 {
    ((stages - 1) / (micro_batches + stages - 1)) as f64
}

/// 1F1B with a warm-up one shorter than it should be: the backward starts before the
/// warm-up has ended.
pub fn one_f_one_b_early_backward(stages: usize, stage: usize, micro_batches: usize) -> Vec<Op> {
    let warm_up = (stages - 1 - stage).saturating_sub(1).min(micro_batches);
    with_warm_up(warm_up, micro_batches)
}
/// GPipe's order under 1F1B's name.
pub fn one_f_one_b_gpipe(stages: usize, stage: usize, micro_batches: usize) -> Vec<Op> {
    gpipe_schedule(stages, stage, micro_batches)
}
/// The warm-up not clamped to m: with m < p it runs micro-batches that do not exist.
pub fn one_f_one_b_unclamped(stages: usize, stage: usize, micro_batches: usize) -> Vec<Op> {
    let warm_up = stages - 1 - stage;
    let mut ops: Vec<Op> = (0..warm_up).map(Op::Forward).collect();
    for i in 0..micro_batches.saturating_sub(warm_up) {
        ops.push(Op::Forward(warm_up + i));
        ops.push(Op::Backward(i));
    }
    ops.extend((micro_batches.saturating_sub(warm_up)..micro_batches).map(Op::Backward));
    ops
}

fn with_warm_up(warm_up: usize, m: usize) -> Vec<Op> {
    let mut ops: Vec<Op> = (0..warm_up).map(Op::Forward).collect();
    for i in 0..m - warm_up {
        ops.push(Op::Forward(warm_up + i));
        ops.push(Op::Backward(i));
    }
    ops.extend((m - warm_up..m).map(Op::Backward));
    ops
}
