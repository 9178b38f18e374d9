use super::*;
use crate::architectures::gpt::{GptConfig, Positions};
use crate::training::adamw_groups::AdamWConfig;

/// Hand-worked: logits (2, 2, 4) whose last positions are [0, 1, 2, 3] and [5, 1, 0, 2];
/// the verbalizer picks words 3 and 1, so the scores are [[3, 1], [2, 1]], and label 0 wins
/// both rows. With labels [0, 1] the accuracy is 1/2 and the loss the mean of
/// −log σ(3 − 1) and −log σ(1 − 2).
#[test]
fn the_verbalizer_reads_the_label_words_at_the_last_position() {
    let dev = Dev::default();
    let first = [9.0, 9.0, 9.0, 9.0];
    let rows = [first, [0.0, 1.0, 2.0, 3.0], first, [5.0, 1.0, 0.0, 2.0]].concat();
    let logits = dev.tensor_from_vec(rows, (2, 2, 4));
    let scores = label_logits(logits, &[3, 1]);
    assert_eq!(scores.as_vec(), vec![3.0, 1.0, 2.0, 1.0]);
    let stats = label_stats(&scores, &[0, 1]);
    assert_eq!(stats.accuracy, 0.5);
    let softplus = |x: f64| (1.0 + (-x).exp()).ln(); // −log σ(x)
    let want = (softplus(2.0) + softplus(-1.0)) / 2.0;
    approx::assert_abs_diff_eq!(stats.loss, want, epsilon = 1e-6);
}

#[test]
fn a_tie_between_labels_counts_as_wrong() {
    let scores = Dev::default().tensor_from_vec(vec![1.0, 1.0], (1, 2));
    assert_eq!(label_stats(&scores, &[0]).accuracy, 0.0);
    approx::assert_abs_diff_eq!(
        label_stats(&scores, &[0]).loss,
        std::f64::consts::LN_2,
        epsilon = 1e-6
    );
}

#[test]
fn the_pattern_puts_the_blank_after_the_input() {
    assert_eq!(apply_pattern(&[1], &[7, 8], &[2, 3]), vec![1, 7, 8, 2, 3]);
}

/// PET fine-tuning fits a few labelled examples: on a fresh tiny GPT the label of four
/// examples (decided by their first token) is learned in 30 steps.
#[test]
fn pet_steps_fit_a_few_examples() {
    let cfg = GptConfig {
        vocab: 12,
        context: 4,
        d_model: 16,
        heads: 2,
        layers: 1,
        positions: Positions::Learned,
    };
    let mut model = Gpt::new(&Dev::seed_from_u64(0), cfg);
    let shots: Vec<Example> =
        [(vec![1, 5, 6], 0), (vec![2, 5, 6], 1), (vec![1, 7, 3], 0), (vec![2, 7, 3], 1)]
            .into_iter()
            .map(|(tokens, label)| Example { tokens, label })
            .collect();
    let words = [10, 11];
    let before = pet_evaluate(&model, &shots, &words);
    let mut opt = AdamW::new(&model, AdamWConfig { weight_decay: 0.0, ..AdamWConfig::nanogpt() });
    let mut grads = model.alloc_grads();
    for _ in 0..30 {
        pet_step(&mut model, &mut opt, &mut grads, &shots, &words, 1e-2);
    }
    let after = pet_evaluate(&model, &shots, &words);
    assert_eq!(after.accuracy, 1.0, "before {before:?}, after {after:?}");
    assert!(after.loss < before.loss / 4.0, "before {before:?}, after {after:?}");
}
