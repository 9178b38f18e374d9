use super::*;
use crate::architectures::params::filled;
use crate::close::{assert_close, Tol};
use crate::training::named_params::named_params;

fn matrix(dev: &Dev, rows: usize, cols: usize, v: &[f32]) -> Matrix {
    dev.tensor_from_vec(v.to_vec(), (Dyn(rows), Dyn(cols)))
}

/// The doc comment's layer: W₀ = I (2 × 2), b = 0, A = (1, 1), B = (0.5, 0)ᵀ, α/r = 2.
fn worked_layer(dev: &Dev) -> LoraLinear {
    LoraLinear {
        base: Conv1D {
            weight: matrix(dev, 2, 2, &[1.0, 0.0, 0.0, 1.0]),
            bias: filled(dev, 2, 0.0),
        },
        lora_a: matrix(dev, 1, 2, &[1.0, 1.0]),
        lora_b: matrix(dev, 2, 1, &[0.5, 0.0]),
        alpha: 2.0,
    }
}

/// A layer with k = 5 in, d = 3 out, rank 2, random W₀, b, A and a non-zero B.
fn random_layer(seed: u64) -> LoraLinear {
    let dev = Dev::seed_from_u64(seed);
    let base = Conv1D::new(&dev, 5, 3, 0.5);
    let base = Conv1D { bias: dev.sample_normal_like(base.bias.shape()), ..base };
    let mut layer = LoraLinear::new(&dev, base, LoraConfig { rank: 2, alpha: 3.0 });
    layer.lora_b = dev.sample_normal_like(layer.lora_b.shape());
    layer
}

#[test]
fn the_worked_example_by_hand() {
    let dev = Dev::default();
    let layer = worked_layer(&dev);
    let x = dev.tensor_from_vec(vec![1.0, 2.0], (1, 2));
    assert_eq!(lora_forward(&layer, x.clone()).as_vec(), vec![4.0, 2.0]);
    let merged = lora_merge(&layer);
    // W = I + 2BA = ((2, 1), (0, 1)), stored transposed as ((2, 0), (1, 1)).
    assert_eq!(merged.weight.as_vec(), vec![2.0, 0.0, 1.0, 1.0]);
    assert_eq!(merged.forward(x).as_vec(), vec![4.0, 2.0]);
}

/// B starts at zero, so a fresh adapter changes nothing: bit for bit, not just closely.
#[test]
fn a_fresh_adapter_computes_the_base_layer_exactly() {
    let dev = Dev::seed_from_u64(3);
    let base = Conv1D::new(&dev, 6, 4, 0.3);
    let layer = LoraLinear::new(&dev, base.clone(), LoraConfig { rank: 2, alpha: 16.0 });
    assert!(layer.lora_b.as_vec().iter().all(|&b| b == 0.0), "B must start at zero");
    assert!(layer.lora_a.as_vec().iter().any(|&a| a != 0.0), "A must start random");
    let x: Stream<NoneTape> = dev.sample_normal_like(&(7, 6));
    assert_eq!(lora_forward(&layer, x.clone()).as_vec(), base.forward(x).as_vec());
}

/// PEFT's default init of A: Kaiming-uniform with a = √5, i.e. U(−1/√k, 1/√k).
#[test]
fn a_is_uniform_within_one_over_root_k() {
    let dev = Dev::seed_from_u64(5);
    let k = 64;
    let layer =
        LoraLinear::new(&dev, Conv1D::new(&dev, k, 8, 0.02), LoraConfig { rank: 16, alpha: 16.0 });
    let a = layer.lora_a.as_vec();
    assert_eq!(*layer.lora_a.shape(), (Dyn(16), Dyn(k)), "A is (r, k): the down-projection");
    assert_eq!(*layer.lora_b.shape(), (Dyn(8), Dyn(16)), "B is (d, r): the up-projection");
    let bound = 1.0 / (k as f32).sqrt();
    assert!(a.iter().all(|v| v.abs() <= bound), "A leaves U(−{bound}, {bound})");
    // The variance of U(−c, c) is c²/3; over 1,024 draws its standard error is about 3 %
    // of it, so 5σ is ±15 %.
    let var = a.iter().map(|v| v * v).sum::<f32>() / a.len() as f32;
    let want = bound * bound / 3.0;
    assert!((var / want - 1.0).abs() < 0.15, "variance of A {var}, expected about {want}");
}

/// The merged layer computes what the adapted one computes, within 1e-5.
#[test]
fn merging_gives_the_same_outputs() {
    for seed in 0..4 {
        let layer = random_layer(seed);
        let dev = Dev::seed_from_u64(100 + seed);
        let x: Stream<NoneTape> = dev.sample_normal_like(&(9, 5));
        let want = lora_forward(&layer, x.clone()).as_vec();
        let got = lora_merge(&layer).forward(x).as_vec();
        assert_close(
            &format!("seed {seed}: merged layer against x W₀ᵀ + b + s·x AᵀBᵀ"),
            &got,
            &want,
            Tol::abs(1e-5),
        );
    }
}

/// For L = Σ G ⊙ h with h = xW₀ᵀ + b + s·(xAᵀ)Bᵀ: ∂L/∂B = s·Gᵀ(xAᵀ) (d, r) and
/// ∂L/∂A = s·(GB)ᵀx (r, k), written out as loops and compared with dfdx's backward pass.
#[test]
fn gradients_of_a_and_b_match_the_formulas() {
    let layer = random_layer(7);
    let dev = Dev::seed_from_u64(8);
    let (n, k, d, r) = (4, 5, 3, 2);
    let x: Stream<NoneTape> = dev.sample_normal_like(&(n, k));
    let g: Stream<NoneTape> = dev.sample_normal_like(&(n, d));
    let h = lora_forward(&layer, x.leaky_trace());
    let grads = (h * g.clone()).sum().backward();
    let (xs, gs, a, b) = (x.as_vec(), g.as_vec(), layer.lora_a.as_vec(), layer.lora_b.as_vec());
    let s = layer.alpha / r as f32;
    // xAᵀ (n, r) and GB (n, r).
    let xa = |i: usize, j: usize| (0..k).map(|c| xs[i * k + c] * a[j * k + c]).sum::<f32>();
    let gb = |i: usize, j: usize| (0..d).map(|o| gs[i * d + o] * b[o * r + j]).sum::<f32>();
    let want_b: Vec<f32> = (0..d * r)
        .map(|e| s * (0..n).map(|i| gs[i * d + e / r] * xa(i, e % r)).sum::<f32>())
        .collect();
    let want_a: Vec<f32> = (0..r * k)
        .map(|e| s * (0..n).map(|i| gb(i, e / k) * xs[i * k + e % k]).sum::<f32>())
        .collect();
    assert_close("∂L/∂B", &grads.get(&layer.lora_b).as_vec(), &want_b, Tol::abs_rel(1e-5));
    assert_close("∂L/∂A", &grads.get(&layer.lora_a).as_vec(), &want_a, Tol::abs_rel(1e-5));
}

/// At initialisation B = 0, so A gets no gradient while B does: training starts with B.
#[test]
fn at_initialisation_only_b_gets_a_gradient() {
    let dev = Dev::seed_from_u64(11);
    let layer =
        LoraLinear::new(&dev, Conv1D::new(&dev, 5, 3, 0.5), LoraConfig { rank: 2, alpha: 2.0 });
    let x: Stream<NoneTape> = dev.sample_normal_like(&(4, 5));
    let grads = lora_forward(&layer, x.leaky_trace()).square().sum().backward();
    assert!(grads.get(&layer.lora_a).as_vec().iter().all(|&v| v == 0.0), "∂L/∂A ≠ 0 with B = 0");
    assert!(grads.get(&layer.lora_b).as_vec().iter().any(|&v| v != 0.0), "∂L/∂B = 0 at the start");
}

/// The collection marks the base frozen and A, B trainable, under PEFT's names.
#[test]
fn only_a_and_b_are_trainable() {
    let layer = random_layer(0);
    let params = named_params(&layer);
    let list: Vec<(&str, bool)> = params.iter().map(|p| (p.name.as_str(), p.trainable)).collect();
    assert_eq!(
        list,
        [
            ("base_layer.weight", false),
            ("base_layer.bias", false),
            ("lora_A.weight", true),
            ("lora_B.weight", true)
        ]
    );
    let trainable: usize = params.iter().filter(|p| p.trainable).map(|p| p.numel()).sum();
    assert_eq!(trainable as u64, lora_trainable_params(3, 5, 2));
}

#[test]
fn worked_examples() {
    assert_eq!(lora_trainable_params(4096, 4096, 8), 65_536);
    // Rectangular: d = 11008 out, k = 4096 in, r = 16.
    assert_eq!(lora_trainable_params(11008, 4096, 16), 16 * 4096 + 11008 * 16);
    // Llama 2 7B with LoRA r = 8 on W_q and W_v of all 32 layers: 4,194,304.
    assert_eq!(2 * 32 * lora_trainable_params(4096, 4096, 8), 4_194_304);
}

#[test]
fn symmetric_in_d_and_k_and_linear_in_r() {
    assert_eq!(lora_trainable_params(300, 700, 4), lora_trainable_params(700, 300, 4));
    assert_eq!(lora_trainable_params(300, 700, 8), 2 * lora_trainable_params(300, 700, 4));
    // Full rank costs more than the matrix itself: LoRA only pays off for r ≪ min(d, k).
    assert!(lora_trainable_params(64, 64, 64) > 64 * 64);
}

/// `data/reference/lora_peft.json`, from `scripts/reference/lora_peft.py` (PEFT's own
/// `lora.Linear` around GPT-2's `Conv1D`, `fan_in_fan_out=True`).
#[derive(serde::Deserialize)]
struct Peft {
    provenance: String,
    tolerance: f32,
    k: usize,
    d: usize,
    r: usize,
    alpha: f32,
    n: usize,
    init: PeftInit,
    base_weight: Vec<f32>,
    base_bias: Vec<f32>,
    lora_a: Vec<f32>,
    lora_b: Vec<f32>,
    x: Vec<f32>,
    w: Vec<f32>,
    output: Vec<f32>,
    grad_x: Vec<f32>,
    grad_a: Vec<f32>,
    grad_b: Vec<f32>,
    merged_weight: Vec<f32>,
}

#[derive(serde::Deserialize)]
struct PeftInit {
    b_all_zero: bool,
    a_max_abs: f32,
    a_bound: f32,
    output_equals_base: bool,
}

/// Our layer on PEFT's weights and input: the output, the gradients of Σ out ⊙ w with
/// respect to x, A and B, and the merged weight all equal PEFT's within the stored
/// tolerance; and PEFT's initialisation is ours (B zero, A within 1/√k, output = base).
// ANCHOR: peft_test
#[test]
fn the_layer_its_gradients_and_its_merge_equal_pefts() {
    let p: Peft =
        serde_json::from_str(include_str!("../../../../data/reference/lora_peft.json")).unwrap();
    assert!(p.init.b_all_zero && p.init.output_equals_base, "PEFT's init: {}", p.provenance);
    assert!(p.init.a_max_abs <= p.init.a_bound, "PEFT's A exceeds 1/√k: {}", p.provenance);
    approx::assert_abs_diff_eq!(p.init.a_bound, 1.0 / (p.k as f32).sqrt(), epsilon = 1e-7);
    let dev = Dev::default();
    let layer = LoraLinear {
        base: Conv1D {
            weight: matrix(&dev, p.k, p.d, &p.base_weight),
            bias: dev.tensor_from_vec(p.base_bias.clone(), (Dyn(p.d),)),
        },
        lora_a: matrix(&dev, p.r, p.k, &p.lora_a),
        lora_b: matrix(&dev, p.d, p.r, &p.lora_b),
        alpha: p.alpha,
    };
    let x: Stream<NoneTape> = dev.tensor_from_vec(p.x.clone(), (p.n, p.k));
    let w: Stream<NoneTape> = dev.tensor_from_vec(p.w.clone(), (p.n, p.d));
    let out = lora_forward(&layer, x.leaky_trace());
    let tol = Tol::abs_rel(p.tolerance);
    let what = |s: &str| format!("{s} against PEFT's ({})", p.provenance);
    assert_close(&what("output"), &out.retaped::<NoneTape>().as_vec(), &p.output, tol);
    let grads = (out * w).sum().backward();
    assert_close(&what("∂L/∂x"), &grads.get(&x).as_vec(), &p.grad_x, tol);
    assert_close(&what("∂L/∂A"), &grads.get(&layer.lora_a).as_vec(), &p.grad_a, tol);
    assert_close(&what("∂L/∂B"), &grads.get(&layer.lora_b).as_vec(), &p.grad_b, tol);
    assert_close(
        &what("merged weight"),
        &lora_merge(&layer).weight.as_vec(),
        &p.merged_weight,
        tol,
    );
}
// ANCHOR_END: peft_test
