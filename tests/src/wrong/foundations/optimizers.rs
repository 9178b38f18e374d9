//! §1.9: plausible wrong optimizer steps.

use solutions::foundations::optimizers::{adam_step, adamw_step, AdamConfig, AdamState};

/// Averaged instead of summed: v ← μv + (1 − μ)g.
pub fn sgd_dampened(
    params: &mut [f32],
    grads: &[f32],
    velocity: &mut [f32],
    lr: f32,
    momentum: f32,
) {
    for ((p, g), v) in params.iter_mut().zip(grads).zip(velocity.iter_mut()) {
        *v = momentum * *v + (1.0 - momentum) * g;
        *p -= lr * *v;
    }
}

/// Stepped with the old velocity.
pub fn sgd_step_before_velocity(
    params: &mut [f32],
    grads: &[f32],
    velocity: &mut [f32],
    lr: f32,
    momentum: f32,
) {
    for ((p, g), v) in params.iter_mut().zip(grads).zip(velocity.iter_mut()) {
        *p -= lr * *v;
        *v = momentum * *v + g;
    }
}

/// Adam without the bias correction.
pub fn adam_no_bias_correction(
    params: &mut [f32],
    grads: &[f32],
    state: &mut AdamState,
    cfg: &AdamConfig,
) {
    state.t += 1;
    for (i, p) in params.iter_mut().enumerate() {
        let g = grads[i] + cfg.weight_decay * *p;
        state.m[i] = cfg.beta1 * state.m[i] + (1.0 - cfg.beta1) * g;
        state.v[i] = cfg.beta2 * state.v[i] + (1.0 - cfg.beta2) * g * g;
        *p -= cfg.lr * state.m[i] / (state.v[i].sqrt() + cfg.eps);
    }
}

/// AdamW that decays through the gradient: Adam with L2.
pub fn adamw_decay_through_gradient(
    params: &mut [f32],
    grads: &[f32],
    state: &mut AdamState,
    cfg: &AdamConfig,
) {
    adam_step(params, grads, state, cfg)
}

/// AdamW whose decay forgets the learning rate: p ← p − λp.
pub fn adamw_decay_without_lr(
    params: &mut [f32],
    grads: &[f32],
    state: &mut AdamState,
    cfg: &AdamConfig,
) {
    let before: Vec<f32> = params.to_vec();
    adam_step(params, grads, state, &AdamConfig { weight_decay: 0.0, ..*cfg });
    for (p, old) in params.iter_mut().zip(before) {
        *p -= cfg.weight_decay * old;
    }
}

/// Adam with ε under the square root: m̂/√(v̂ + ε).
pub fn adam_eps_inside_sqrt(
    params: &mut [f32],
    grads: &[f32],
    state: &mut AdamState,
    cfg: &AdamConfig,
) {
    state.t += 1;
    let (c1, c2) = (1.0 - cfg.beta1.powi(state.t), 1.0 - cfg.beta2.powi(state.t));
    for (i, p) in params.iter_mut().enumerate() {
        let g = grads[i] + cfg.weight_decay * *p;
        state.m[i] = cfg.beta1 * state.m[i] + (1.0 - cfg.beta1) * g;
        state.v[i] = cfg.beta2 * state.v[i] + (1.0 - cfg.beta2) * g * g;
        *p -= cfg.lr * (state.m[i] / c1) / (state.v[i] / c2 + cfg.eps).sqrt();
    }
}

/// Adam whose weight decay is decoupled: that is AdamW.
pub fn adam_decay_decoupled(
    params: &mut [f32],
    grads: &[f32],
    state: &mut AdamState,
    cfg: &AdamConfig,
) {
    adamw_step(params, grads, state, cfg)
}
