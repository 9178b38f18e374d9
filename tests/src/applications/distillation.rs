//! Graded suite for §6.5: the soft-target distillation loss.
//!
//! The expected loss is recomputed here in f64 by a plain loop, and so is what each usual
//! slip would give: no T², T instead of T², the KL's two arguments swapped, the temperature
//! on the student only or on the teacher only, a mean over all N·V entries (PyTorch's
//! `reduction="mean"`) or a sum over the rows. The cases are chosen so that each slip gives
//! a different number: T ≠ 1 everywhere but one case, several rows, teacher and student far
//! apart, and a teacher row so wide that some of its probabilities underflow f32 to 0 (where
//! ln of a softmax is −∞ and 0 · −∞ is NaN). Then the gradient with respect to the student's
//! logits is compared with the library's.

use crate::compare::Tol;
use crate::gradient::{check_input_gradient, plain, traced, Tr};
use crate::{Check, Failure};
use dfdx::prelude::*;
use solutions::Dev;

/// Logits `(N, V)`.
pub type Rows = Tensor<(usize, usize), f32, Dev>;
/// The same on the tape.
pub type TRows = Tensor<(usize, usize), f32, Dev, Tr>;

/// (label, N, V, temperature, student logits, teacher logits), row-major.
type Case = (&'static str, usize, usize, f32, Vec<f32>, Vec<f32>);

fn cases() -> Vec<Case> {
    let draw = |seed: u64, n: usize, v: usize, scale: f32| -> Vec<f32> {
        let x: Rows = Dev::seed_from_u64(seed).sample_normal_like(&(n, v));
        x.as_vec().iter().map(|z| z * scale).collect()
    };
    let mut wide_teacher = draw(63, 3, 8, 1.0);
    for (i, z) in wide_teacher[8..16].iter_mut().enumerate() {
        *z = -240.0 + 60.0 * i as f32; // softmax at T = 2: e^{-210} underflows f32
    }
    vec![
        (
            "the worked example: teacher (2 ln 3, 0), student (0, 0), T = 2",
            1,
            2,
            2.0,
            vec![0.0, 0.0],
            vec![2.0 * 3f32.ln(), 0.0],
        ),
        ("5 seeded rows of 7 logits, T = 3", 5, 7, 3.0, draw(61, 5, 7, 2.0), draw(62, 5, 7, 3.0)),
        ("4 seeded rows of 9 logits, T = 1", 4, 9, 1.0, draw(64, 4, 9, 2.0), draw(65, 4, 9, 2.0)),
        (
            "3 rows of 8, one teacher row spread over 420, T = 2",
            3,
            8,
            2.0,
            draw(66, 3, 8, 1.5),
            wide_teacher,
        ),
    ]
}

/// softmax(z / T) of one row, in f64.
fn soften(z: &[f32], t: f64) -> Vec<f64> {
    let max = z.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b as f64));
    let e: Vec<f64> = z.iter().map(|&x| ((x as f64 - max) / t).exp()).collect();
    let sum: f64 = e.iter().sum();
    e.iter().map(|x| x / sum).collect()
}

/// KL(p ‖ q) with 0 · ln 0 = 0.
fn kl(p: &[f64], q: &[f64]) -> f64 {
    p.iter().zip(q).filter(|(&p, _)| p > 0.0).map(|(&p, &q)| p * (p.ln() - q.ln())).sum()
}

/// Σ over the rows of `per_row(student row, teacher row)`.
fn over_rows(c: &Case, per_row: impl Fn(&[f32], &[f32]) -> f64) -> f64 {
    let (_, _, v, _, s, t) = c;
    s.chunks(*v).zip(t.chunks(*v)).map(|(s, t)| per_row(s, t)).sum()
}

/// Grades `distillation_loss(student, &teacher, temperature)`.
///
/// Values first, on every case: a wrong value is diagnosed on the first case where exactly
/// one known mistake matches it (in the worked example, V = T = 2 makes "÷ V" and "× T
/// instead of T²" the same number). Then the gradients.
pub fn check_distillation_loss<F>(f: F) -> Check
where
    F: Fn(TRows, &Rows, f32) -> Tensor<(), f32, Dev, Tr>,
{
    let dev = Dev::default();
    let tol = Tol { abs: 1e-4, rel: 1e-4 };
    let mut wrong: Vec<(String, Vec<&str>)> = vec![];
    for case in cases() {
        let (label, n, v, temp, s, t) = &case;
        let (tt, nn) = (*temp as f64, *n as f64);
        let want = over_rows(&case, |s, t| kl(&soften(t, tt), &soften(s, tt))) * tt * tt / nn;
        let x: Rows = dev.tensor_from_vec(s.clone(), (*n, *v));
        let teacher: Rows = dev.tensor_from_vec(t.clone(), (*n, *v));
        let got = plain(f(traced(&x), &teacher, *temp)).array() as f64;
        if tol.allows(got, want) {
            continue;
        }
        let kl_at =
            |ts: f64, tt_: f64| over_rows(&case, |s, t| kl(&soften(t, tt_), &soften(s, ts)));
        let swapped = over_rows(&case, |s, t| kl(&soften(s, tt), &soften(t, tt))) * tt * tt / nn;
        let mistakes = [
            (f64::NAN, NOT_FINITE),
            (want / (tt * tt), NO_T_SQUARED),
            (want / tt, TIMES_T),
            (swapped, SWAPPED),
            (kl_at(tt, 1.0) * tt * tt / nn, STUDENT_ONLY),
            (kl_at(1.0, tt) * tt * tt / nn, TEACHER_ONLY),
            (want / *v as f64, MEAN_OVER_ENTRIES),
            (want * nn, SUM_OVER_ROWS),
        ];
        let matches = mistakes
            .iter()
            .filter(
                |(value, _)| {
                    if value.is_nan() {
                        !got.is_finite()
                    } else {
                        tol.allows(got, *value)
                    }
                },
            )
            .map(|(_, cause)| *cause)
            .collect();
        let message = format!(
            "distillation_loss on {label} is {got:.6}, expected {want:.6} (tolerance {tol})"
        );
        wrong.push((message, matches));
    }
    let Some((message, matches)) =
        wrong.iter().find(|(_, m)| m.len() == 1).or_else(|| wrong.first())
    else {
        // Every value is right: now the gradients, which a copy off the tape gets wrong.
        for (label, n, v, temp, s, t) in cases() {
            let x: Rows = dev.tensor_from_vec(s, (n, v));
            let teacher: Rows = dev.tensor_from_vec(t, (n, v));
            let lib = |x: TRows| {
                solutions::applications::distillation::distillation_loss(x, &teacher, temp)
            };
            let what = format!("distillation_loss on {label}");
            check_input_gradient(&what, "student", &x, |x| f(x, &teacher, temp), lib)?;
        }
        return Ok(());
    };
    let cause = match matches.as_slice() {
        [one] => *one,
        _ => "the loss is T²/N · Σ_rows KL(softmax(t/T) ‖ softmax(s/T))",
    };
    Err(Failure::new(format!("{message}: {cause}.")))
}

const NOT_FINITE: &str = "the loss is not finite: a teacher probability underflowed to 0, and \
    ln 0 = −∞ makes 0 · ln 0 a NaN. Take the teacher's log-probabilities from a log-softmax \
    of t / T (finite), not from ln of its softmax";
const NO_T_SQUARED: &str = "the T² factor is missing: softened by T, the soft targets' \
    gradient shrinks like 1/T², so Hinton et al. multiply the loss by T² to keep its size as T \
    changes";
const TIMES_T: &str = "the loss is multiplied by T, not T²: one 1/T comes from \
    differentiating s / T, the other from the softened probabilities' difference, so both \
    must be undone";
const SWAPPED: &str = "the KL's arguments are swapped: that is KL(student ‖ teacher). \
    Distillation's soft targets weigh the terms by the teacher's probabilities, KL(p_teacher \
    ‖ p_student) = Σ p_t (ln p_t − ln p_s), as F.kl_div(log_p_student, p_teacher) does";
const STUDENT_ONLY: &str = "the temperature softens only the student: the teacher's \
    probabilities must be softmax(t / T) too, or its small probabilities (the dark knowledge) \
    stay hidden";
const TEACHER_ONLY: &str = "the temperature softens only the teacher: the student's \
    log-probabilities must come from log_softmax(s / T), the same temperature on both sides";
const MEAN_OVER_ENTRIES: &str = "that is the mean over all N·V entries (PyTorch's \
    reduction=\"mean\"), which is not a KL: sum over the V classes and average over the N rows \
    (\"batchmean\")";
const SUM_OVER_ROWS: &str = "you summed over the rows; the loss is the mean over the N rows \
    (\"batchmean\"), so that it does not grow with the batch";
