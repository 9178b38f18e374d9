use super::*;

/// With α = 1 the soft term weighs nothing, so a distillation step must be exactly §3.5's
/// `train_step`: the same model after the same batches, whatever the teacher says.
#[test]
fn with_alpha_one_a_distillation_step_is_a_plain_training_step() {
    let setup = DistilSetup::tiny();
    let (vocab, train, _) = corpus();
    let cfg = loop_config(&setup, 4);
    let teacher = Gpt::new(&Dev::seed_from_u64(5), config(&setup, vocab, setup.teacher));
    let start = Gpt::new(&Dev::seed_from_u64(6), config(&setup, vocab, setup.student));
    let (mut plain, mut distilled) = (start.clone(), start);
    let (mut opt_a, mut opt_b) = (
        AdamW::new(&plain, AdamWConfig::nanogpt()),
        AdamW::new(&distilled, AdamWConfig::nanogpt()),
    );
    let (mut ga, mut gb) = (plain.alloc_grads(), distilled.alloc_grads());
    for step in 0..4 {
        let (x, y) = training_batch(&train, &cfg, 9, step);
        let a = train_step(&mut plain, &mut opt_a, &mut ga, (&x, &y), step, &cfg).unwrap().loss;
        let b = distil_step(
            &mut distilled,
            &teacher,
            &mut opt_b,
            &mut gb,
            (&x, &y),
            step,
            &cfg,
            (2.0, 1.0),
        );
        approx::assert_abs_diff_eq!(a, b, epsilon = 1e-6);
    }
    let (x, _) = training_batch(&train, &cfg, 9, 99);
    let tokens = Dev::default().tensor_from_vec(flatten_batch(&x), (x.len(), x[0].len()));
    let (a, b) = (plain.forward_logits(tokens.clone()), distilled.forward_logits(tokens));
    crate::close::assert_close(
        "logits after 4 steps, train_step against distil_step with α = 1",
        &b.as_vec(),
        &a.as_vec(),
        crate::close::Tol::abs(1e-5),
    );
}

/// A real distillation run at the tiny size, one seed: both students learn (their held-out
/// loss falls from ln V by more than 0.5), and the distilled one moves towards the teacher
/// (its held-out KL to the teacher falls). The page's comparison is the stored BOOK run.
#[test]
fn a_tiny_distillation_run_trains_both_students() {
    let setup =
        DistilSetup { teacher_steps: 60, student_steps: 30, eval_every: 30, ..DistilSetup::tiny() };
    let m = distillation_experiment(&setup, &[0]);
    let ln_v = (corpus().0 as f32).ln();
    let run = &m.runs[0];
    for (name, c) in [("data only", &run.data_only), ("distilled", &run.distilled)] {
        println!("{name}: loss {:?}, KL {:?}", c.loss, c.kl);
        assert_eq!(c.steps, [0, 30]);
        assert!(c.final_loss() < ln_v - 0.5, "{name}: held-out loss {:?}, ln V = {ln_v}", c.loss);
    }
    assert!(run.distilled.kl[1] < run.distilled.kl[0], "KL {:?}", run.distilled.kl);
    assert!(m.teacher_params > m.student_params);
}

/// The numbers the page quotes, from the stored BOOK measurement
/// (`data/bench/distillation.json`, made by `measure_distillation`): recomputed here from
/// the per-seed curves, and the file checked to be a run of today's `BOOK`.
// ANCHOR: stored_test
#[test]
fn the_stored_measurement_says_what_the_page_says() {
    let m = crate::figures::stored_distillation();
    assert_eq!(m.setup, BOOK, "the stored run is not BOOK's: rerun measure_distillation");
    assert_eq!(m.runs.iter().map(|r| r.seed).collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
    let (vocab, _, _) = corpus();
    let params =
        |s| crate::architectures::param_count::gpt_param_count(config(&BOOK, vocab, s).dims());
    assert_eq!((m.teacher_params, m.student_params), (params(BOOK.teacher), params(BOOK.student)));
    assert_eq!((m.teacher_params, m.student_params), (107_648, 5_200));
    // The teacher beats every student; distillation lowered the held-out loss in 4 of the 5
    // seeds, and the KL to the teacher in the same 4.
    for r in &m.runs {
        assert!(m.teacher_loss < r.data_only.final_loss().min(r.distilled.final_loss()));
        assert_eq!(r.gain() > 0.0, r.distilled.kl.last() < r.data_only.kl.last());
    }
    assert_eq!(m.runs.iter().filter(|r| r.gain() > 0.0).count(), 4);
    let (mean, se) = m.mean_gain();
    approx::assert_abs_diff_eq!(mean, 0.178, epsilon = 5e-4);
    approx::assert_abs_diff_eq!(se, 0.082, epsilon = 5e-4);
    approx::assert_abs_diff_eq!(m.teacher_loss, 2.099, epsilon = 5e-4);
    let range = |f: &dyn Fn(&SeedRun) -> f32| {
        let v: Vec<f32> = m.runs.iter().map(f).collect();
        (v.iter().copied().fold(f32::MAX, f32::min), v.iter().copied().fold(0.0, f32::max))
    };
    let (lo, hi) = range(&|r| r.data_only.final_loss());
    assert!((lo - 2.610).abs() < 5e-4 && (hi - 3.043).abs() < 5e-4, "{lo} {hi}");
    let (lo, hi) = range(&|r| r.distilled.final_loss());
    assert!((lo - 2.595).abs() < 5e-4 && (hi - 2.759).abs() < 5e-4, "{lo} {hi}");
}
// ANCHOR_END: stored_test
