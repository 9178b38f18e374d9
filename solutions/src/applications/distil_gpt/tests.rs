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
        let b =
            distil_step(&mut distilled, &teacher, &mut opt_b, &mut gb, (&x, &y), step, &cfg, (2.0, 1.0));
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
