use super::{
    evaluate, next_token_loss, train_step, training_batch, LanguageModel, Logits, LoopConfig,
    Tokens, Traced,
};
use crate::nlp::perplexity::token_log_probs;
use crate::training::adamw_groups::{AdamW, AdamWConfig};
use crate::training::named_params::for_each_param_and_grad;
use crate::training::test_model::{bigram, Bigram, V};
use crate::Dev;
use dfdx::nn::{Module, ZeroGrads};
use dfdx::prelude::{AsArray, HasShape, RealizeTo, Tensor, TensorFromVec};
use std::collections::HashMap;

impl LanguageModel for Bigram {
    fn forward_traced(&self, tokens: Tokens<Traced>) -> Logits<Traced> {
        self.forward(tokens).realize() // (B, T, V): the const V made a runtime size
    }
    fn forward_logits(&self, tokens: Tokens) -> Logits {
        self.forward(tokens).realize()
    }
}

#[test]
fn loss_of_uniform_logits_is_ln_v_and_matches_chapter_2() {
    let dev = Dev::default();
    let zeros: Logits = dev.tensor_from_vec(vec![0.0; 2 * 3 * V], (2, 3, V));
    let loss = next_token_loss(zeros, &[0, 1, 2, 3, 4, 5]).array();
    assert!((loss - (V as f32).ln()).abs() < 1e-6, "uniform over {V} tokens: {loss}, not ln {V}");
    // Random logits: the mean of −ln p(target) from §2.6's token_log_probs, row by row.
    let logits: Vec<f32> = (0..2 * 3 * V).map(|i| ((i * 37 % 11) as f32 - 5.0) / 3.0).collect();
    let targets = [3, 0, 6, 2, 2, 5];
    let ours = next_token_loss(dev.tensor_from_vec(logits.clone(), (2, 3, V)), &targets).array();
    let rows: Tensor<(usize, usize), f32, Dev> = dev.tensor_from_vec(logits, (6, V));
    let slow =
        -token_log_probs(rows, &targets).as_vec().iter().map(|&l| l as f64).sum::<f64>() / 6.0;
    assert!((ours as f64 - slow).abs() < 1e-5, "loss {ours}, §2.6's log-probs give {slow}");
}

#[test]
fn loss_goes_down_on_a_repeated_pattern() {
    // "0 1 2 3 4 5 6 0 1 2 ...": every next token is determined by the current one, which
    // a bigram model can learn completely.
    let data: Vec<u32> = (0..700).map(|i| (i % V) as u32).collect();
    let cfg = LoopConfig {
        batch: 4,
        context: 8,
        warmup: 10,
        max_steps: 150,
        max_lr: 3e-2,
        min_lr: 3e-3,
        grad_clip: 1.0,
    };
    let mut model = bigram(3);
    let mut opt = AdamW::new(&model, AdamWConfig::nanogpt());
    let mut grads = model.alloc_grads();
    let before = evaluate(&model, &data, 4, 8, 4, 99);
    for step in 0..150 {
        let (x, y) = training_batch(&data, &cfg, 5, step);
        let stats = train_step(&mut model, &mut opt, &mut grads, (&x, &y), step, &cfg).unwrap();
        assert!(stats.loss.is_finite() && stats.grad_norm.is_finite(), "step {step}: {stats:?}");
    }
    let after = evaluate(&model, &data, 4, 8, 4, 99);
    assert!(
        after < 0.1 * before && after < 0.2,
        "held-out loss {before:.3} -> {after:.3} after 150 steps on a fully predictable \
         pattern; expected below 0.2"
    );
}

#[derive(serde::Deserialize)]
struct Step {
    x: Vec<Vec<u32>>,
    y: Vec<Vec<u32>>,
    lr: f64,
    loss: f32,
    grad_norm: f32,
    params: HashMap<String, Vec<f32>>,
}

#[derive(serde::Deserialize)]
struct Reference {
    tolerance: f32,
    warmup: usize,
    max_steps: usize,
    max_lr: f64,
    min_lr: f64,
    grad_clip: f32,
    betas: [f64; 2],
    eps: f64,
    weight_decay: f64,
    start: HashMap<String, Vec<f32>>,
    steps: Vec<Step>,
}

/// nanoGPT's loop body in PyTorch (`scripts/reference/train_step.py`) on the same weights
/// and batches: each step's loss, gradient norm, learning rate and updated weights.
#[test]
fn six_steps_equal_pytorch_nanogpt_loop() {
    let r: Reference =
        serde_json::from_str(include_str!("../../../../data/reference/train_step.json"))
            .expect("data/reference/train_step.json does not parse");
    let mut model = bigram(0);
    let mut grads = model.alloc_grads();
    for_each_param_and_grad(&mut model, &mut grads, |n, p, _| p.copy_from_slice(&r.start[n]))
        .unwrap();
    let [beta1, beta2] = r.betas;
    let adamw = AdamWConfig { beta1, beta2, eps: r.eps, weight_decay: r.weight_decay };
    let mut opt = AdamW::new(&model, adamw);
    let cfg = LoopConfig {
        batch: r.steps[0].x.len(),
        context: r.steps[0].x[0].len(),
        warmup: r.warmup,
        max_steps: r.max_steps,
        max_lr: r.max_lr,
        min_lr: r.min_lr,
        grad_clip: r.grad_clip,
    };
    let (tol, mut worst) = (r.tolerance, [0.0f32; 3]);
    for (k, s) in r.steps.iter().enumerate() {
        let got =
            train_step(&mut model, &mut opt, &mut grads, (&s.x, &s.y), k as u64, &cfg).unwrap();
        assert!((got.lr - s.lr).abs() < 1e-12, "step {k}: lr {} vs nanoGPT {}", got.lr, s.lr);
        let (dl, dn) = ((got.loss - s.loss).abs(), (got.grad_norm - s.grad_norm).abs());
        assert!(dl <= tol, "step {k}: loss {} vs PyTorch {} (tolerance {tol:e})", got.loss, s.loss);
        assert!(
            dn <= tol,
            "step {k}: grad norm {} vs {}: backward differs",
            got.grad_norm,
            s.grad_norm
        );
        (worst[0], worst[1]) = (worst[0].max(dl), worst[1].max(dn));
        for_each_param_and_grad(&mut model, &mut grads, |name, p, _| {
            for (i, (&a, &b)) in p.iter().zip(&s.params[name]).enumerate() {
                worst[2] = worst[2].max((a - b).abs());
                assert!((a - b).abs() <= tol, "after step {k}: {name}[{i}] = {a}, PyTorch {b}");
            }
        })
        .unwrap();
    }
    println!(
        "train step vs PyTorch: max |Δloss| {:.1e}, |Δnorm| {:.1e}, |Δweight| {:.1e}",
        worst[0], worst[1], worst[2]
    );
}

#[test]
fn tokens_tensor_type_is_b_by_t() {
    let dev = Dev::default();
    let t: Tokens = dev.tensor_from_vec(vec![0usize; 6], (2, 3));
    let logits = bigram(0).forward_logits(t);
    assert_eq!(*logits.shape(), (2, 3, V), "logits are (B, T, V)");
}
