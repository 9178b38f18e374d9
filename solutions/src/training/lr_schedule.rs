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
mod tests {
    use super::lr_at_step;

    #[test]
    fn hand_worked_example_from_the_doc_comment() {
        let lr = |s| lr_at_step(s, 4, 12, 1.0, 0.1);
        let expected =
            [(0, 0.2), (1, 0.4), (2, 0.6), (3, 0.8), (4, 1.0), (8, 0.55), (12, 0.1), (13, 0.1)];
        for (step, want) in expected {
            let got = lr(step);
            assert!(
                (got - want).abs() < 1e-12,
                "step {step}: lr {got}, hand-worked {want} (warm-up 4, decay to step 12)"
            );
        }
        // Between two hand-worked points the cosine decreases strictly.
        for s in 4..12 {
            assert!(
                lr(s + 1) < lr(s),
                "lr rises from step {s} to {}: {} -> {}",
                s + 1,
                lr(s),
                lr(s + 1)
            );
        }
    }

    #[test]
    fn boundaries_are_continuous_and_bounded() {
        let (w, n, hi, lo) = (100, 2000, 1e-3, 1e-4);
        // The last warm-up step is just below the peak; the first decay step is the peak.
        assert!((lr_at_step(w - 1, w, n, hi, lo) - hi * 100.0 / 101.0).abs() < 1e-15);
        assert_eq!(lr_at_step(w, w, n, hi, lo), hi, "the cosine must start at max_lr");
        assert!((lr_at_step(n, w, n, hi, lo) - lo).abs() < 1e-15, "the cosine must end at min_lr");
        assert_eq!(lr_at_step(n + 1, w, n, hi, lo), lo);
        assert_eq!(lr_at_step(10 * n, w, n, hi, lo), lo);
        for s in 0..n + 5 {
            let lr = lr_at_step(s, w, n, hi, lo);
            assert!(lr > 0.0 && lr <= hi, "step {s}: lr {lr} outside (0, {hi}]");
        }
        // No warm-up at all: step 0 is already the peak. No decay length: the floor.
        assert_eq!(lr_at_step(0, 0, 10, hi, lo), hi);
        assert_eq!(lr_at_step(5, 5, 5, hi, lo), lo);
    }

    #[derive(serde::Deserialize)]
    struct Recipe {
        name: String,
        warmup: usize,
        max_steps: usize,
        max_lr: f64,
        min_lr: f64,
        steps: Vec<usize>,
        lrs: Vec<f64>,
    }

    #[derive(serde::Deserialize)]
    struct Reference {
        tolerance: f64,
        recipes: Vec<Recipe>,
    }

    /// Values from nanoGPT's own `get_lr`, run by `scripts/reference/lr_schedule.py`.
    #[test]
    fn equals_nanogpt_get_lr() {
        let reference: Reference =
            serde_json::from_str(include_str!("../../../data/reference/lr_schedule.json"))
                .expect("data/reference/lr_schedule.json does not parse");
        let mut worst = 0.0f64;
        for r in &reference.recipes {
            for (&step, &want) in r.steps.iter().zip(&r.lrs) {
                let got = lr_at_step(step, r.warmup, r.max_steps, r.max_lr, r.min_lr);
                worst = worst.max((got - want).abs());
                assert!(
                    (got - want).abs() <= reference.tolerance,
                    "recipe {}: step {step} has lr {got}, nanoGPT's get_lr gives {want} \
                     (|diff| {:.1e} > {:.0e}); is the warm-up (s+1)/(w+1) and the cosine \
                     ratio (s-w)/(N-w)?",
                    r.name,
                    (got - want).abs(),
                    reference.tolerance
                );
            }
        }
        println!("lr schedule: max |ours - nanoGPT| = {worst:.2e}");
    }
}
