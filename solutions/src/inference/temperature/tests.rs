use super::*;
use crate::close::{assert_close, Tol};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The doc comment's hand-worked case, to four decimals.
#[test]
fn hand_worked_case() {
    let p = softmax_with_temperature(&[1.0, 2.0, 3.0], 1.0);
    assert_close("softmax([1, 2, 3])", &p, &[0.0900, 0.2447, 0.6652], Tol::abs(1e-4));
    let p = softmax_with_temperature(&[1.0, 2.0, 3.0], 0.5);
    assert_close("softmax([1, 2, 3] / 0.5)", &p, &[0.0159, 0.1173, 0.8668], Tol::abs(1e-4));
}

/// Against the plain formula in f64, on seeded random logits at many temperatures, and
/// with logits large enough that e^{z/T} overflows without the shift.
#[test]
fn equals_the_formula_and_survives_large_logits() {
    let mut rng = StdRng::seed_from_u64(5);
    for t in [0.05f32, 0.3, 1.0, 2.0, 10.0] {
        let z: Vec<f32> = (0..20).map(|_| rng.gen_range(-8.0..8.0)).collect();
        let e: Vec<f64> = z.iter().map(|&x| (x as f64 / t as f64).exp()).collect();
        let s: f64 = e.iter().sum();
        let want: Vec<f32> = e.iter().map(|x| (x / s) as f32).collect();
        assert_close(
            &format!("softmax(z/{t})"),
            &softmax_with_temperature(&z, t),
            &want,
            Tol::abs(1e-6),
        );
    }
    let p = softmax_with_temperature(&[1000.0, 999.0], 0.01);
    assert!(p.iter().all(|x| x.is_finite()), "overflow: {p:?}");
}

/// T → 0 puts all the mass on the arg-max (greedy); T → ∞ tends to uniform; the entropy
/// grows with T from 0 to ln V. Named in §5.1.
#[test]
fn limits_cold_is_greedy_hot_is_uniform() {
    let z = [0.3f32, 2.0, -1.0, 1.9, 0.0];
    let cold = softmax_with_temperature(&z, 1e-3);
    assert!(cold[1] > 1.0 - 1e-6, "T = 0.001: p(arg-max) = {}", cold[1]);
    let hot = softmax_with_temperature(&z, 1e4);
    assert_close("T = 10⁴", &hot, &[0.2; 5], Tol::abs(1e-4));
    let ts = [0.01f32, 0.25, 0.5, 1.0, 2.0, 4.0, 16.0];
    let h: Vec<f64> = ts.iter().map(|&t| entropy(&softmax_with_temperature(&z, t))).collect();
    assert!(h.windows(2).all(|w| w[0] < w[1]), "entropy not increasing in T: {h:?}");
    assert!(h[0] < 0.01 && (5f64.ln() - h[6]) < 0.01, "entropy ends {h:?}, ln 5 = 1.609");
}

#[test]
#[should_panic(expected = "greedy")]
fn zero_temperature_points_to_greedy() {
    softmax_with_temperature(&[1.0, 2.0], 0.0);
}
