//! §4.4 Pipeline parallelism (流水线并行).
//!
//! Papers: Huang et al. 2018, "GPipe", arXiv 1811.06965; Narayanan et al. 2021,
//! "Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM",
//! arXiv 2104.04473, §2.2 (the 1F1B schedule and its bubble). The model's layers are cut
//! into $p$ stages on $p$ devices, and each batch into $m$ micro-batches that flow through
//! the stages. At the start and end of each step some stages wait: the *bubble*. With
//! equal stage times $t$, a step takes $(m + p - 1)$ slots of forward (and as many of
//! backward) while only $m$ of them do useful work on each device. PyTorch:
//! `torch.distributed.pipelining` (`ScheduleGPipe`, `Schedule1F1B`); DeepSpeed:
//! `PipelineModule`.

/// The fraction of a pipeline step that each device spends idle, for `stages` = $p$ and
/// `micro_batches` = $m$: $\dfrac{p - 1}{m + p - 1}$.
///
/// GPipe and 1F1B have the same bubble; 1F1B only lowers the activation memory (at most
/// $p$ micro-batches in flight instead of $m$). Megatron's paper reports the same bubble as
/// a ratio to the useful time, $(p-1)/m$; both say "make $m \gg p$".
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
    (p - 1.0) / (m + p - 1.0)
}
// ANCHOR_END: bubble_fraction

#[cfg(test)]
mod tests;
