use super::*;
use crate::training::number_formats::FP16;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Gradients spread log-uniformly over 2⁻³⁰ … 2⁻¹⁰: without scaling, the ones below 2⁻²⁵
/// (half of fp16's smallest subnormal) vanish, about a quarter of them; scaled by 2¹⁶
/// none does, and all keep fp16's relative precision.
#[test]
fn scaling_rescues_gradients_that_fp16_flushes_to_zero() {
    let mut rng = StdRng::seed_from_u64(470);
    let grads: Vec<f32> = (0..20_000).map(|_| rng.gen_range(-30.0f32..-10.0).exp2()).collect();
    // Counted another way: the rounding rule says x ≤ 2^-25 rounds to 0 (2^-25 is a tie).
    let below = grads.iter().filter(|&&g| g <= 2f32.powi(-25)).count() as f64;
    let unscaled = fraction_flushed(&grads, 1.0);
    assert_eq!(unscaled, below / grads.len() as f64);
    // A quarter of the range: within 5 standard errors of 0.25.
    let se = (0.25f64 * 0.75 / grads.len() as f64).sqrt();
    assert!((unscaled - 0.25).abs() < 5.0 * se, "{unscaled} flushed, expected ≈ 0.25");
    assert_eq!(fraction_flushed(&grads, 65536.0), 0.0);
    for &g in &grads {
        let back = through_fp16_backward(g, 65536.0);
        // g·2^16 ≥ 2^-14 is a normal fp16: half a gap, 2^-11 relative, at most.
        assert!(
            approx::relative_eq!(back, g, max_relative = FP16.epsilon() as f32 / 2.0),
            "{g:e} came back as {back:e}"
        );
    }
}

/// `GradScaler` step by step, with a growth interval of 3 so that growth shows.
#[test]
fn the_scaler_skips_and_halves_on_overflow_and_grows_after_clean_steps() {
    let mut s = GradScaler { scale: 8.0, growth_interval: 3, ..GradScaler::default() };
    // (gradients as they come out of the scaled backward, step taken?, scale, tracker after)
    let inf = f32::INFINITY;
    let script = [
        (vec![8.0, 16.0], true, 8.0, 1),
        (vec![8.0, 16.0], true, 8.0, 2),
        (vec![8.0, 16.0], true, 16.0, 0), // third clean step in a row: ×2
        (vec![16.0, inf], false, 8.0, 0), // overflow: skipped, ×0.5
        (vec![8.0, 8.0], true, 8.0, 1),
        (vec![f32::NAN, 8.0], false, 4.0, 0), // NaN counts as overflow
        (vec![4.0, 4.0], true, 4.0, 1),
    ];
    for (i, (mut grads, taken, scale, tracker)) in script.into_iter().enumerate() {
        let before = s.scale;
        let mut seen = None;
        let took = s.step(&mut grads, |g| seen = Some(g.to_vec()));
        assert_eq!(took, taken, "step {i}: taken");
        assert_eq!(seen.is_some(), taken, "step {i}: the optimizer ran only on a clean step");
        if let Some(g) = seen {
            // The optimizer sees the true gradients: the scaled ones divided by the scale.
            assert_eq!(g, grads, "step {i}");
            assert!(g.iter().all(|&x| x * before == 8.0 || x * before == 16.0 || x == 1.0));
        }
        assert_eq!((s.scale, s.growth_tracker), (scale, tracker), "step {i}: scale, tracker");
    }
}

/// PyTorch's defaults: the scale doubles after 2000 clean steps, not 1999.
#[test]
fn the_default_scaler_doubles_after_2000_clean_steps() {
    let mut s = GradScaler::default();
    let start = s.scale;
    for _ in 0..1999 {
        s.update(false);
    }
    assert_eq!(s.scale, start);
    s.update(false);
    assert_eq!(s.scale, 2.0 * start);
    assert_eq!(start, 2f32.powi(16));
}

/// Dynamic scaling finds the largest power-of-two scale that keeps a gradient of 10 below
/// fp16's maximum: 2^⌊log₂(65504 / 10)⌋ = 4096, after 4 skipped steps from 2¹⁶.
#[test]
fn dynamic_scaling_settles_below_the_fp16_maximum() {
    let true_grads = [10.0f32, 1e-7];
    let mut s = GradScaler::default();
    let mut skipped = 0;
    let mut updates = vec![];
    for _ in 0..10 {
        // The backward pass in fp16: every gradient is the scaled one, rounded to fp16.
        let mut grads: Vec<f32> =
            true_grads.iter().map(|&g| from_f16(to_f16(g * s.scale))).collect();
        if !s.step(&mut grads, |g| updates.push(g.to_vec())) {
            skipped += 1;
        }
    }
    let want = (FP16.max() / 10.0).log2().floor().exp2() as f32;
    assert_eq!(s.scale, want);
    assert_eq!(skipped, (65536.0 / want).log2() as usize);
    // The small gradient survived every update, within fp16's relative precision.
    for u in &updates {
        assert!(approx::relative_eq!(u[1], 1e-7, max_relative = 1e-3), "{u:?}");
    }
}
