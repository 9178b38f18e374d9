use super::{clip_grad_norm, clip_model_grads, sum_of_squares};
use crate::training::named_params::for_each_grad;
use crate::training::test_model::bigram;
use dfdx::nn::ZeroGrads;
use std::collections::HashMap;

#[test]
fn hand_worked_three_four_five() {
    let mut g = vec![vec![3.0], vec![4.0]];
    let norm = clip_grad_norm(&mut g, 1.0);
    assert_eq!(norm, 5.0, "the norm of [3] and [4] together is 5, not per tensor");
    assert!((g[0][0] - 0.6).abs() < 1e-6 && (g[1][0] - 0.8).abs() < 1e-6, "got {g:?}");
    // Below the threshold the gradients are left exactly as they were.
    let mut g = vec![vec![3.0], vec![4.0]];
    assert_eq!(clip_grad_norm(&mut g, 10.0), 5.0);
    assert_eq!(g, vec![vec![3.0], vec![4.0]], "clipping must never scale gradients up");
    // A zero gradient has norm 0 and stays zero (no division by zero).
    let mut g = vec![vec![0.0; 3]];
    assert_eq!(clip_grad_norm(&mut g, 1.0), 0.0);
    assert_eq!(g, vec![vec![0.0; 3]]);
}

#[test]
fn eight_lane_sum_of_squares_is_the_plain_sum() {
    // 0² + 1² + … + 20² = 20·21·41/6 = 2870; 21 values leave a remainder of 5 lanes.
    let x: Vec<f32> = (0..=20).map(|k| k as f32).collect();
    assert_eq!(sum_of_squares(&x), 2870.0);
    assert_eq!(sum_of_squares(&[]), 0.0);
}

#[derive(serde::Deserialize)]
struct Case {
    max_norm: f32,
    total_norm: f32,
    clipped: HashMap<String, Vec<f32>>,
}

#[derive(serde::Deserialize)]
struct Reference {
    tolerance: f32,
    grads: HashMap<String, Vec<f32>>,
    cases: Vec<Case>,
}

/// `torch.nn.utils.clip_grad_norm_` on the same gradients, stored by
/// `scripts/reference/grad_clip.py`; checked on a real dfdx model's `Gradients`, and the
/// flat-`Vec` version must agree with the model version.
#[test]
fn matches_pytorch_clip_grad_norm() {
    let r: Reference =
        serde_json::from_str(include_str!("../../../../data/reference/grad_clip.json"))
            .expect("data/reference/grad_clip.json does not parse");
    let model = bigram(0);
    let mut worst = 0.0f32;
    for case in &r.cases {
        let mut grads = model.alloc_grads();
        for_each_grad(&model, &mut grads, |name, g| g.copy_from_slice(&r.grads[name])).unwrap();
        let norm = clip_model_grads(&model, &mut grads, case.max_norm).unwrap();
        let rel = (norm - case.total_norm).abs() / case.total_norm;
        assert!(
            rel <= r.tolerance,
            "max_norm {}: total norm {norm}, PyTorch {} (relative error {rel:.1e} > {:.0e}): \
             is it one norm over all tensors, before clipping?",
            case.max_norm,
            case.total_norm,
            r.tolerance
        );
        let mut flat = Vec::new();
        for_each_grad(&model, &mut grads, |name, g| {
            for (i, (&ours, &torch)) in g.iter().zip(&case.clipped[name]).enumerate() {
                worst = worst.max((ours - torch).abs());
                assert!(
                    (ours - torch).abs() <= r.tolerance,
                    "max_norm {}: {name}[{i}] is {ours} after clipping, PyTorch has {torch}",
                    case.max_norm
                );
            }
            flat.push(r.grads[name].clone());
        })
        .unwrap();
        let flat_norm = clip_grad_norm(&mut flat, case.max_norm);
        assert_eq!(flat_norm, norm, "the Vec version and the model version disagree");
    }
    println!("grad clip: max |ours - PyTorch| = {worst:.2e}");
}
