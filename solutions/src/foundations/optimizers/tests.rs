use super::AdamConfig;
use super::{adam_step, adamw_step, sgd_momentum_step, state_floats_per_param, valley, AdamState};
use crate::close::{assert_close, Tol};
use crate::Dev;
use dfdx::optim::{Adam, Momentum, Sgd, SgdConfig, WeightDecay};
use dfdx::prelude::{
    Backward, Gradients, Optimizer, OwnedTape, Rank1, SumTo, Tensor, TensorFrom, Trace,
};

const A: [f32; 4] = [1.0, 4.0, 0.25, 9.0];
const B: [f32; 4] = [0.5, -1.0, 2.0, 0.0];
const START: [f32; 4] = [1.0, -2.0, 3.0, 0.5];

/// The gradient of f(p) = Σ aᵢpᵢ²/2 + bᵢpᵢ, written out.
fn grad(p: &[f32]) -> Vec<f32> {
    p.iter().zip(A).zip(B).map(|((p, a), b)| a * p + b).collect()
}

/// The same f through dfdx's autodiff, for dfdx's optimizers.
fn dfdx_grads(dev: &Dev, p: &Tensor<Rank1<4>, f32, Dev>) -> Gradients<f32, Dev> {
    let (a, b) = (dev.tensor(A), dev.tensor(B));
    let x = p.trace(Gradients::leaky());
    ((x.retaped::<OwnedTape<f32, Dev>>().square() * a * 0.5) + x * b).sum().backward()
}

#[test]
fn sgd_with_momentum_matches_dfdx_for_20_steps() {
    let dev = Dev::default();
    let mut theirs = dev.tensor(START);
    let cfg = SgdConfig { lr: 0.05, momentum: Some(Momentum::Classic(0.9)), weight_decay: None };
    let mut opt = Sgd::new(&theirs, cfg);
    let (mut ours, mut velocity) = (START.to_vec(), vec![0.0; 4]);
    for step in 0..20 {
        let g = grad(&ours);
        sgd_momentum_step(&mut ours, &g, &mut velocity, 0.05, 0.9);
        let g_theirs = dfdx_grads(&dev, &theirs);
        opt.update(&mut theirs, &g_theirs).unwrap();
        assert_close(&format!("SGD step {step}"), &ours, &theirs.as_vec(), Tol::abs_rel(1e-5));
    }
}

#[test]
fn adam_and_adamw_match_dfdx_for_20_steps() {
    let dev = Dev::default();
    for decoupled in [false, true] {
        let cfg = AdamConfig { lr: 0.1, weight_decay: 0.05, ..AdamConfig::default() };
        let wd = if decoupled { WeightDecay::Decoupled(0.05) } else { WeightDecay::L2(0.05) };
        let theirs_cfg = dfdx::optim::AdamConfig {
            lr: 0.1,
            betas: [0.9, 0.999],
            eps: 1e-8,
            weight_decay: Some(wd),
        };
        let mut theirs = dev.tensor(START);
        let mut opt = Adam::new(&theirs, theirs_cfg);
        let (mut ours, mut state) = (START.to_vec(), AdamState::new(4));
        for step in 0..20 {
            let g = grad(&ours);
            if decoupled {
                adamw_step(&mut ours, &g, &mut state, &cfg);
            } else {
                adam_step(&mut ours, &g, &mut state, &cfg);
            }
            let g_theirs = dfdx_grads(&dev, &theirs);
            opt.update(&mut theirs, &g_theirs).unwrap();
            let name = if decoupled { "AdamW" } else { "Adam + L2" };
            assert_close(
                &format!("{name} step {step}"),
                &ours,
                &theirs.as_vec(),
                Tol::abs_rel(1e-5),
            );
        }
    }
}

/// L2 regularisation and decoupled decay differ where it matters: a weight whose loss
/// gradient is zero. Under Adam + L2 its decay gradient λp is normalised away: it moves by
/// a fraction of η per step that does not depend on λ at all. Under AdamW it shrinks by
/// the factor (1 − ηλ) per step, in proportion to λ.
#[test]
fn l2_decay_is_normalised_away_by_adam_and_decoupled_decay_is_not() {
    let shrink = |decoupled: bool, wd: f32| {
        let cfg = AdamConfig { lr: 0.01, weight_decay: wd, ..AdamConfig::default() };
        let (mut p, mut state) = (vec![1.0f32], AdamState::new(1));
        for _ in 0..100 {
            if decoupled {
                adamw_step(&mut p, &[0.0], &mut state, &cfg);
            } else {
                adam_step(&mut p, &[0.0], &mut state, &cfg);
            }
        }
        1.0 - p[0]
    };
    // Adam + L2: 100 steps of η = 0.01 move the weight by 0.78, for λ = 0.01 and λ = 0.1
    // alike (a tenfold λ changes nothing; the steps shrink only as v̂ remembers larger p).
    let (l2_small, l2_large) = (shrink(false, 0.01), shrink(false, 0.1));
    assert!(approx::abs_diff_eq!(l2_small, l2_large, epsilon = 1e-4), "{l2_small} {l2_large}");
    assert!((0.7..0.85).contains(&l2_small), "{l2_small}");
    // AdamW: 1 − (1 − ηλ)^100, i.e. ≈ 0.01 for λ = 0.01 and ≈ 0.095 for λ = 0.1.
    let (w_small, w_large) = (shrink(true, 0.01), shrink(true, 0.1));
    assert!(
        approx::abs_diff_eq!(w_small, (1.0 - 0.9999f32.powi(100)), epsilon = 1e-5),
        "{w_small}"
    );
    assert!(approx::abs_diff_eq!(w_large, (1.0 - 0.999f32.powi(100)), epsilon = 1e-5), "{w_large}");
}

#[test]
fn optimizer_state_sizes() {
    assert_eq!(state_floats_per_param("sgd"), Some(0));
    assert_eq!(state_floats_per_param("sgd_momentum"), Some(1));
    assert_eq!(state_floats_per_param("adam"), Some(2));
    assert_eq!(state_floats_per_param("adamw"), Some(2));
    assert_eq!(state_floats_per_param("lion"), None);
    // Adam's state really is two vectors as long as the parameters.
    assert_eq!(AdamState::new(7).m.len() + AdamState::new(7).v.len(), 2 * 7);
}

/// On the valley f = x²/20 + y², momentum gets much further along the flat direction than
/// plain gradient descent in the same number of steps, at the same learning rate.
#[test]
fn momentum_travels_further_down_a_valley() {
    let run = |mu: f32| {
        let (mut p, mut v) = ([-9.0f32, 1.0], [0.0f32; 2]);
        for _ in 0..50 {
            let (_, g) = valley(p);
            sgd_momentum_step(&mut p, &g, &mut v, 0.3, mu);
        }
        valley(p).0
    };
    let (plain, heavy) = (run(0.0), run(0.9));
    assert!(heavy < 0.1 * plain, "momentum {heavy} vs plain {plain}");
}
