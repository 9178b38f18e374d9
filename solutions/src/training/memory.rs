//! §4.1 The memory of training and ZeRO (训练显存与 ZeRO).
//!
//! Paper: Rajbhandari et al. 2019, "ZeRO: Memory Optimizations Toward Training Trillion
//! Parameter Models", arXiv 1910.02054, §3.1 and Figure 1. Mixed-precision training with
//! Adam keeps, per parameter, an fp16 weight (2 bytes) and an fp16 gradient (2 bytes) for
//! the forward and backward passes, and an fp32 master weight, fp32 momentum and fp32
//! variance (4 + 4 + 4 = K = 12 bytes) for the update: 16 bytes per parameter of *model
//! state*, before any activation. ZeRO removes the redundancy of data parallelism by
//! partitioning these states over the N data-parallel devices: stage 1 the optimizer
//! states, stage 2 also the gradients, stage 3 also the weights. PyTorch / DeepSpeed:
//! `deepspeed.initialize` with `"zero_optimization": {"stage": 1 | 2 | 3}`, or PyTorch's
//! `FullyShardedDataParallel` (stage 3) and `ZeroRedundancyOptimizer` (stage 1).

/// Bytes per parameter of the fp16 weights used in the forward and backward passes.
pub const FP16_WEIGHT: f64 = 2.0;
/// Bytes per parameter of the fp16 gradients.
pub const FP16_GRADIENT: f64 = 2.0;
/// Bytes per parameter of Adam's state in mixed precision (the paper's K): an fp32 master
/// copy of the weights, the fp32 momentum and the fp32 variance, 4 + 4 + 4.
pub const ADAM_STATE: f64 = 12.0;

/// How much of the model state ZeRO partitions over the data-parallel devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZeroStage {
    /// Plain data parallelism: every device holds a full copy of everything.
    None,
    /// ZeRO-1 ($P_{os}$): the optimizer states are partitioned.
    OptimizerStates,
    /// ZeRO-2 ($P_{os+g}$): optimizer states and gradients are partitioned.
    Gradients,
    /// ZeRO-3 ($P_{os+g+p}$): optimizer states, gradients and weights are partitioned.
    Parameters,
}

/// The model-state bytes of mixed-precision Adam training on one device, without ZeRO:
/// $(2 + 2 + 12)\,\Phi = 16\,\Phi$ for $\Phi$ parameters.
///
/// ```
/// use solutions::training::memory::model_state_bytes;
/// // GPT-2 XL, 1.5 billion parameters: 3 GB of fp16 weights, but 24 GB of model state.
/// assert_eq!(model_state_bytes(1.5e9), 24e9);
/// ```
// ANCHOR: model_state_bytes
pub fn model_state_bytes(params: f64) -> f64 {
    (FP16_WEIGHT + FP16_GRADIENT + ADAM_STATE) * params
}
// ANCHOR_END: model_state_bytes

/// The model-state bytes on each of `devices` data-parallel devices under a ZeRO stage
/// (Figure 1 of the paper), for $\Phi$ = `params` and $N$ = `devices`:
///
/// | stage | bytes per device |
/// |---|---|
/// | none | $(2 + 2 + K)\Phi$ |
/// | 1 | $2\Phi + 2\Phi + K\Phi/N$ |
/// | 2 | $2\Phi + (2 + K)\Phi/N$ |
/// | 3 | $(2 + 2 + K)\Phi/N$ |
///
/// ```
/// use solutions::training::memory::{zero_bytes_per_device, ZeroStage};
/// // The paper's example: 7.5B parameters on 64 GPUs.
/// let gb = |s| zero_bytes_per_device(7.5e9, 64, s) / 1e9;
/// assert_eq!(gb(ZeroStage::None), 120.0);
/// assert!((gb(ZeroStage::OptimizerStates) - 31.4).abs() < 0.01);
/// assert!((gb(ZeroStage::Gradients) - 16.6).abs() < 0.05);
/// assert!((gb(ZeroStage::Parameters) - 1.9).abs() < 0.05);
/// ```
///
/// # Panics
/// If `devices` is 0.
// ANCHOR: zero_bytes_per_device
pub fn zero_bytes_per_device(params: f64, devices: usize, stage: ZeroStage) -> f64 {
    assert!(devices > 0, "ZeRO needs at least one device");
    let n = devices as f64;
    // Each state is either replicated (full size on every device) or split N ways.
    let share = |bytes_per_param: f64, partitioned: bool| {
        let total = bytes_per_param * params;
        if partitioned {
            total / n
        } else {
            total
        }
    };
    let (os, g, p) = match stage {
        ZeroStage::None => (false, false, false),
        ZeroStage::OptimizerStates => (true, false, false),
        ZeroStage::Gradients => (true, true, false),
        ZeroStage::Parameters => (true, true, true),
    };
    share(FP16_WEIGHT, p) + share(FP16_GRADIENT, g) + share(ADAM_STATE, os)
}
// ANCHOR_END: zero_bytes_per_device

/// Bytes per parameter of each kind of model state, for a training recipe other than the
/// paper's mixed precision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StateBytes {
    pub weight: f64,
    pub gradient: f64,
    pub optimizer: f64,
}

/// The paper's mixed-precision Adam: fp16 weight and gradient, K = 12 bytes of fp32 state.
pub const MIXED_PRECISION_ADAM: StateBytes =
    StateBytes { weight: FP16_WEIGHT, gradient: FP16_GRADIENT, optimizer: ADAM_STATE };

/// Adam entirely in fp32, as §4.1's simulation trains: the weight is its own master copy,
/// so K = 8 (momentum and variance), and weight and gradient take 4 bytes each. Still 16
/// bytes per parameter, split 4 + 4 + 8 instead of 2 + 2 + 12.
pub const FP32_ADAM: StateBytes = StateBytes { weight: 4.0, gradient: 4.0, optimizer: 8.0 };

/// [`zero_bytes_per_device`] for any [`StateBytes`]: the same table with $2, 2, K$
/// replaced by `bytes.weight`, `bytes.gradient`, `bytes.optimizer`.
pub fn zero_bytes_per_device_with(
    params: f64,
    devices: usize,
    stage: ZeroStage,
    bytes: StateBytes,
) -> f64 {
    assert!(devices > 0, "ZeRO needs at least one device");
    let n = devices as f64;
    let (os, g, p) = match stage {
        ZeroStage::None => (1.0, 1.0, 1.0),
        ZeroStage::OptimizerStates => (n, 1.0, 1.0),
        ZeroStage::Gradients => (n, n, 1.0),
        ZeroStage::Parameters => (n, n, n),
    };
    params * (bytes.weight / p + bytes.gradient / g + bytes.optimizer / os)
}

#[cfg(test)]
mod tests;
