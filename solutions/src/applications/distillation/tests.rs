use super::*;
use crate::close::{assert_close, Tol};
use serde::Deserialize;

fn rows(v: &[f32], n: usize) -> Rows {
    Dev::default().tensor_from_vec(v.to_vec(), (n, v.len() / n))
}

fn seeded(seed: u64, n: usize, v: usize, scale: f32) -> Vec<f32> {
    let x: Rows = Dev::seed_from_u64(seed).sample_normal_like(&(n, v));
    x.as_vec().iter().map(|z| z * scale).collect()
}

/// KL(p ‖ q) of two distributions, in f64.
fn kl(p: &[f64], q: &[f64]) -> f64 {
    p.iter().zip(q).filter(|(&p, _)| p > 0.0).map(|(&p, &q)| p * (p / q).ln()).sum()
}

#[test]
fn hand_worked_example() {
    // Teacher (2 ln 3, 0), student (0, 0): at T = 2 the teacher says (¾, ¼), the student
    // (½, ½); at T = 1 the teacher says (9/10, 1/10).
    let teacher = rows(&[2.0 * 3f32.ln(), 0.0], 1);
    let student = rows(&[0.0, 0.0], 1);
    let at = |t: f32| distillation_loss(student.clone(), &teacher, t).array() as f64;
    let half = [0.5, 0.5];
    approx::assert_abs_diff_eq!(at(2.0), 4.0 * kl(&[0.75, 0.25], &half), epsilon = 1e-6);
    approx::assert_abs_diff_eq!(at(2.0), 0.52325, epsilon = 1e-5);
    approx::assert_abs_diff_eq!(at(1.0), kl(&[0.9, 0.1], &half), epsilon = 1e-6);
    approx::assert_abs_diff_eq!(at(1.0), 0.36806, epsilon = 1e-5);
    // A student that already equals the teacher costs nothing, at any temperature.
    let same = seeded(1, 4, 9, 3.0);
    for t in [0.5, 1.0, 3.0, 20.0] {
        let loss = distillation_loss(rows(&same, 4), &rows(&same, 4), t).array();
        approx::assert_abs_diff_eq!(loss, 0.0, epsilon = 1e-5);
    }
}

#[derive(Deserialize)]
struct Case {
    name: String,
    #[serde(rename = "N")]
    n: usize,
    temperature: f32,
    student: Vec<f32>,
    teacher: Vec<f32>,
    loss: f32,
    grad: Vec<f32>,
}

#[derive(Deserialize)]
struct Reference {
    provenance: String,
    tolerance: f32,
    cases: Vec<Case>,
}

// ANCHOR: pytorch_test
#[test]
fn loss_and_gradient_equal_pytorchs_kl_div_batchmean_times_t_squared() {
    let r: Reference =
        serde_json::from_str(include_str!("../../../../data/reference/distillation.json")).unwrap();
    let tol = Tol::abs_rel(r.tolerance);
    assert!(r.cases.iter().any(|c| c.temperature == 1.0) && r.cases.len() >= 6);
    for c in &r.cases {
        let s = rows(&c.student, c.n);
        let loss = distillation_loss(s.leaky_trace(), &rows(&c.teacher, c.n), c.temperature);
        let what = format!("{}: loss against PyTorch's ({})", c.name, r.provenance);
        assert_close(&what, &[loss.array()], &[c.loss], tol);
        let grad = loss.backward().get(&s).as_vec();
        assert_close(&what.replace("loss", "∂L/∂student"), &grad, &c.grad, tol);
    }
}
// ANCHOR_END: pytorch_test

#[test]
fn autodiff_gradient_is_t_over_n_times_student_minus_teacher_probabilities() {
    let (n, v) = (5, 7);
    for (seed, t) in [(2u64, 0.5f32), (3, 1.0), (4, 3.0), (5, 12.0)] {
        let (s, tch) = (seeded(seed, n, v, 2.0), seeded(seed + 10, n, v, 2.0));
        let x = rows(&s, n);
        let grad = distillation_loss(x.leaky_trace(), &rows(&tch, n), t).backward();
        let want: Vec<f32> =
            gradient_formula(&s, &tch, v, t as f64, true).iter().map(|&g| g as f32).collect();
        let what = format!("T = {t}: autodiff against (T/N)(q − p)");
        assert_close(&what, &grad.get(&x).as_vec(), &want, Tol::abs(1e-6));
    }
}

/// Hinton et al. §2: without T² the soft targets' gradient shrinks like 1/T², so raising T
/// would silently turn the soft term down against the hard one. With T², measured on
/// seeded logits (8 rows, 16 classes, two spreads), the gradient's norm stays within a
/// factor 1.5 from T = 1 to T = 64 (when written: 0.121–0.145 and 0.328–0.408), tending to
/// §2.1's logit-matching limit; without it, each doubling of T divides it by about 4.
// ANCHOR: t_squared_test
#[test]
fn t_squared_keeps_the_gradient_size_roughly_constant_as_t_changes() {
    let (n, v) = (8, 16);
    let temperatures = [1.0f32, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0];
    for (seed, scale) in [(3u64, 1.0f32), (4, 3.0)] {
        let (s, t) = (seeded(seed, n, v, scale), seeded(seed + 100, n, v, scale));
        let norms = |scaled: bool| -> Vec<f64> {
            temperatures.iter().map(|&tt| autodiff_gradient_norm(&s, &t, v, tt, scaled)).collect()
        };
        let (with, without) = (norms(true), norms(false));
        println!("spread {scale}: |∇| with T² {with:.4?}\n          without T² {without:.3?}");
        let (lo, hi) = with.iter().fold((f64::MAX, 0.0f64), |(a, b), &g| (a.min(g), b.max(g)));
        assert!(
            hi / lo < 1.5,
            "spread {scale}: with T² the gradient norm still varies {:.2}× over T = 1..64 \
             ({with:.4?}); it should stay roughly constant",
            hi / lo
        );
        for (k, w) in without.windows(2).enumerate().skip(1) {
            let fall = w[0] / w[1];
            assert!(
                (3.0..5.0).contains(&fall),
                "spread {scale}: without T², doubling T from {} divided the gradient norm by \
                 {fall:.2}, not by about 4 = 2²",
                temperatures[k]
            );
        }
        assert!(without[0] / without[6] > 1000.0, "spread {scale}: {without:.3?}");
        // At T = 64 the scaled gradient is §2.1's limit, (s − s̄ − t + t̄)/(NV), within 1 %.
        let limit = high_temperature_limit(&s, &t, v);
        let limit_norm = limit.iter().map(|g| g * g).sum::<f64>().sqrt();
        assert!(
            approx::relative_eq!(with[6], limit_norm, max_relative = 0.01),
            "spread {scale}: |∇| at T = 64 is {:.5}, the high-temperature limit {limit_norm:.5}",
            with[6]
        );
    }
}
// ANCHOR_END: t_squared_test

#[test]
fn the_high_temperature_gradient_is_logit_matching() {
    let (n, v) = (3, 6);
    let (s, t) = (seeded(7, n, v, 1.5), seeded(8, n, v, 1.5));
    // The next term of the expansion is smaller by about |z|/T: under 1 % at T = 1000.
    let got: Vec<f32> =
        gradient_formula(&s, &t, v, 1000.0, true).iter().map(|&g| g as f32).collect();
    let limit: Vec<f32> = high_temperature_limit(&s, &t, v).iter().map(|&g| g as f32).collect();
    let tol = Tol { abs: 1e-4, rel: 0.01 };
    assert_close("gradient at T = 1000 against (s − s̄ − t + t̄)/(NV)", &got, &limit, tol);
}

#[test]
fn equals_dfdx_kl_div_with_logits_loss_at_t_1() {
    // dfdx's loss takes the teacher's probabilities; on moderate logits (no probability 0)
    // it is the same batchmean KL.
    let (n, v) = (4, 5);
    let (s, t) = (seeded(11, n, v, 2.0), seeded(12, n, v, 2.0));
    let probs = rows(&t, n).softmax::<Axis<1>>();
    let dfdx_kl = dfdx::losses::kl_div_with_logits_loss(rows(&s, n), probs).array();
    let ours = distillation_loss(rows(&s, n), &rows(&t, n), 1.0).array();
    approx::assert_abs_diff_eq!(ours, dfdx_kl, epsilon = 1e-5);
}

#[test]
fn the_objective_mixes_cross_entropy_and_the_soft_loss_and_both_gradients_arrive() {
    let (n, v) = (4, 6);
    let (s, t) = (seeded(21, n, v, 2.0), seeded(22, n, v, 2.0));
    let targets = [0usize, 5, 2, 3];
    let (x, teacher) = (rows(&s, n), rows(&t, n));
    let ce = cross_entropy(x.clone(), &targets).array();
    let soft = distillation_loss(x.clone(), &teacher, 2.0).array();
    for alpha in [0.0f32, 0.3, 1.0] {
        let got = distillation_objective(x.clone(), &teacher, &targets, 2.0, alpha).array();
        approx::assert_abs_diff_eq!(got, alpha * ce + (1.0 - alpha) * soft, epsilon = 1e-5);
    }
    // The gradient of the mix is the mix of the gradients: neither term was cut off.
    let grad_of =
        |loss: Tensor<(), f32, Dev, OwnedTape<f32, Dev>>| loss.backward().get(&x).as_vec();
    let mixed = grad_of(distillation_objective(x.leaky_trace(), &teacher, &targets, 2.0, 0.3));
    let g_ce = grad_of(cross_entropy(x.leaky_trace(), &targets));
    let g_soft = grad_of(distillation_loss(x.leaky_trace(), &teacher, 2.0));
    let want: Vec<f32> = g_ce.iter().zip(&g_soft).map(|(a, b)| 0.3 * a + 0.7 * b).collect();
    assert_close("∂(0.3 CE + 0.7 soft)/∂s", &mixed, &want, Tol::abs(1e-6));
}
