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

// The match against nanoGPT's own `get_lr` (data/reference/lr_schedule.json) is the graded
// check `graded::training::data_loader::check_lr_at_step`, which the proofs run on this
// library; it is not repeated here.
