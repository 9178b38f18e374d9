//! §6.5's wrong variants, with the check each runs and the fragment meant for it.

use super::{variant, Variant};
use crate::applications::distillation::*;
use crate::wrong::distillation as kd;

/// §6.5.
pub fn variants() -> Vec<Variant> {
    vec![
        variant!(
            "6.5.distillation_loss",
            check_distillation_loss(kd::distil_no_t_squared),
            "T² factor is missing"
        ),
        variant!(
            "6.5.distillation_loss",
            check_distillation_loss(kd::distil_times_t),
            "multiplied by T, not T²"
        ),
        variant!(
            "6.5.distillation_loss",
            check_distillation_loss(kd::distil_kl_swapped),
            "arguments are swapped"
        ),
        variant!(
            "6.5.distillation_loss",
            check_distillation_loss(kd::distil_temperature_on_student_only),
            "softens only the student"
        ),
        variant!(
            "6.5.distillation_loss",
            check_distillation_loss(kd::distil_temperature_on_teacher_only),
            "softens only the teacher"
        ),
        variant!(
            "6.5.distillation_loss",
            check_distillation_loss(kd::distil_mean_over_entries),
            "mean over all N·V entries"
        ),
        variant!(
            "6.5.distillation_loss",
            check_distillation_loss(kd::distil_sum_over_rows),
            "summed over the rows"
        ),
        variant!(
            "6.5.distillation_loss",
            check_distillation_loss(kd::distil_ln_of_softmax),
            "is not finite"
        ),
        variant!(
            "6.5.distillation_loss",
            check_distillation_loss(kd::distil_through_vec),
            "the tape was dropped"
        ),
    ]
}
