use super::*;

#[test]
fn sixteen_bytes_per_parameter_and_gpt2_xl() {
    assert_eq!(model_state_bytes(1.0), 16.0);
    assert_eq!(model_state_bytes(1.5e9), 24e9);
    // Adam's state is three quarters of it: 12 of 16 bytes.
    assert_eq!(ADAM_STATE / model_state_bytes(1.0), 0.75);
}

/// Figure 1 of arXiv 1910.02054: Φ = 7.5B, N = 64, K = 12 gives 120 GB, 31.4 GB,
/// 16.6 GB and 1.9 GB per device.
#[test]
fn the_papers_figure_1() {
    let gb = |s| zero_bytes_per_device(7.5e9, 64, s) / 1e9;
    assert_eq!(gb(ZeroStage::None), 120.0);
    assert_eq!(gb(ZeroStage::OptimizerStates), 31.406_25);
    assert_eq!(gb(ZeroStage::Gradients), 16.640_625);
    assert_eq!(gb(ZeroStage::Parameters), 1.875);
}

#[test]
fn one_device_gains_nothing_and_stages_only_help() {
    let stages =
        [ZeroStage::None, ZeroStage::OptimizerStates, ZeroStage::Gradients, ZeroStage::Parameters];
    for s in stages {
        assert_eq!(zero_bytes_per_device(1e9, 1, s), model_state_bytes(1e9));
    }
    for w in stages.windows(2) {
        assert!(zero_bytes_per_device(1e9, 8, w[1]) < zero_bytes_per_device(1e9, 8, w[0]));
    }
    // Stage 3 divides everything by N.
    assert_eq!(zero_bytes_per_device(1e9, 8, ZeroStage::Parameters), 16e9 / 8.0);
}

/// The general table with the paper's bytes is the paper's table; fp32 Adam keeps 16
/// bytes per parameter in all, split 4 + 4 + 8.
#[test]
fn the_general_calculator_agrees_with_the_mixed_precision_one() {
    for stage in
        [ZeroStage::None, ZeroStage::OptimizerStates, ZeroStage::Gradients, ZeroStage::Parameters]
    {
        for n in [1, 3, 64] {
            let (general, paper) = (
                zero_bytes_per_device_with(7.5e9, n, stage, MIXED_PRECISION_ADAM),
                zero_bytes_per_device(7.5e9, n, stage),
            );
            assert!(
                approx::relative_eq!(general, paper, max_relative = 1e-12),
                "{stage:?}, N = {n}"
            );
        }
    }
    // fp32 Adam on 4 devices: stage 1 keeps 4 + 4 + 8/4 = 10 bytes per parameter.
    assert_eq!(zero_bytes_per_device_with(1.0, 4, ZeroStage::OptimizerStates, FP32_ADAM), 10.0);
    assert_eq!(zero_bytes_per_device_with(1.0, 4, ZeroStage::None, FP32_ADAM), 16.0);
}
