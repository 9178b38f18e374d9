//! §1.9 SGD with momentum, Adam and AdamW (优化器).
//!
//! Papers: Kingma & Ba 2014, arXiv 1412.6980 (Adam); Loshchilov & Hutter 2017,
//! arXiv 1711.05101 (AdamW, decoupled weight decay). PyTorch: `torch.optim.SGD`, `Adam`,
//! `AdamW`; dfdx: `dfdx::optim::{Sgd, Adam}` with `WeightDecay::{L2, Decoupled}`, which
//! the tests hold these update rules to, step by step.
//!
//! Every optimizer here updates parameters in place from their gradients. They differ in
//! what they remember between steps (their state) and in how they scale each step.

/// One step of SGD with (classic, PyTorch-style) momentum:
/// $v \leftarrow \mu v + g$, then $p \leftarrow p - \eta v$.
/// The velocity `v` is the optimizer's state: one number per parameter.
// ANCHOR: sgd_momentum_step
pub fn sgd_momentum_step(
    params: &mut [f32],
    grads: &[f32],
    velocity: &mut [f32],
    lr: f32,
    momentum: f32,
) {
    for ((p, g), v) in params.iter_mut().zip(grads).zip(velocity.iter_mut()) {
        // The velocity is a running sum of past gradients, decayed by μ each step: steps
        // in a consistent direction add up, oscillating components cancel.
        *v = momentum * *v + g;
        *p -= lr * *v;
    }
}
// ANCHOR_END: sgd_momentum_step

/// Adam's hyper-parameters, with PyTorch's defaults from [`AdamConfig::default`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdamConfig {
    pub lr: f32,
    pub beta1: f32,
    pub beta2: f32,
    pub eps: f32,
    /// Added to the gradient as `weight_decay · p` by [`adam_step`] (L2 regularisation),
    /// applied to the parameter directly by [`adamw_step`] (decoupled).
    pub weight_decay: f32,
}

impl Default for AdamConfig {
    fn default() -> Self {
        Self { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.0 }
    }
}

/// Adam's state: two moving averages per parameter, and the step count for bias correction.
#[derive(Debug, Clone, PartialEq)]
pub struct AdamState {
    pub m: Vec<f32>,
    pub v: Vec<f32>,
    pub t: i32,
}

impl AdamState {
    pub fn new(n: usize) -> Self {
        Self { m: vec![0.0; n], v: vec![0.0; n], t: 0 }
    }
}

/// One Adam step, with weight decay as L2 regularisation (PyTorch's `Adam(weight_decay=…)`):
/// $g \leftarrow g + \lambda p$;
/// $m \leftarrow \beta_1 m + (1-\beta_1) g$; $v \leftarrow \beta_2 v + (1-\beta_2) g^2$;
/// $\hat m = m / (1 - \beta_1^t)$, $\hat v = v / (1 - \beta_2^t)$;
/// $p \leftarrow p - \eta\,\hat m / (\sqrt{\hat v} + \epsilon)$.
// ANCHOR: adam_step
pub fn adam_step(params: &mut [f32], grads: &[f32], state: &mut AdamState, cfg: &AdamConfig) {
    state.t += 1;
    let (c1, c2) = (1.0 - cfg.beta1.powi(state.t), 1.0 - cfg.beta2.powi(state.t));
    for (i, p) in params.iter_mut().enumerate() {
        // L2: the decay is part of the gradient, so it is rescaled by 1/√v̂ below, like
        // everything else: weights with large gradients are barely decayed at all.
        let g = grads[i] + cfg.weight_decay * *p;
        state.m[i] = cfg.beta1 * state.m[i] + (1.0 - cfg.beta1) * g;
        state.v[i] = cfg.beta2 * state.v[i] + (1.0 - cfg.beta2) * g * g;
        // Bias correction: m and v start at 0, so early averages are too small.
        let (m_hat, v_hat) = (state.m[i] / c1, state.v[i] / c2);
        *p -= cfg.lr * m_hat / (v_hat.sqrt() + cfg.eps);
    }
}
// ANCHOR_END: adam_step

/// One AdamW step: Adam on the plain gradient, and the decay applied to the parameter
/// itself, $p \leftarrow p - \eta\lambda p$, outside the adaptive scaling.
// ANCHOR: adamw_step
pub fn adamw_step(params: &mut [f32], grads: &[f32], state: &mut AdamState, cfg: &AdamConfig) {
    state.t += 1;
    let (c1, c2) = (1.0 - cfg.beta1.powi(state.t), 1.0 - cfg.beta2.powi(state.t));
    for (i, p) in params.iter_mut().enumerate() {
        let g = grads[i];
        state.m[i] = cfg.beta1 * state.m[i] + (1.0 - cfg.beta1) * g;
        state.v[i] = cfg.beta2 * state.v[i] + (1.0 - cfg.beta2) * g * g;
        let (m_hat, v_hat) = (state.m[i] / c1, state.v[i] / c2);
        // Decoupled: every weight shrinks by the same fraction ηλ per step.
        *p -= cfg.lr * (m_hat / (v_hat.sqrt() + cfg.eps) + cfg.weight_decay * *p);
    }
}
// ANCHOR_END: adamw_step

/// How many numbers an optimizer keeps per parameter, besides the parameter itself.
// ANCHOR: state_floats
pub fn state_floats_per_param(optimizer: &str) -> Option<usize> {
    match optimizer {
        "sgd" => Some(0),
        "sgd_momentum" => Some(1),   // the velocity
        "adam" | "adamw" => Some(2), // the first and second moments
        _ => None,
    }
}
// ANCHOR_END: state_floats

/// The 2-D test function of the trajectories figure: an elongated valley
/// $f(x, y) = x^2/20 + y^2$, twenty times steeper across than along.
pub fn valley(p: [f32; 2]) -> (f32, [f32; 2]) {
    (p[0] * p[0] / 20.0 + p[1] * p[1], [p[0] / 10.0, 2.0 * p[1]])
}

#[cfg(test)]
mod tests;
