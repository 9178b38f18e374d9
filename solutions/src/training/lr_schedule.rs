//! §3.5 The learning-rate schedule: linear warm-up, then cosine decay (学习率预热与余弦衰减).
//!
//! Papers: Loshchilov & Hutter 2016, arXiv 1608.03983 (SGDR, cosine annealing); Goyal et
//! al. 2017, arXiv 1706.02677 (gradual warm-up). The schedule here is nanoGPT's `get_lr`
//! (karpathy/nanoGPT, `train.py`) line for line. PyTorch has no single built-in for it
//! (`LinearLR` chained with `CosineAnnealingLR` through `SequentialLR` comes close); Hugging
//! Face's `get_cosine_schedule_with_warmup` is the same shape with a floor of 0 instead of
//! `min_lr` and a warm-up that starts at 0 instead of `max_lr / (warmup + 1)`.
//!
//! Why warm up: Adam's second-moment estimate `v` is built from very few gradients in the
//! first steps, so its steps are large and noisy; a small learning rate while `v` settles
//! keeps the early updates from wrecking the random initialisation. Why decay: late in
//! training a smaller step lets the weights settle into a minimum instead of bouncing
//! around it, and the cosine spends more steps near `max_lr` than a linear decay would.

/// The learning rate at step `step` (counted from 0) of nanoGPT's schedule:
///
/// $$
/// \eta(s) = \begin{cases}
///   \eta_{max} \cdot \dfrac{s + 1}{w + 1} & s < w \\[6pt]
///   \eta_{min} + \tfrac12\left(1 + \cos\left(\pi \dfrac{s - w}{N - w}\right)\right)
///     (\eta_{max} - \eta_{min}) & w \le s \le N \\[6pt]
///   \eta_{min} & s > N
/// \end{cases}
/// $$
///
/// with `w = warmup` and `N = max_steps` (nanoGPT's `lr_decay_iters`).
///
/// Worked example, `warmup = 4`, `max_steps = 12`, `max_lr = 1.0`, `min_lr = 0.1`:
/// steps 0..3 are the warm-up, 1/5, 2/5, 3/5, 4/5 = `0.2, 0.4, 0.6, 0.8`; step 4 starts the
/// cosine at its top, `1.0`; step 8 is half-way (ratio 4/8, cosine 0), `0.1 + 0.5 · 0.9 =
/// 0.55`; step 12 is the bottom, `0.1`; every later step stays at `0.1`.
///
/// Subtle: the warm-up divides by `warmup + 1`, not `warmup`, so it never reaches `max_lr`
/// inside the warm-up and never starts at 0 (a zero learning rate would waste step 0).
/// Older nanoGPT versions used `it / warmup_iters`, which starts at exactly 0.
///
/// Subtle: when `max_steps == warmup` the cosine has no length. nanoGPT would divide by
/// zero at that step; here the decay counts as finished and the step gets `min_lr`.
// ANCHOR: lr_at_step
pub fn lr_at_step(step: usize, warmup: usize, max_steps: usize, max_lr: f64, min_lr: f64) -> f64 {
    // 1) Linear warm-up: (step + 1) / (warmup + 1) of the peak.
    if step < warmup {
        return max_lr * (step + 1) as f64 / (warmup + 1) as f64;
    }
    // 2) Past the end of the decay: the floor.
    if step > max_steps || max_steps == warmup {
        return min_lr;
    }
    // 3) Cosine from max_lr (ratio 0) down to min_lr (ratio 1).
    let decay_ratio = (step - warmup) as f64 / (max_steps - warmup) as f64;
    let coeff = 0.5 * (1.0 + (std::f64::consts::PI * decay_ratio).cos());
    min_lr + coeff * (max_lr - min_lr)
}
// ANCHOR_END: lr_at_step

#[cfg(test)]
mod tests;
