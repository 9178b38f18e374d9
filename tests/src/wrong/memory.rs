//! §4.1: plausible wrong memory counts.

use solutions::training::memory::{zero_bytes_per_device, ZeroStage};

/// No fp32 master copy: 2 + 2 + 8.
pub fn state_no_master_copy(params: f64) -> f64 {
    12.0 * params
}
/// Only the fp16 weight and gradient.
pub fn state_fp16_only(params: f64) -> f64 {
    4.0 * params
}
/// Every stage divides everything by N.
pub fn zero_all_partitioned(params: f64, devices: usize, stage: ZeroStage) -> f64 {
    match stage {
        ZeroStage::None => 16.0 * params,
        _ => 16.0 * params / devices as f64,
    }
}
/// Stages 1 and 2 swapped.
pub fn zero_stages_swapped(params: f64, devices: usize, stage: ZeroStage) -> f64 {
    let s = match stage {
        ZeroStage::OptimizerStates => ZeroStage::Gradients,
        ZeroStage::Gradients => ZeroStage::OptimizerStates,
        s => s,
    };
    zero_bytes_per_device(params, devices, s)
}
