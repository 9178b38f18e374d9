//! §6.5: plausible wrong soft-target losses.

use crate::gradient::Tr;
use crate::wrong::through_vec;
use dfdx::prelude::*;
use solutions::applications::distillation::distillation_loss;
use solutions::Dev;

type R = Tensor<(usize, usize), f32, Dev>;
type TR = Tensor<(usize, usize), f32, Dev, Tr>;
type Loss = Tensor<(), f32, Dev, Tr>;

/// Σ p_t (ln p_t − ln p_s) · (1/N) with the student and teacher log-probabilities given.
fn kl_rows(log_p_s: TR, log_p_t: R, n: usize) -> Loss {
    let p_t = log_p_t.clone().exp();
    ((log_p_s - log_p_t) * p_t).sum::<(), _>().negate() / n as f32
}

/// The T² factor forgotten.
pub fn distil_no_t_squared(s: TR, t: &R, temp: f32) -> Loss {
    distillation_loss(s, t, temp) / (temp * temp)
}

/// T instead of T².
pub fn distil_times_t(s: TR, t: &R, temp: f32) -> Loss {
    distillation_loss(s, t, temp) / temp
}

/// KL(student ‖ teacher): the arguments swapped.
pub fn distil_kl_swapped(s: TR, t: &R, temp: f32) -> Loss {
    let n = s.shape().0;
    let log_p_s = (s / temp).log_softmax::<Axis<1>>();
    let p_s = log_p_s.with_empty_tape().exp();
    let log_p_t = (t.clone() / temp).log_softmax::<Axis<1>>();
    ((log_p_s - log_p_t) * p_s).sum::<(), _>() * (temp * temp / n as f32)
}

/// The teacher's probabilities left at T = 1.
pub fn distil_temperature_on_student_only(s: TR, t: &R, temp: f32) -> Loss {
    let n = s.shape().0;
    let log_p_s = (s / temp).log_softmax::<Axis<1>>();
    kl_rows(log_p_s, t.clone().log_softmax::<Axis<1>>(), n) * (temp * temp)
}

/// The student's probabilities left at T = 1.
pub fn distil_temperature_on_teacher_only(s: TR, t: &R, temp: f32) -> Loss {
    let n = s.shape().0;
    let log_p_t = (t.clone() / temp).log_softmax::<Axis<1>>();
    kl_rows(s.log_softmax::<Axis<1>>(), log_p_t, n) * (temp * temp)
}

/// PyTorch's reduction="mean": divided by N·V.
pub fn distil_mean_over_entries(s: TR, t: &R, temp: f32) -> Loss {
    let v = s.shape().1 as f32;
    distillation_loss(s, t, temp) / v
}

/// Summed over the rows.
pub fn distil_sum_over_rows(s: TR, t: &R, temp: f32) -> Loss {
    let n = s.shape().0 as f32;
    distillation_loss(s, t, temp) * n
}

/// ln of the teacher's softmax: NaN where a probability underflows.
pub fn distil_ln_of_softmax(s: TR, t: &R, temp: f32) -> Loss {
    let n = s.shape().0;
    let p_t = (t.clone() / temp).softmax::<Axis<1>>();
    let log_p_s = (s / temp).log_softmax::<Axis<1>>();
    ((log_p_s - p_t.clone().ln()) * p_t).sum::<(), _>().negate() * (temp * temp / n as f32)
}

/// The right loss, copied out and back in: no gradient reaches the student.
pub fn distil_through_vec(s: TR, t: &R, temp: f32) -> Loss {
    through_vec(distillation_loss(s, t, temp))
}
