//! §1.6: plausible wrong Position Interpolation and NTK-aware bases.

/// Stretched the positions by L′/L instead of squeezing them by L/L′.
pub fn pi_multiplies_by_target_over_train(m: usize, train_len: usize, target_len: usize) -> f64 {
    m as f64 * target_len as f64 / train_len as f64
}

/// Divided in integers.
pub fn pi_integer_division(m: usize, train_len: usize, target_len: usize) -> f64 {
    (m * train_len / target_len) as f64
}

/// base·s: the exponent d/(d−2) replaced by 1.
pub fn ntk_exponent_one(base: f64, scale: f64, _d: usize) -> f64 {
    base * scale
}

/// base·s^((d−2)/d): the exponent turned upside down.
pub fn ntk_exponent_inverted(base: f64, scale: f64, d: usize) -> f64 {
    let d = d as f64;
    base * scale.powf((d - 2.0) / d)
}
