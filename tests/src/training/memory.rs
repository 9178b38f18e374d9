//! Graded suite for §4.1's memory calculator: the paper's worked examples (arXiv
//! 1910.02054, Figure 1), then a grid of sizes and device counts against the library.

use crate::compare::Tol;
use crate::{Check, Failure};

/// Sums of a few exact products: only rounding may differ.
const TIGHT: Tol = Tol { abs: 1e-6, rel: 1e-12 };
use solutions::training::memory::{model_state_bytes, zero_bytes_per_device, ZeroStage};

/// Grades `model_state_bytes(params)`.
pub fn check_model_state_bytes<F: Fn(f64) -> f64>(f: F) -> Check {
    for params in [1.0, 1.5e9, 7.5e9, 123.0] {
        let (got, want) = (f(params), model_state_bytes(params));
        if TIGHT.allows(got, want) {
            continue;
        }
        let per = got / params;
        let cause = if (per - 12.0).abs() < 1e-9 {
            "12 bytes per parameter: the fp32 master copy of the weights (4 bytes) is missing; \
             Adam keeps master weight, momentum and variance, 4 + 4 + 4"
        } else if (per - 4.0).abs() < 1e-9 {
            "4 bytes per parameter counts only the fp16 weight and gradient: Adam's fp32 state \
             (master weight, momentum, variance) is 12 more"
        } else {
            "2 + 2 + 12 = 16 bytes per parameter"
        };
        return Err(Failure::new(format!(
            "model_state_bytes({params:e}) = {got:e}, expected {want:e} ({per} bytes per \
             parameter instead of 16): {cause}."
        )));
    }
    Ok(())
}

/// Grades `zero_bytes_per_device(params, devices, stage)`.
pub fn check_zero_bytes_per_device<F: Fn(f64, usize, ZeroStage) -> f64>(f: F) -> Check {
    let stages =
        [ZeroStage::None, ZeroStage::OptimizerStates, ZeroStage::Gradients, ZeroStage::Parameters];
    for (params, devices) in [(7.5e9, 64), (1.0, 4), (1.5e9, 8), (1e6, 1), (3e8, 3)] {
        for stage in stages {
            let (got, want) =
                (f(params, devices, stage), zero_bytes_per_device(params, devices, stage));
            if TIGHT.allows(got, want) {
                continue;
            }
            let others: Vec<_> = stages
                .iter()
                .filter(|&&s| s != stage)
                .filter(|&&s| TIGHT.allows(got, zero_bytes_per_device(params, devices, s)))
                .collect();
            let cause = if got == model_state_bytes(params) / devices as f64
                && stage != ZeroStage::Parameters
            {
                "everything was divided by N: only stage 3 partitions all three states; stage 1 \
                 splits the optimizer state alone, stage 2 adds the gradients"
                    .to_string()
            } else if let Some(s) = others.first() {
                format!(
                    "that is the answer for {s:?}: stage 1 partitions the optimizer state, \
                         stage 2 also the gradients, stage 3 also the weights"
                )
            } else {
                "each state is replicated or split N ways: weight 2, gradient 2, optimizer 12 bytes \
                 per parameter".to_string()
            };
            return Err(Failure::new(format!(
                "zero_bytes_per_device({params:e}, {devices}, {stage:?}) = {got:e}, expected \
                 {want:e}: {cause}."
            )));
        }
    }
    Ok(())
}
