//! §5.1 Temperature (温度): softmax(z / T).
//!
//! Dividing the logits by T before the softmax sharpens the distribution (T < 1) or
//! flattens it (T > 1); T → 0 tends to greedy decoding (all mass on the arg-max), T → ∞ to
//! the uniform distribution. The idea is Boltzmann's; for neural text it is discussed in
//! Holtzman et al. 2019, "The Curious Case of Neural Text Degeneration", arXiv 1904.09751,
//! §3. Hugging Face: `TemperatureLogitsWarper` (`generate(do_sample=True, temperature=T)`);
//! PyTorch: `torch.softmax(z / T, dim=-1)`.

/// Hugging Face's check for a temperature: it must be a strictly positive number. T = 0 is
/// not "very cold sampling" but a division by zero; the arg-max it tends to is greedy
/// decoding, which is asked for directly (`do_sample=False` in Hugging Face).
pub fn check_temperature(temperature: f32) -> Result<(), String> {
    if temperature > 0.0 && temperature.is_finite() {
        Ok(())
    } else {
        Err(format!(
            "temperature must be a finite number > 0, got {temperature}; for the T → 0 limit \
             use greedy decoding (no --temperature, or --top-k 1)"
        ))
    }
}

/// The temperature warper in place: every logit becomes $z/T$ (Hugging Face's
/// `TemperatureLogitsWarper`). Masked logits (−∞) stay −∞.
///
/// # Panics
/// When `temperature` is not > 0 (see [`check_temperature`]).
pub fn apply_temperature(logits: &mut [f32], temperature: f32) {
    if let Err(e) = check_temperature(temperature) {
        panic!("{e}");
    }
    logits.iter_mut().for_each(|z| *z /= temperature);
}

/// The probabilities $\mathrm{softmax}(z/T)_i = e^{z_i/T} / \sum_j e^{z_j/T}$.
///
/// Worked example: logits [1, 2, 3]. At T = 1 the exponentials of z − max are
/// e⁻², e⁻¹, 1 = 0.1353, 0.3679, 1, whose sum is 1.5032: probabilities 0.0900, 0.2447,
/// 0.6652. At T = 0.5 the logits double to [2, 4, 6]: 0.0159, 0.1173, 0.8668.
///
/// ```
/// use solutions::inference::temperature::softmax_with_temperature;
/// let p = softmax_with_temperature(&[1.0, 2.0, 3.0], 1.0);
/// assert!((p[2] - 0.6652).abs() < 1e-4);
/// let p = softmax_with_temperature(&[1.0, 2.0, 3.0], 0.5);
/// assert!((p[2] - 0.8668).abs() < 1e-4);
/// ```
///
/// # Panics
/// When `temperature` is not > 0: the message points to greedy decoding.
// ANCHOR: softmax_with_temperature
pub fn softmax_with_temperature(logits: &[f32], temperature: f32) -> Vec<f32> {
    if let Err(e) = check_temperature(temperature) {
        panic!("{e}");
    }
    // Subtle: subtract the maximum before exponentiating. At T = 0.01 a logit of 10
    // becomes 1000, and e^1000 overflows f32; shifted, the largest exponent is e^0 = 1.
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = logits.iter().map(|&z| ((z - max) / temperature).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.iter().map(|e| e / sum).collect()
}
// ANCHOR_END: softmax_with_temperature

/// The entropy $H(p) = -\sum_i p_i \ln p_i$ in nats (terms with $p_i = 0$ count 0). It runs
/// from 0 (one certain token) to ln V (uniform over V tokens).
pub fn entropy(probs: &[f32]) -> f64 {
    probs.iter().filter(|&&p| p > 0.0).map(|&p| -(p as f64) * (p as f64).ln()).sum()
}

#[cfg(test)]
mod tests;
