use super::*;
use crate::architectures::gpt::Positions;
use crate::close::{assert_close, Tol};
use crate::training::memory::{zero_bytes_per_device_with, FP32_ADAM};
use crate::training::test_model::random_batches;

const CONFIG: GptConfig = GptConfig {
    vocab: 11,
    context: 8,
    d_model: 16,
    heads: 2,
    layers: 1,
    positions: Positions::Learned,
};
const STAGES: [ZeroStage; 4] =
    [ZeroStage::None, ZeroStage::OptimizerStates, ZeroStage::Gradients, ZeroStage::Parameters];

fn batches() -> Vec<Batch> {
    random_batches(43, 2, CONFIG.vocab)
}

fn adam() -> AdamConfig {
    AdamConfig { lr: 1e-2, ..AdamConfig::default() }
}

/// Every stage on 1, 2 and 3 ranks trains to the same weights as plain data parallelism on
/// as many ranks, and holds the bytes the calculator predicts for fp32 Adam (4 + 4 + 8
/// per parameter). Subtle: compared at equal N, because Adam divides by √v: a gradient
/// that is rounding noise (≈1e-9) moves its weight by up to lr·|g|/(|g| + ε), so a
/// different summation order could differ by more than the tolerance.
#[test]
fn zero_stages_hold_the_predicted_bytes_and_train_like_data_parallelism() {
    let data = batches();
    for n in [1, 2, 3] {
        let reference = zero_train(CONFIG, 5, &data, n, ZeroStage::None, adam()).unwrap();
        let phi = reference[0].params.len();
        for stage in STAGES {
            let out = zero_train(CONFIG, 5, &data, n, stage, adam()).unwrap();
            let formula = zero_bytes_per_device_with(phi as f64, n, stage, FP32_ADAM);
            for (rank, z) in out.iter().enumerate() {
                let what = format!("{stage:?} on {n} ranks, rank {rank}, after 2 Adam steps");
                assert_close(&what, &z.params, &reference[rank].params, Tol::abs(1e-6));
                // A shard is ⌊·⌋ or ⌈·⌉ of Φ/N: within one parameter's 16 bytes.
                let slack = if phi.is_multiple_of(n) { 0.0 } else { 16.0 };
                let held = z.held.total() as f64;
                assert!(
                    (held - formula).abs() <= slack,
                    "{what}: holds {held} B ({:?}), the calculator says {formula} B (±{slack})",
                    z.held
                );
            }
            let total: usize = out.iter().map(|z| z.held.total()).sum();
            if stage == ZeroStage::Parameters {
                assert_eq!(total, 16 * phi, "ZeRO-3 on {n} ranks: the shards add up to one copy");
            }
        }
    }
}

/// Stages 1 and 2 send what plain data parallelism sends (a reduce-scatter of the
/// gradients and an all-gather of the weights instead of an all-reduce).
#[test]
fn stages_1_and_2_communicate_like_data_parallelism() {
    let data = batches();
    let sent = |stage| -> Vec<usize> {
        zero_train(CONFIG, 5, &data, 3, stage, adam())
            .unwrap()
            .iter()
            .map(|z| z.traffic.bytes_sent)
            .collect()
    };
    let dp = sent(ZeroStage::None);
    assert_eq!(sent(ZeroStage::OptimizerStates), dp);
    assert_eq!(sent(ZeroStage::Gradients), dp);
}
