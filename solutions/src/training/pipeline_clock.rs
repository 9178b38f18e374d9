//! §4.4 A pipeline on the simulated cluster, with a simulated clock (流水线的模拟时钟).
//!
//! Papers: GPipe (arXiv 1811.06965) and 1F1B (arXiv 2104.04473, §2.2), whose bubble
//! [`super::pipeline::bubble_fraction`] states. PyTorch: `torch.distributed.pipelining`'s
//! `PipelineStage` and `Schedule*.step`, which do what [`execute`] does on real GPUs.
//!
//! Each of the $p$ workers of [`super::cluster`] is one stage. It walks its schedule op by
//! op: a forward waits for the activation from the stage before (`recv`), a backward for
//! the gradient from the stage after, and each sends its result on (`send`). The threads
//! really block on each other, so a wrong schedule deadlocks (and times out) as it would
//! on a cluster.
//!
//! The clock: wall time on a shared CPU says nothing about a pipeline, so time is counted
//! in ticks. A forward takes [`Ticks::forward`] ticks and a backward [`Ticks::backward`]
//! (by default 1 and 2: a backward computes two products per forward one, the gradients of
//! the input and of the weights, as Megatron's paper assumes). Every message carries the
//! tick at which it was produced, and an op starts at the later of "this stage is free"
//! and "its input has arrived". The bubble is then *measured*: the time each stage is not
//! working, over the whole step. With equal ticks per stage it comes out as
//! $(p - 1)/(m + p - 1)$ whatever the two tick counts are, because the fill and the drain
//! each cost $p - 1$ ops of each kind.

use super::cluster::{run, ClusterError, Comm, CommError, DEFAULT_TIMEOUT};
use super::pipeline::{Op, Schedule};
use std::collections::HashMap;
use std::time::Duration;

/// How long each op takes on the simulated clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticks {
    pub forward: u64,
    pub backward: u64,
}

/// The course's convention: a backward pass costs twice a forward.
pub const TICKS: Ticks = Ticks { forward: 1, backward: 2 };

/// One op as it ran: which, and from which tick to which (`end` excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub op: Op,
    pub start: u64,
    pub end: u64,
}

/// What one stage did in one step, as recorded while it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageRun {
    /// Its ops in the order it ran them, with their ticks.
    pub slots: Vec<Slot>,
    /// The most micro-batches whose activations it held at once (forward done, backward
    /// not yet): the memory a schedule costs.
    pub peak_in_flight: usize,
    /// The most bytes of stored activations held at once, as the cluster counted them
    /// (`Comm::peak_bytes_held`, over the run so far).
    pub peak_bytes_held: usize,
}

impl StageRun {
    /// Ticks spent working.
    pub fn busy(&self) -> u64 {
        self.slots.iter().map(|s| s.end - s.start).sum()
    }
}

/// What a stage computes; [`execute`] decides when. `Saved` is what a forward keeps for
/// its backward (the activations, or dfdx's tape): held in between, counted as in flight.
pub trait StageWork {
    type Saved;
    /// Forward pass of micro-batch `micro` on `input` (empty on the first stage, which
    /// reads its tokens itself); returns the output to send on (ignored on the last stage).
    fn forward(&mut self, micro: usize, input: Vec<f32>) -> (Vec<f32>, Self::Saved);
    /// Backward pass of `micro` given the gradient of its output (empty on the last stage,
    /// which starts from its loss); returns the gradient of its input.
    fn backward(&mut self, micro: usize, saved: Self::Saved, grad_output: Vec<f32>) -> Vec<f32>;
    /// The bytes of activations that `micro`'s forward keeps until its backward.
    fn saved_bytes(&self, micro: usize) -> usize;
}

/// Runs `schedule` as stage `comm.rank()` of `comm.world_size()`, doing `work`'s passes
/// and exchanging activations and gradients with the neighbouring stages.
///
/// Subtle: each message starts with two f32s, the tick it was sent at (the simulated clock,
/// exact below 2²⁴) and the micro-batch it belongs to (the tag a real pipeline's `send`
/// would carry), so that two stages whose schedules disagree fail loudly instead of
/// mixing up micro-batches. These 8 bytes are counted in the traffic.
// ANCHOR: execute
pub fn execute<W: StageWork>(
    comm: &mut Comm,
    schedule: &[Op],
    ticks: Ticks,
    work: &mut W,
) -> Result<StageRun, CommError> {
    let (s, p) = (comm.rank(), comm.world_size());
    let (first, last) = (s == 0, s + 1 == p);
    let mut saved: HashMap<usize, W::Saved> = HashMap::new();
    let (mut clock, mut peak, mut slots) = (0u64, 0, vec![]);
    for &op in schedule {
        // Receive the input (with the tick it was sent at), or start at once at the ends.
        let (peer, has_input) = match op {
            Op::Forward(_) => (s.wrapping_sub(1), !first),
            Op::Backward(_) => (s + 1, !last),
        };
        let (arrived, input) = if has_input {
            let msg = comm.recv(peer)?;
            let (i, tag) = match op {
                Op::Forward(i) | Op::Backward(i) => (i, msg[1] as usize),
            };
            assert_eq!(
                tag, i,
                "stage {s} ran {op:?} but stage {peer} sent micro-batch {tag}: the two stages' \
                 schedules disagree on the order of the micro-batches"
            );
            (msg[0] as u64, msg[2..].to_vec())
        } else {
            (0, vec![])
        };
        let start = clock.max(arrived);
        let (end, output) = match op {
            Op::Forward(i) => {
                let (out, keep) = work.forward(i, input);
                assert!(
                    saved.insert(i, keep).is_none(),
                    "stage {s}: micro-batch {i} forward twice"
                );
                comm.hold(work.saved_bytes(i));
                peak = peak.max(saved.len());
                (start + ticks.forward, (!last).then(|| (s + 1, out)))
            }
            Op::Backward(i) => {
                let keep = saved.remove(&i).unwrap_or_else(|| {
                    panic!("stage {s}: backward of micro-batch {i} before its forward")
                });
                comm.release(work.saved_bytes(i));
                let grad = work.backward(i, keep, input);
                (start + ticks.backward, (!first).then(|| (s - 1, grad)))
            }
        };
        if let Some((dst, data)) = output {
            let i = match op {
                Op::Forward(i) | Op::Backward(i) => i,
            };
            comm.send(dst, &[&[end as f32, i as f32][..], &data].concat())?;
        }
        slots.push(Slot { op, start, end });
        clock = end;
    }
    assert!(saved.is_empty(), "stage {s}: micro-batches {:?} never went backward", saved.keys());
    Ok(StageRun { slots, peak_in_flight: peak, peak_bytes_held: comm.peak_bytes_held() })
}
// ANCHOR_END: execute

/// Stand-in work for timing a schedule: each activation is `width` values, kept until the
/// backward as a real stage would keep it.
pub struct Relay {
    pub width: usize,
}

impl StageWork for Relay {
    type Saved = Vec<f32>;
    fn forward(&mut self, micro: usize, _input: Vec<f32>) -> (Vec<f32>, Vec<f32>) {
        let act = vec![micro as f32; self.width];
        (act.clone(), act)
    }
    fn backward(&mut self, _micro: usize, saved: Vec<f32>, _grad: Vec<f32>) -> Vec<f32> {
        saved
    }
    fn saved_bytes(&self, _micro: usize) -> usize {
        4 * self.width
    }
}

/// A whole step as recorded on every stage: the Gantt chart's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    pub stages: Vec<StageRun>,
}

impl Timeline {
    /// The step's length: the tick at which the last stage finishes.
    pub fn makespan(&self) -> u64 {
        self.stages.iter().flat_map(|s| s.slots.last()).map(|s| s.end).max().unwrap_or(0)
    }
    /// Measured: the share of the $p \times$ makespan stage-ticks in which no stage works.
    pub fn bubble(&self) -> f64 {
        let total = self.makespan() * self.stages.len() as u64;
        let busy: u64 = self.stages.iter().map(StageRun::busy).sum();
        (total - busy) as f64 / total as f64
    }
    /// Measured: the most activations any stage held at once.
    pub fn peak_in_flight(&self) -> usize {
        self.stages.iter().map(|s| s.peak_in_flight).max().unwrap_or(0)
    }
}

/// Runs one step of `schedule` with `stages` threads and `micro_batches` micro-batches
/// ([`Relay`] work), and records it. `timeout` bounds every wait: a schedule that
/// deadlocks ends with a [`CommError::Timeout`], not a hang.
pub fn record_schedule(
    schedule: Schedule,
    stages: usize,
    micro_batches: usize,
    ticks: Ticks,
    timeout: Duration,
) -> Result<Timeline, ClusterError> {
    let out = run(stages, timeout, |comm| {
        let ops = schedule(stages, comm.rank(), micro_batches);
        execute(comm, &ops, ticks, &mut Relay { width: 4 })
    })?;
    Ok(Timeline { stages: out.into_iter().map(|(run, _)| run).collect() })
}

/// [`record_schedule`] with the course's ticks and the cluster's default timeout.
pub fn record(schedule: Schedule, stages: usize, micro_batches: usize) -> Timeline {
    record_schedule(schedule, stages, micro_batches, TICKS, DEFAULT_TIMEOUT)
        .unwrap_or_else(|e| panic!("a {stages}-stage pipeline of {micro_batches} failed: {e}"))
}

#[cfg(test)]
mod tests;
