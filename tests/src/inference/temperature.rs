//! Graded suite for §5.1, `softmax_with_temperature`: the worked example, logits large
//! enough to overflow an unshifted exponential, and seeded random rows at temperatures
//! from 0.05 to 10, against the library and against Hugging Face's `TemperatureLogitsWarper`
//! outputs (`data/reference/hf_logits_processors.json`).

use super::reference::cases;
use crate::compare::{close_list, Tol};
use crate::{Check, Failure};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::inference::temperature as lib;

fn softmax(z: &[f32]) -> Vec<f32> {
    lib::softmax_with_temperature(z, 1.0)
}

/// Grades `softmax_with_temperature(logits, temperature)`.
pub fn check_softmax_with_temperature<F>(f: F) -> Check
where
    F: Fn(&[f32], f32) -> Vec<f32>,
{
    let tol = Tol { abs: 1e-6, rel: 1e-5 };
    let close = |a: &[f32], b: &[f32]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| tol.allows(*x as f64, *y as f64))
    };
    let z = [1.0f32, 2.0, 3.0];
    let got = f(&z, 0.5);
    let want = lib::softmax_with_temperature(&z, 0.5);
    if !close(&got, &want) {
        let cause = if close(&got, &softmax(&[0.5, 1.0, 1.5])) {
            "the logits were multiplied by T; divide them: z / T (T = 0.5 sharpens)"
        } else if close(&got, &softmax(&z)) {
            "the temperature was ignored (or applied after the softmax, where renormalising \
             undoes it): divide the logits by T before the softmax"
        } else if (got.iter().sum::<f32>() - 1.0).abs() > 1e-4 {
            "the probabilities do not add up to 1: divide each exponential by their sum"
        } else {
            "softmax(z / T): e^{z_i/T} / Σ_j e^{z_j/T}"
        };
        return Err(Failure::new(format!(
            "softmax_with_temperature([1, 2, 3], 0.5) is {got:?}, expected {want:?} \
             (tolerance {:e}): {cause}.",
            tol.abs
        )));
    }
    let big = [1000.0f32, 999.0, 990.0];
    let got = f(&big, 0.5);
    if got.iter().any(|p| !p.is_finite()) {
        return Err(Failure::new(format!(
            "softmax_with_temperature([1000, 999, 990], 0.5) is {got:?}: e^2000 overflows f32. \
             Subtract the largest logit before exponentiating (softmax does not change)."
        )));
    }
    close_list(
        "softmax_with_temperature([1000, 999, 990], 0.5)",
        "probabilities",
        &got,
        &lib::softmax_with_temperature(&big, 0.5).iter().map(|&x| x as f64).collect::<Vec<_>>(),
        tol,
    )?;
    let mut rng = StdRng::seed_from_u64(51);
    for t in [0.05f32, 0.3, 1.0, 2.5, 10.0] {
        let z: Vec<f32> = (0..17).map(|_| rng.gen_range(-6.0..6.0)).collect();
        let want: Vec<f64> =
            lib::softmax_with_temperature(&z, t).iter().map(|&x| x as f64).collect();
        close_list(
            &format!("softmax_with_temperature(17 seeded logits, T = {t})"),
            "probabilities",
            &f(&z, t),
            &want,
            tol,
        )?;
    }
    // Hugging Face's warper divides the logits; its softmax is ours.
    let (provenance, _, hf) = cases("temperature");
    for c in hf {
        let want: Vec<f64> = softmax(&c.out).iter().map(|&x| x as f64).collect();
        close_list(
            &format!(
                "softmax of HF TemperatureLogitsWarper(T = {}) ({provenance})",
                c.f("temperature")
            ),
            "probabilities",
            &f(&c.scores, c.f("temperature")),
            &want,
            tol,
        )?;
    }
    Ok(())
}
