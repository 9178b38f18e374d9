//! Graded suite for §1.9: one step of SGD with momentum, Adam and AdamW, run for several
//! steps on seeded gradients.
//!
//! The reference updates are written out here in f64 with switches for the known mistakes
//! (a dampened momentum, the step taken before the velocity is updated, no bias correction,
//! ε inside the square root, weight decay coupled where it should be decoupled and the
//! other way round, the decay not multiplied by the learning rate). After every step the
//! learner's parameters and state are compared with the right rule, then with each mistake.

use crate::compare::{all_close, check_len, close_list, Tol};
use crate::{Check, Failure};
use dfdx::prelude::*;
use solutions::foundations::optimizers::{AdamConfig, AdamState};
use solutions::Dev;

/// Seeded gradients: `steps` vectors of `n`, of size about `scale`.
fn gradients(seed: u64, steps: usize, n: usize, scale: f32) -> Vec<Vec<f32>> {
    let dev = Dev::seed_from_u64(seed);
    (0..steps)
        .map(|_| {
            let g: Tensor<(usize,), f32, Dev> = dev.sample_normal_like(&(n,));
            (g * scale).as_vec()
        })
        .collect()
}

fn to64(v: &[f32]) -> Vec<f64> {
    v.iter().map(|&x| x as f64).collect()
}

/// The slips a learner makes in SGD with momentum.
#[derive(Clone, Copy, PartialEq)]
enum Sgd {
    Right,
    /// v ← μv + (1 − μ)g
    Dampened,
    /// p ← p − ηv with the old v, then v ← μv + g
    StepFirst,
}

fn sgd_ref(p: &mut [f64], v: &mut [f64], g: &[f32], lr: f64, mu: f64, rule: Sgd) {
    for i in 0..p.len() {
        let g = g[i] as f64;
        if rule == Sgd::StepFirst {
            p[i] -= lr * v[i];
        }
        v[i] = mu * v[i] + if rule == Sgd::Dampened { (1.0 - mu) * g } else { g };
        if rule != Sgd::StepFirst {
            p[i] -= lr * v[i];
        }
    }
}

/// Grades `sgd_momentum_step(params, grads, velocity, lr, momentum)`.
pub fn check_sgd_momentum_step<F>(f: F) -> Check
where
    F: Fn(&mut [f32], &[f32], &mut [f32], f32, f32),
{
    let runs = [
        (
            "the worked example (p = 1, g = 0.5 twice, lr 0.1, momentum 0.9)",
            vec![1.0f32],
            vec![vec![0.5f32]; 2],
            0.1f32,
        ),
        (
            "6 steps on 5 parameters with seeded gradients (lr 0.05, momentum 0.9)",
            vec![1.0, -2.0, 0.5, 3.0, 0.0],
            gradients(91, 6, 5, 1.0),
            0.05,
        ),
    ];
    let tol = Tol { abs: 1e-6, rel: 1e-5 };
    for (label, start, grads, lr) in runs {
        let n = start.len();
        let (mut p, mut v) = (start.clone(), vec![0.0f32; n]);
        let mut refs: Vec<(Sgd, Vec<f64>, Vec<f64>)> = [Sgd::Right, Sgd::Dampened, Sgd::StepFirst]
            .map(|r| (r, to64(&start), vec![0.0; n]))
            .into();
        for (step, g) in grads.iter().enumerate() {
            f(&mut p, g, &mut v, lr, 0.9);
            refs.iter_mut().for_each(|(rule, rp, rv)| sgd_ref(rp, rv, g, lr as f64, 0.9, *rule));
            let at = format!("{label}, after step {}", step + 1);
            let (_, want_p, want_v) = &refs[0];
            if all_close(&p, want_p, tol) && all_close(&v, want_v, tol) {
                continue;
            }
            let cause = if refs[1..2]
                .iter()
                .any(|(_, rp, rv)| all_close(&p, rp, tol) && all_close(&v, rv, tol))
            {
                " You averaged, v ← μv + (1 − μ)g. PyTorch's momentum sums: v ← μv + g, with no (1 \
                 − μ) on the gradient (its `dampening` is 0)."
            } else if all_close(&p, &refs[2].1, tol) {
                " You stepped with the old velocity. Update v ← μv + g first, then p ← p − lr·v \
                 with the new v."
            } else {
                " v ← μv + g, then p ← p − lr·v."
            };
            let (what, noun, got, want) = if all_close(&p, want_p, tol) {
                ("velocity", "velocities", &v, want_v)
            } else {
                ("params", "parameters", &p, want_p)
            };
            return close_list(&format!("{at}: {what}"), noun, got, want, tol)
                .map_err(|e| Failure::new(format!("{e}{cause}")));
        }
    }
    Ok(())
}

/// How a reference Adam step treats the decay, the bias and ε.
#[derive(Clone, Copy, Default)]
struct Rule {
    /// Decay through the gradient (Adam's L2).
    l2: bool,
    /// Decay applied to the parameter (AdamW).
    decoupled: bool,
    /// Decoupled decay without the learning rate: p ← p − λp.
    decay_without_lr: bool,
    no_bias_correction: bool,
    eps_inside_sqrt: bool,
}

/// The reference's own state.
#[derive(Clone)]
struct Ref {
    rule: Rule,
    p: Vec<f64>,
    m: Vec<f64>,
    v: Vec<f64>,
    t: i32,
}

impl Ref {
    fn step(&mut self, g: &[f32], c: &AdamConfig) {
        let (b1, b2, lr, eps, wd) =
            (c.beta1 as f64, c.beta2 as f64, c.lr as f64, c.eps as f64, c.weight_decay as f64);
        let r = self.rule;
        self.t += 1;
        let (c1, c2) = if r.no_bias_correction {
            (1.0, 1.0)
        } else {
            (1.0 - b1.powi(self.t), 1.0 - b2.powi(self.t))
        };
        for i in 0..self.p.len() {
            let g = g[i] as f64 + if r.l2 { wd * self.p[i] } else { 0.0 };
            self.m[i] = b1 * self.m[i] + (1.0 - b1) * g;
            self.v[i] = b2 * self.v[i] + (1.0 - b2) * g * g;
            let (mh, vh) = (self.m[i] / c1, self.v[i] / c2);
            let denom = if r.eps_inside_sqrt { (vh + eps).sqrt() } else { vh.sqrt() + eps };
            let decay = match (r.decoupled, r.decay_without_lr) {
                (true, false) => lr * wd * self.p[i],
                (true, true) => wd * self.p[i],
                _ => 0.0,
            };
            self.p[i] -= lr * mh / denom + decay;
        }
    }
}

/// Runs `f` and the references side by side and names the first mistake that matches.
fn check_adam_like<F>(f: F, name: &str, right: Rule, mistakes: &[(Rule, &str)]) -> Check
where
    F: Fn(&mut [f32], &[f32], &mut AdamState, &AdamConfig),
{
    let base = AdamConfig::default();
    let runs = [
        (
            "the worked example (p = 1, g = 0.5, lr 0.001, weight decay 0.01)",
            vec![1.0f32],
            vec![vec![0.5f32]],
            AdamConfig { weight_decay: 0.01, ..base },
        ),
        (
            "5 steps on 6 parameters (lr 0.01, weight decay 0.1)",
            vec![1.0, -2.0, 0.5, 3.0, -0.1, 0.0],
            gradients(92, 5, 6, 1.0),
            AdamConfig { lr: 0.01, weight_decay: 0.1, ..base },
        ),
        (
            "4 steps with gradients of about 0.01 and ε = 1e-3",
            vec![0.5, -0.5, 1.0, 2.0],
            gradients(93, 4, 4, 0.01),
            AdamConfig { lr: 0.01, eps: 1e-3, ..base },
        ),
    ];
    let tol = Tol { abs: 1e-6, rel: 1e-5 };
    for (label, start, grads, cfg) in runs {
        let n = start.len();
        let mut p = start.clone();
        let mut state = AdamState::new(n);
        let fresh = |rule| Ref { rule, p: to64(&start), m: vec![0.0; n], v: vec![0.0; n], t: 0 };
        let mut want = fresh(right);
        let mut wrong: Vec<Ref> = mistakes.iter().map(|(r, _)| fresh(*r)).collect();
        for (step, g) in grads.iter().enumerate() {
            f(&mut p, g, &mut state, &cfg);
            want.step(g, &cfg);
            wrong.iter_mut().for_each(|r| r.step(g, &cfg));
            let at = format!("{name}, {label}, after step {}", step + 1);
            if state.t != want.t {
                return Err(Failure::new(format!(
                    "{at}: state.t is {}, expected {}. Count the step (state.t += 1) once per \
                     call, before the bias corrections use it.",
                    state.t, want.t
                )));
            }
            // A state that lost its length would otherwise be compared on a prefix.
            for (what, len) in [("state.m", state.m.len()), ("state.v", state.v.len())] {
                let hint = "Update the moments in place, one per parameter; do not replace \
                            or clear the vectors.";
                check_len(&format!("{at}: {what}"), "moments", len, n, hint)?;
            }
            let ok = |r: &Ref| {
                all_close(&p, &r.p, tol)
                    && all_close(&state.m, &r.m, tol)
                    && all_close(&state.v, &r.v, tol)
            };
            if ok(&want) {
                continue;
            }
            if let Some(i) = wrong.iter().position(|r| all_close(&p, &r.p, tol)) {
                return Err(Failure::new(format!("{at}: {}", mistakes[i].1)));
            }
            if let Some(i) = p.iter().position(|x| !x.is_finite()) {
                return Err(Failure::new(format!(
                    "{at}: params[{i}] is {}. At t = 0 the bias corrections 1 − β^t are 0: \
                     increment state.t before computing them.",
                    p[i]
                )));
            }
            close_list(&format!("{at}: params"), "parameters", &p, &want.p, tol)?;
            close_list(&format!("{at}: the first moment m"), "moments", &state.m, &want.m, tol)?;
            close_list(&format!("{at}: the second moment v"), "moments", &state.v, &want.v, tol)?;
        }
    }
    Ok(())
}

const NO_BIAS: &str = "the parameters match Adam without bias correction. m and v start at 0, so \
                       divide them by 1 − β1^t and 1 − β2^t: at t = 1, m = 0.1·g and v = 0.001·g², \
                       and the uncorrected step is about 3× too large.";
const EPS_INSIDE: &str = "ε went inside the square root. It is added to √v̂: m̂/(√v̂ + ε).";

/// Grades `adam_step(params, grads, state, cfg)`: weight decay as L2.
pub fn check_adam_step<F>(f: F) -> Check
where
    F: Fn(&mut [f32], &[f32], &mut AdamState, &AdamConfig),
{
    let right = Rule { l2: true, ..Default::default() };
    check_adam_like(
        f,
        "adam_step",
        right,
        &[
            (Rule { no_bias_correction: true, ..right }, NO_BIAS),
            (
                Rule { l2: false, decoupled: true, ..right },
                "the decay was applied to the parameter directly, p ← p − lr·λ·p: that is AdamW. \
                 Adam's weight_decay is L2 regularisation: add λ·p to the gradient before the \
                 moments.",
            ),
            (
                Rule { l2: false, ..right },
                "weight_decay was ignored. Adam's weight_decay is L2: g ← g + λ·p before the \
                 moments.",
            ),
            (Rule { eps_inside_sqrt: true, ..right }, EPS_INSIDE),
        ],
    )
}

/// Grades `adamw_step(params, grads, state, cfg)`: decoupled weight decay.
pub fn check_adamw_step<F>(f: F) -> Check
where
    F: Fn(&mut [f32], &[f32], &mut AdamState, &AdamConfig),
{
    let right = Rule { decoupled: true, ..Default::default() };
    check_adam_like(
        f,
        "adamw_step",
        right,
        &[
            (
                Rule { decoupled: false, l2: true, ..right },
                "the decay went through the gradient (g + λ·p), which is Adam with L2, rescaled by \
                 1/√v̂ like everything else. AdamW decouples it: p ← p − lr·(m̂/(√v̂ + ε) + λ·p), \
                 with the moments built from the plain gradient.",
            ),
            (
                Rule { decay_without_lr: true, ..right },
                "the decay was not multiplied by the learning rate: each step shrinks p by lr·λ·p, \
                 not λ·p.",
            ),
            (Rule { no_bias_correction: true, ..right }, NO_BIAS),
            (
                Rule { decoupled: false, ..right },
                "weight_decay was ignored. AdamW shrinks every parameter by lr·λ·p per step.",
            ),
            (Rule { eps_inside_sqrt: true, ..right }, EPS_INSIDE),
        ],
    )
}
