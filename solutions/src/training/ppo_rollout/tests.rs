use super::*;
use crate::close::{assert_close, Tol};
use crate::nlp::corpus::ENGLISH;
use crate::training::dpo::completion_log_probs;
use rand::SeedableRng;

fn tiny(vocab: usize) -> GptConfig {
    let positions = crate::architectures::gpt::Positions::Learned;
    GptConfig { vocab, context: 12, d_model: 16, heads: 2, layers: 1, positions }
}

#[test]
fn vowel_score_counts_vowels_up_and_consonants_down() {
    let vocab = CharVocab::from_text(ENGLISH);
    let score = |s: &str| vowel_score(&vocab, &vocab.encode(s).unwrap());
    // a, e: +2; b: −1; space: 0. Over 4 characters.
    approx::assert_abs_diff_eq!(score("aeb "), 0.25);
    assert_eq!((score("eeee"), score("tttt"), score("E. T")), (1.0, -1.0, 0.0));
}

#[test]
fn per_token_log_probs_sum_to_section_4_9s_completion_log_probs() {
    // The same numbers as DPO's, before the sum: two independent implementations.
    let model = Gpt::new(&Dev::seed_from_u64(3), tiny(11));
    let mut rng = StdRng::seed_from_u64(4);
    let rows: Vec<Vec<u32>> =
        (0..5).map(|_| (0..9).map(|_| rng.gen_range(0..11)).collect()).collect();
    let completions: Vec<Vec<u32>> = rows.iter().map(|r| r[6..].to_vec()).collect();
    let logits = model.forward(tokens_of(&rows));
    let each = completion_token_log_probs(logits.clone(), &completions).as_vec();
    let sums: Vec<f32> = each.chunks(3).map(|c| c.iter().sum()).collect();
    let dpo = completion_log_probs(logits, &rows, &[6; 5]).as_vec();
    assert_close(
        "Σ per-token log-probs against dpo::completion_log_probs",
        &sums,
        &dpo,
        Tol::abs(1e-5),
    );
}

#[test]
fn the_critic_starts_at_zero_and_the_reference_is_zero_kl_from_itself() {
    let config = tiny(11);
    let critic = value_model(config, &Dev::seed_from_u64(5));
    let rows = vec![vec![1u32, 2, 3, 4, 5, 6], vec![6, 5, 4, 3, 2, 1]];
    let values = completion_values(&critic, tokens_of(&rows), 2).as_vec();
    assert_eq!(values, vec![0.0; 4], "the value head's row starts at zero");
    let model = Gpt::new(&Dev::seed_from_u64(6), config);
    let z = model.forward(tokens_of(&rows));
    let shape = *z.shape();
    let kl = exact_kl(&z.as_vec(), &z.as_vec(), shape, 2);
    assert_eq!(kl, vec![0.0, 0.0]);
    let other = Gpt::new(&Dev::seed_from_u64(7), config).forward(tokens_of(&rows)).as_vec();
    assert!(exact_kl(&other, &z.as_vec(), shape, 2).iter().all(|&d| d > 0.0));
}

#[test]
fn a_rollout_records_one_number_per_token_and_its_own_samples() {
    let vocab = CharVocab::from_text(ENGLISH);
    let config = tiny(vocab.vocab_size());
    let model = Gpt::new(&Dev::seed_from_u64(1), config);
    let critic = value_model(config, &Dev::seed_from_u64(2));
    let ids = vocab.encode(ENGLISH).unwrap();
    let mut rng = StdRng::seed_from_u64(0);
    let asked = prompts(&ids, 6, 8, &mut rng);
    let mut same = rng.clone();
    let r = rollout((&model, &model, &critic), &vocab, asked.clone(), 4, &mut rng);
    assert_eq!((r.logprobs.len(), r.values.len(), r.scores.len()), (24, 24, 6));
    assert!(r.completions.iter().all(|c| c.len() == 4));
    // Policy = reference: the log-ratios, and so the KL, are exactly 0.
    assert_eq!(r.logprobs, r.ref_logprobs);
    assert!(r.kl.iter().all(|&d| d.abs() < 1e-9));
    let again = rollout((&model, &model, &critic), &vocab, asked, 4, &mut same);
    assert_eq!(r, again, "the same RNG state must give the same rollout");
}
