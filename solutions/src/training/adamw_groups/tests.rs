use super::{adamw_tensor_step, AdamW, AdamWConfig, GroupSizes};
use crate::foundations::optimizers::{adamw_step, AdamConfig, AdamState};
use crate::training::named_params::{for_each_grad, for_each_param_and_grad};
use crate::training::test_model::bigram;
use dfdx::nn::{NumParams, ZeroGrads};
use std::collections::HashMap;

#[test]
fn hand_worked_first_step_has_size_lr() {
    let cfg = AdamWConfig { beta1: 0.9, beta2: 0.99, eps: 0.0, weight_decay: 0.0 };
    let (mut p, mut m, mut v) = ([1.0f32], [0.0f32], [0.0f32]);
    adamw_tensor_step(&mut p, &[2.0], &mut m, &mut v, 1, 0.1, 0.0, &cfg);
    assert!((m[0] - 0.2).abs() < 1e-7 && (v[0] - 0.04).abs() < 1e-7, "m {m:?}, v {v:?}");
    assert!((p[0] - 0.9).abs() < 1e-6, "p = {} after one step, hand-worked 0.9", p[0]);
    // With decay 0.5 the old p also shrinks by lr·λ = 5 %: 1 · 0.95 − 0.1 = 0.85.
    let (mut p, mut m, mut v) = ([1.0f32], [0.0f32], [0.0f32]);
    adamw_tensor_step(&mut p, &[2.0], &mut m, &mut v, 1, 0.1, 0.5, &cfg);
    assert!((p[0] - 0.85).abs() < 1e-6, "p = {} with decay, hand-worked 0.85", p[0]);
}

#[test]
fn matrices_and_embeddings_decay_vectors_do_not() {
    let model = bigram(0);
    let opt = AdamW::new(&model, AdamWConfig::nanogpt());
    let decayed: Vec<&str> =
        opt.params().iter().filter(|p| p.decay).map(|p| p.name.as_str()).collect();
    assert_eq!(decayed, ["0.weight", "2.weight"], "embedding and head weight are decayed");
    let sizes = opt.group_sizes();
    // (7·6 + 7·6) decayed; LayerNorm gamma 6 + beta 6 + head bias 7 not.
    let want =
        GroupSizes { decayed_tensors: 2, decayed_params: 84, other_tensors: 3, other_params: 19 };
    assert_eq!(sizes, want);
    assert_eq!(
        sizes.decayed_params + sizes.other_params,
        model.num_trainable_params(),
        "the two groups must cover every trainable parameter exactly once"
    );
}

/// Our per-tensor step against §1.9's `adamw_step` (its own derivation, dfdx-checked): the
/// same update up to rounding, for 20 steps with decay.
#[test]
fn agrees_with_the_chapter_1_adamw_step() {
    let cfg = AdamWConfig { beta1: 0.9, beta2: 0.99, eps: 1e-8, weight_decay: 0.1 };
    let old = AdamConfig { lr: 0.05, beta1: 0.9, beta2: 0.99, eps: 1e-8, weight_decay: 0.1 };
    let mut ours = vec![1.0f32, -2.0, 3.0, 0.5];
    let (mut m, mut v) = (vec![0.0; 4], vec![0.0; 4]);
    let (mut theirs, mut state) = (ours.clone(), AdamState::new(4));
    for t in 1..=20u64 {
        let g: Vec<f32> = ours.iter().map(|p| 2.0 * p - 1.0).collect();
        adamw_tensor_step(&mut ours, &g, &mut m, &mut v, t, 0.05, 0.1, &cfg);
        let g: Vec<f32> = theirs.iter().map(|p| 2.0 * p - 1.0).collect();
        adamw_step(&mut theirs, &g, &mut state, &old);
        for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
            assert!((a - b).abs() < 1e-5, "step {t}, parameter {i}: {a} here, {b} in §1.9");
        }
    }
}

#[derive(serde::Deserialize)]
struct Step {
    lr: f64,
    grads: HashMap<String, Vec<f32>>,
    params: HashMap<String, Vec<f32>>,
}

#[derive(serde::Deserialize)]
struct Reference {
    tolerance: f32,
    betas: [f64; 2],
    eps: f64,
    weight_decay: f64,
    decayed: Vec<String>,
    start: HashMap<String, Vec<f32>>,
    steps: Vec<Step>,
}

/// `torch.optim.AdamW` with nanoGPT's two groups, fed the same gradients and learning
/// rates for 10 steps (`scripts/reference/adamw_groups.py`).
#[test]
fn matches_pytorch_adamw_with_two_groups_for_10_steps() {
    let r: Reference =
        serde_json::from_str(include_str!("../../../../data/reference/adamw_groups.json"))
            .expect("data/reference/adamw_groups.json does not parse");
    let mut model = bigram(0);
    let mut grads = model.alloc_grads();
    for_each_param_and_grad(&mut model, &mut grads, |name, p, _| p.copy_from_slice(&r.start[name]))
        .unwrap();
    let cfg = AdamWConfig {
        beta1: r.betas[0],
        beta2: r.betas[1],
        eps: r.eps,
        weight_decay: r.weight_decay,
    };
    let mut opt = AdamW::new(&model, cfg);
    let ours: Vec<&String> = opt.params().iter().filter(|p| p.decay).map(|p| &p.name).collect();
    assert_eq!(ours, r.decayed.iter().collect::<Vec<_>>(), "decay groups differ from nanoGPT's");
    let mut worst = 0.0f32;
    for (k, step) in r.steps.iter().enumerate() {
        for_each_grad(&model, &mut grads, |name, g| g.copy_from_slice(&step.grads[name])).unwrap();
        opt.update(&mut model, &mut grads, step.lr).unwrap();
        for_each_param_and_grad(&mut model, &mut grads, |name, p, _| {
            for (i, (&ours, &torch)) in p.iter().zip(&step.params[name]).enumerate() {
                let err = (ours - torch).abs();
                worst = worst.max(err);
                assert!(
                    err <= r.tolerance,
                    "after step {}: {name}[{i}] is {ours}, PyTorch's AdamW has {torch} (|diff| \
                     {err:.1e} > {:.0e}); is the decay applied to this group, and to the old p?",
                    k + 1,
                    r.tolerance
                );
            }
        })
        .unwrap();
    }
    assert_eq!(opt.step_count(), 10);
    println!("AdamW groups: max |ours - PyTorch| over 10 steps = {worst:.2e}");
}
