//! §6.5 Knowledge distillation: the soft-target loss (知识蒸馏：软目标损失).
//!
//! Paper: Hinton, Vinyals and Dean 2015, "Distilling the Knowledge in a Neural Network",
//! arXiv 1503.02531, §2: a small *student* is trained to match the output distribution of a
//! large *teacher*, both softened by a temperature $T$, and the soft-target term is
//! multiplied by $T^2$ "since the magnitudes of the gradients produced by the soft targets
//! scale as $1/T^2$"; §2.1 shows that at high temperature the loss becomes matching the
//! logits. For teacher logits $t$ and student logits $s$ over V classes (tokens), N rows:
//!
//! $$\mathcal L_\text{soft} = \frac{T^2}{N}\sum_{n=1}^N
//!   \mathrm{KL}\big(\mathrm{softmax}(t_n/T)\,\big\|\,\mathrm{softmax}(s_n/T)\big).$$
//!
//! PyTorch: `F.kl_div(F.log_softmax(s / T, -1), F.softmax(t / T, -1),
//! reduction="batchmean") * T * T`, which `scripts/reference/distillation.py` runs and
//! `distillation/tests.rs` matches; Hugging Face's DistilBERT distiller
//! (`examples/research_projects/distillation/distiller.py`) computes the same with
//! `nn.KLDivLoss(reduction="batchmean")`. dfdx: `losses::kl_div_with_logits_loss` is the
//! KL at T = 1 from target *probabilities* (and is NaN where one is 0).

use crate::kernels::cross_entropy::cross_entropy;
use crate::Dev;
use dfdx::prelude::*;

/// Logits of N rows (positions) over V classes: `(N, V)`.
pub type Rows<T = NoneTape> = Tensor<(usize, usize), f32, Dev, T>;

/// The soft-target distillation loss: $T^2$ times the mean over the N rows of
/// $\mathrm{KL}(\mathrm{softmax}(t/T)\,\|\,\mathrm{softmax}(s/T))$, with the student's logits
/// on the tape and the teacher's constant (the teacher is frozen).
///
/// Worked example: teacher logits (2 ln 3, 0), student (0, 0), T = 2. Softened, the
/// teacher's probabilities are softmax(ln 3, 0) = (¾, ¼), the student's (½, ½), so
/// KL = ¾ ln(3/2) + ¼ ln(1/2) = 0.13081 and the loss is 2² · 0.13081 = 0.52325. At T = 1
/// the teacher would say (9/10, 1/10): KL = 0.36806.
///
/// ```
/// use dfdx::prelude::*;
/// use solutions::applications::distillation::distillation_loss;
/// let dev = Cpu::default();
/// let teacher = dev.tensor_from_vec(vec![2.0 * 3f32.ln(), 0.0], (1, 2));
/// let student = dev.tensor_from_vec(vec![0.0f32, 0.0], (1, 2));
/// let loss = distillation_loss(student, &teacher, 2.0).array();
/// assert!((loss - 0.52325).abs() < 1e-4);
/// ```
// ANCHOR: distillation_loss
pub fn distillation_loss<T: Tape<f32, Dev>>(
    student: Rows<T>,
    teacher: &Rows,
    temperature: f32,
) -> Tensor<(), f32, Dev, T> {
    let (n, v) = *student.shape();
    assert_eq!(*teacher.shape(), (n, v), "teacher and student logits must both be (N, V)");
    assert!(temperature > 0.0, "the temperature must be > 0, got {temperature}");
    // Both distributions are softened by the same T: the teacher's small probabilities
    // (its "dark knowledge") only show, and only count, at T > 1.
    let log_p_teacher = (teacher.clone() / temperature).log_softmax::<Axis<1>>(); // (N, V)
    let p_teacher = log_p_teacher.clone().exp();
    // Subtle: the teacher's log-probabilities come from log_softmax, not ln(softmax): a
    // probability that underflows to 0 gives 0 · (−∞) = NaN in p ln p, but 0 · finite = 0.
    // KL(p_t ‖ p_s) = Σ p_t (ln p_t − ln p_s): the teacher's distribution weighs the terms.
    let log_p_student = (student / temperature).log_softmax::<Axis<1>>(); // (N, V)
    let kl_sum = ((log_p_student - log_p_teacher) * p_teacher).sum::<(), _>().negate();
    // Subtle: "batchmean" divides by the N rows, not by N·V ("mean" would, and PyTorch warns
    // that it is not the KL); and T² restores the gradient's scale (see `gradient_formula`).
    kl_sum * (temperature * temperature / n as f32)
}
// ANCHOR_END: distillation_loss

/// Hinton et al.'s full objective: $\alpha\,\mathrm{CE}(y, s) + (1 - \alpha)\,\mathcal
/// L_\text{soft}$, the hard-label cross-entropy at T = 1 on `targets` (N ids) plus the
/// soft-target loss. α = 1 is training on the data alone, α = 0 pure distillation.
// ANCHOR: distillation_objective
pub fn distillation_objective<T: Tape<f32, Dev>>(
    student: Rows<T>,
    teacher: &Rows,
    targets: &[usize],
    temperature: f32,
    alpha: f32,
) -> Tensor<(), f32, Dev, T> {
    // The student's logits feed two terms: the copy shares their id and starts an empty
    // tape, which the sum below merges back, so both terms' gradients reach the model.
    let hard = cross_entropy(student.with_empty_tape(), targets);
    let soft = distillation_loss(student, teacher, temperature);
    hard * alpha + soft * (1.0 - alpha)
}
// ANCHOR_END: distillation_objective

/// The gradient of [`distillation_loss`] with respect to the student's logits, in f64 from
/// the formula: $\partial\mathcal L/\partial s_{n,i} = \frac{T^2}{N}\cdot\frac{1}{T}
/// (q_{n,i} - p_{n,i}) = \frac{T}{N}(q_{n,i} - p_{n,i})$, where $q, p$ are the student's and the
/// teacher's softened distributions (`scale_t_squared = false` drops the $T^2$).
pub fn gradient_formula(
    student: &[f32],
    teacher: &[f32],
    v: usize,
    temperature: f64,
    scale_t_squared: bool,
) -> Vec<f64> {
    let n = student.len() / v;
    let soften = |z: &[f32]| -> Vec<f64> {
        let max = z.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b)) as f64;
        let e: Vec<f64> = z.iter().map(|&x| ((x as f64 - max) / temperature).exp()).collect();
        let sum: f64 = e.iter().sum();
        e.iter().map(|x| x / sum).collect()
    };
    let scale = if scale_t_squared { temperature * temperature } else { 1.0 };
    student
        .chunks(v)
        .zip(teacher.chunks(v))
        .flat_map(|(s, t)| {
            let (q, p) = (soften(s), soften(t));
            (0..v).map(move |i| scale / temperature * (q[i] - p[i]) / n as f64)
        })
        .collect()
}

/// §2.1's high-temperature limit of that gradient with $T^2$: for large T,
/// $q_i - p_i \approx \frac{(s_i - \bar s) - (t_i - \bar t)}{VT}$, so the scaled gradient
/// tends to $\frac{(s_i - \bar s) - (t_i - \bar t)}{NV}$, independent of T: distillation at
/// high temperature is matching the (centred) logits, $\frac{1}{2NV}\sum(s - t)^2$.
pub fn high_temperature_limit(student: &[f32], teacher: &[f32], v: usize) -> Vec<f64> {
    let n = student.len() / v;
    let centred = |z: &[f32]| -> Vec<f64> {
        let mean = z.iter().map(|&x| x as f64).sum::<f64>() / v as f64;
        z.iter().map(|&x| x as f64 - mean).collect()
    };
    student
        .chunks(v)
        .zip(teacher.chunks(v))
        .flat_map(|(s, t)| {
            let (s, t) = (centred(s), centred(t));
            (0..v).map(move |i| (s[i] - t[i]) / (n * v) as f64)
        })
        .collect()
}

/// The L2 norm of dfdx's gradient of the soft-target loss with respect to the student's
/// logits (`(N, V)`, row-major), with the $T^2$ factor or without it.
pub fn autodiff_gradient_norm(
    student: &[f32],
    teacher: &[f32],
    v: usize,
    temperature: f32,
    scale_t_squared: bool,
) -> f64 {
    let dev = Dev::default();
    let n = student.len() / v;
    let s: Rows = dev.tensor_from_vec(student.to_vec(), (n, v));
    let t: Rows = dev.tensor_from_vec(teacher.to_vec(), (n, v));
    let loss = distillation_loss(s.leaky_trace(), &t, temperature);
    let loss = if scale_t_squared { loss } else { loss / (temperature * temperature) };
    let grads = loss.backward();
    grads.get(&s).as_vec().iter().map(|&g| (g as f64).powi(2)).sum::<f64>().sqrt()
}

#[cfg(test)]
mod tests;
