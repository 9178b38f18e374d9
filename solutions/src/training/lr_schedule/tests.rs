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
        serde_json::from_str(include_str!("../../../../data/reference/lr_schedule.json"))
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
