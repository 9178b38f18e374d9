use super::*;
use crate::architectures::gpt::Positions;
use crate::close::{assert_close, Tol};
use crate::training::test_model::random_batches;

const CONFIG: GptConfig = GptConfig {
    vocab: 11,
    context: 8,
    d_model: 16,
    heads: 2,
    layers: 2,
    positions: Positions::Learned,
};

fn batches() -> Vec<Batch> {
    random_batches(42, 3, CONFIG.vocab)
}

/// One process, the whole batch, no cluster: the reference.
fn single_process(batches: &[Batch], lr: f32) -> Vec<f32> {
    let mut model = Gpt::new(&Dev::seed_from_u64(7), CONFIG);
    let mut grads = model.alloc_grads();
    for (x, y) in batches {
        let g = local_gradients(&model, &mut grads, (x, y));
        sgd_step(&mut model, &mut grads, &g, lr);
    }
    flat_params(&mut model)
}

/// DDP on 1, 2 and 4 workers equals one process on the combined batch, within 1e-5,
/// and every replica ends identical.
#[test]
fn ddp_equals_single_process_training_on_the_combined_batch() {
    let (data, lr) = (batches(), 0.5);
    let want = single_process(&data, lr);
    let start = flat_params(&mut Gpt::new(&Dev::seed_from_u64(7), CONFIG));
    // The reference moved: the comparison is not between two untrained models.
    let moved = want.iter().zip(&start).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
    assert!(moved > 1e-3, "training barely moved the parameters ({moved})");
    for workers in [1, 2, 4] {
        let out = ddp_train(CONFIG, 7, &data, workers, lr).unwrap();
        for (rank, (params, _)) in out.iter().enumerate() {
            let what = format!("DDP on {workers} workers, rank {rank}, after 3 steps");
            assert_close(&what, params, &want, Tol::abs(1e-5));
        }
    }
}

/// Summing instead of averaging takes an N-times larger step: the test above would catch it.
#[test]
fn summed_gradients_do_not_match() {
    let data = batches();
    let model = Gpt::new(&Dev::seed_from_u64(7), CONFIG);
    let mut grads = model.alloc_grads();
    let (x, y) = &data[0];
    // dfdx accumulates into the buffers: zero them before each backward pass.
    let mut grad_of = |r: std::ops::Range<usize>| {
        model.zero_grads(&mut grads);
        local_gradients(&model, &mut grads, (&x[r.clone()], &y[r]))
    };
    let halves = [grad_of(0..2), grad_of(2..4)];
    let whole = grad_of(0..4);
    let mean: Vec<f32> = halves[0].iter().zip(&halves[1]).map(|(a, b)| (a + b) / 2.0).collect();
    assert_close("mean of the halves' gradients", &mean, &whole, Tol::abs(1e-6));
    let sum: Vec<f32> = mean.iter().map(|g| 2.0 * g).collect();
    let off = sum.iter().zip(&whole).filter(|(a, b)| (*a - *b).abs() > 1e-4).count();
    assert!(off > whole.len() / 2, "only {off} of {} gradients differ", whole.len());
}
