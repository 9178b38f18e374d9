use super::*;
use crate::close::{assert_close, Tol};
use serde::Deserialize;

#[derive(Deserialize)]
struct Reference {
    provenance: String,
    tolerance: f32,
    shape: [usize; 2],
    eps: f32,
    momentum: f32,
    x1: Vec<f32>,
    x2: Vec<f32>,
    gamma: Vec<f32>,
    beta: Vec<f32>,
    layer_norm: Vec<f32>,
    rms_norm: Vec<f32>,
    bn_train1: Vec<f32>,
    bn_train2: Vec<f32>,
    bn_running_mean: Vec<f32>,
    bn_running_var: Vec<f32>,
    bn_eval: Vec<f32>,
}

#[test]
fn layer_rms_and_batch_norm_match_pytorch() {
    let r: Reference =
        serde_json::from_str(include_str!("../../../../data/reference/normalization.json"))
            .unwrap();
    let dev = Dev::default();
    let t = |v: &[f32]| dev.tensor_from_vec(v.to_vec(), (r.shape[0], r.shape[1]));
    let tol = r.tolerance;
    let p = &r.provenance;
    assert_close(
        &format!("LayerNorm ({p})"),
        &layer_norm(t(&r.x1), &r.gamma, &r.beta, r.eps).as_vec(),
        &r.layer_norm,
        Tol::abs_rel(tol),
    );
    assert_close(
        &format!("RMSNorm ({p})"),
        &rms_norm(t(&r.x1), &r.gamma, r.eps).as_vec(),
        &r.rms_norm,
        Tol::abs_rel(tol),
    );
    let mut running = RunningStats { mean: vec![0.0; r.shape[1]], var: vec![1.0; r.shape[1]] };
    let y1 = batch_norm_train(t(&r.x1), &r.gamma, &r.beta, &mut running, r.momentum, r.eps);
    let y2 = batch_norm_train(t(&r.x2), &r.gamma, &r.beta, &mut running, r.momentum, r.eps);
    assert_close("BatchNorm train step 1", &y1.as_vec(), &r.bn_train1, Tol::abs_rel(tol));
    assert_close("BatchNorm train step 2", &y2.as_vec(), &r.bn_train2, Tol::abs_rel(tol));
    assert_close("running mean", &running.mean, &r.bn_running_mean, Tol::abs_rel(tol));
    assert_close("running var", &running.var, &r.bn_running_var, Tol::abs_rel(tol));
    let eval = batch_norm_eval(t(&r.x1), &r.gamma, &r.beta, &running, r.eps);
    assert_close("BatchNorm eval", &eval.as_vec(), &r.bn_eval, Tol::abs_rel(tol));
}

#[test]
fn layer_norm_and_batch_norm_equal_dfdx_layers() {
    let dev = Dev::seed_from_u64(0);
    let x: Tensor<Rank2<7, 6>, f32, Dev> = dev.sample_normal() * 2.0 + 0.5;
    let mut ln = dev.build_module::<builders::LayerNorm1D<6>, f32>();
    ln.gamma = dev.sample_normal();
    ln.beta = dev.sample_normal();
    let ours = layer_norm(x.clone(), &ln.gamma.as_vec(), &ln.beta.as_vec(), 1e-5);
    assert_close(
        "LayerNorm vs dfdx",
        &ours.as_vec(),
        &ln.forward(x.clone()).as_vec(),
        Tol::abs_rel(1e-5),
    );

    let mut bn = dev.build_module::<builders::BatchNorm1D<6>, f32>();
    bn.scale = dev.sample_normal();
    bn.bias = dev.sample_normal();
    let (g, b) = (bn.scale.as_vec(), bn.bias.as_vec());
    let mut running = RunningStats { mean: vec![0.0; 6], var: vec![1.0; 6] };
    for _ in 0..3 {
        let theirs = bn.forward_mut(x.clone().traced(bn.alloc_grads())).as_vec();
        let ours = batch_norm_train(x.clone(), &g, &b, &mut running, 0.1, 1e-5);
        assert_close("BatchNorm train vs dfdx", &ours.as_vec(), &theirs, Tol::abs_rel(1e-5));
    }
    assert_close(
        "running mean vs dfdx",
        &running.mean,
        &bn.running_mean.as_vec(),
        Tol::abs_rel(1e-6),
    );
    assert_close("running var vs dfdx", &running.var, &bn.running_var.as_vec(), Tol::abs_rel(1e-6));
    let ours = batch_norm_eval(x.clone(), &g, &b, &running, 1e-5);
    assert_close(
        "BatchNorm eval vs dfdx",
        &ours.as_vec(),
        &bn.forward(x).as_vec(),
        Tol::abs_rel(1e-5),
    );
}

/// In training mode a sample's BatchNorm output depends on its batch-mates; LayerNorm's
/// never does, and neither does BatchNorm's in evaluation mode.
#[test]
fn only_training_batch_norm_mixes_samples() {
    let dev = Dev::seed_from_u64(1);
    let a: Tensor<(usize, usize), f32, Dev> = dev.sample_normal_like(&(4, 3));
    let mut b = a.as_vec();
    b[3..].iter_mut().for_each(|v| *v += 10.0); // change every row but the first
    let b = dev.tensor_from_vec(b, (4, 3));
    let first = |t: Tensor<(usize, usize), f32, Dev>| t.as_vec()[..3].to_vec();
    let (g, z) = (vec![1.0; 3], vec![0.0; 3]);
    let mut running = RunningStats { mean: vec![0.0; 3], var: vec![1.0; 3] };
    let bn_a = first(batch_norm_train(a.clone(), &g, &z, &mut running, 0.1, 1e-5));
    let bn_b = first(batch_norm_train(b.clone(), &g, &z, &mut running, 0.1, 1e-5));
    assert!(bn_a.iter().zip(&bn_b).any(|(x, y)| (x - y).abs() > 0.1), "train BN ignored the batch");
    assert_eq!(
        first(layer_norm(a.clone(), &g, &z, 1e-5)),
        first(layer_norm(b.clone(), &g, &z, 1e-5))
    );
    let eval = |t| first(batch_norm_eval(t, &g, &z, &running, 1e-5));
    assert_eq!(eval(a), eval(b));
}

/// The parameter counts on the page, counted from real dfdx modules.
#[test]
fn parameter_counts_match_real_modules() {
    let dev = Dev::default();
    let bn = dev.build_module::<builders::BatchNorm1D<64>, f32>();
    assert_eq!(bn.num_trainable_params(), batch_norm_params(64));
    let state = bn.scale.shape().num_elements()
        + bn.bias.shape().num_elements()
        + bn.running_mean.shape().num_elements()
        + bn.running_var.shape().num_elements();
    assert_eq!(state, batch_norm_state(64));
    let ln = dev.build_module::<builders::LayerNorm1D<768>, f32>();
    assert_eq!(ln.num_trainable_params(), layer_norm_params(&[768]));
    // A LayerNorm over a whole 3×4×5 feature map normalises 60 values with 60 γ and 60 β.
    let ln_chw = dev.build_module::<builders::LayerNorm1D<60>, f32>();
    assert_eq!(ln_chw.num_trainable_params(), layer_norm_params(&[3, 4, 5]));
    assert_eq!(layer_norm_params(&[3, 4, 5]), 120);
}

/// The functions stay on the tape: dL/dx for L = Σ y ⊙ W equals the one backpropagated
/// through dfdx's own `LayerNorm1D` and `BatchNorm1D` (training mode) on the same x.
#[test]
fn gradients_equal_dfdx_layers() {
    let dev = Dev::seed_from_u64(2);
    let x: Tensor<Rank2<5, 4>, f32, Dev> = dev.sample_normal() * 2.0 + 0.5;
    let w: Tensor<Rank2<5, 4>, f32, Dev> = dev.sample_normal();
    let grad = |y: Tensor<Rank2<5, 4>, f32, Dev, OwnedTape<f32, Dev>>| {
        (y * w.clone()).sum().backward().get(&x).as_vec()
    };
    let mut ln = dev.build_module::<builders::LayerNorm1D<4>, f32>();
    ln.gamma = dev.sample_normal();
    ln.beta = dev.sample_normal();
    let ours = grad(layer_norm(x.leaky_trace(), &ln.gamma.as_vec(), &ln.beta.as_vec(), 1e-5));
    let theirs = grad(ln.forward(x.leaky_trace()));
    assert_close("LayerNorm dL/dx vs dfdx", &ours, &theirs, Tol::abs_rel(1e-4));

    let mut bn = dev.build_module::<builders::BatchNorm1D<4>, f32>();
    bn.scale = dev.sample_normal();
    let (g, b) = (bn.scale.as_vec(), bn.bias.as_vec());
    let mut running = RunningStats { mean: vec![0.0; 4], var: vec![1.0; 4] };
    let ours = grad(batch_norm_train(x.leaky_trace(), &g, &b, &mut running, 0.1, 1e-5));
    let theirs = grad(bn.forward_mut(x.leaky_trace()));
    assert_close("BatchNorm dL/dx vs dfdx", &ours, &theirs, Tol::abs_rel(1e-4));
    // Hand-worked: BatchNorm's output is unchanged when a channel is shifted, so each
    // column of dL/dx sums to zero (LayerNorm's rows do, likewise).
    for c in 0..4 {
        let column: f32 = (0..5).map(|r| ours[r * 4 + c]).sum();
        assert!(column.abs() < 1e-4, "channel {c}: {column}");
    }
}
