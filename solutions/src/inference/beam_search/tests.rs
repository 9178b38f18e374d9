use super::*;
use crate::inference::greedy::{generate, gpt_next_logits};
use rand::rngs::StdRng;
use rand::SeedableRng;

/// The toy LM of §5.2: three tokens A, B, C; its probabilities depend only on what was
/// generated after the prompt. P(A) = 0.5, P(B) = 0.4, P(C) = 0.1 first; after A the next
/// token is spread (0.4, 0.3, 0.3), after B it is nearly sure (0.9 for A).
fn toy_lm(seq: &[usize], prompt_len: usize) -> Vec<f32> {
    let p: [f32; 3] = match &seq[prompt_len..] {
        [] => [0.5, 0.4, 0.1],
        [0] => [0.4, 0.3, 0.3],
        [1] => [0.9, 0.05, 0.05],
        _ => [1.0 / 3.0; 3],
    };
    p.iter().map(|x| x.ln()).collect()
}

/// Greedy takes A (0.5) and then the best after it (0.4): 0.20. Beam search with two
/// beams keeps B alive and finds B then A: 0.4 · 0.9 = 0.36. Numbers quoted in §5.2.
#[test]
fn beam_finds_the_sequence_greedy_misses() {
    let prompt = [9];
    let lm = |s: &[usize]| toy_lm(s, 1);
    let mut rng = StdRng::seed_from_u64(0);
    let greedy = generate(lm, &prompt, 2, &DecodeConfig::default(), None, &mut rng, |_| {});
    let cfg = BeamConfig { num_beams: 2, length_penalty: 1.0, max_new_tokens: 2, eos: None };
    let beams = beam_search(lm, &prompt, &cfg, &DecodeConfig::default());
    let best = &beams[0];
    assert_eq!((greedy.as_slice(), &best.tokens[1..]), (&[0, 0][..], &[1, 0][..]));
    let prob = |gen: &[usize]| -> f32 {
        let mut seq = prompt.to_vec();
        let mut p = 1.0;
        for &t in gen {
            p *= toy_lm(&seq, 1)[t].exp();
            seq.push(t);
        }
        p
    };
    approx::assert_abs_diff_eq!(prob(&greedy), 0.20, epsilon = 1e-6);
    approx::assert_abs_diff_eq!(prob(&best.tokens[1..]), 0.36, epsilon = 1e-6);
    // Its score is sum log p / 2^1, two generated tokens (the prompt does not count).
    approx::assert_abs_diff_eq!(best.score, 0.36f32.ln() / 2.0, epsilon = 1e-6);
}

/// A deterministic pseudo-random LM over V tokens: its logits hash the sequence.
fn hashed_lm(seq: &[usize], v: usize) -> Vec<f32> {
    let mut h: u64 = 1469598103934665603;
    for &t in seq {
        h = (h ^ t as u64).wrapping_mul(1099511628211);
    }
    let mut rng = StdRng::seed_from_u64(h);
    (0..v).map(|_| rand::Rng::gen_range(&mut rng, -3.0f32..3.0)).collect()
}

/// Fast against slow: with as many beams as there are sequences, beam search is
/// exhaustive, so its best hypothesis is the most probable sequence found by brute force.
#[test]
fn enough_beams_equal_exhaustive_search() {
    let (v, steps) = (4, 3);
    for prompt in [[0usize], [1], [2]] {
        let lm = |s: &[usize]| hashed_lm(s, v);
        let cfg = BeamConfig {
            num_beams: v.pow(2),
            length_penalty: 0.0,
            max_new_tokens: steps,
            eos: None,
        };
        let best = &beam_search(lm, &prompt, &cfg, &DecodeConfig::default())[0];
        let mut top = (f32::NEG_INFINITY, vec![]);
        for code in 0..v.pow(steps as u32) {
            let mut seq = prompt.to_vec();
            let mut s = 0.0;
            for k in 0..steps {
                let t = code / v.pow(k as u32) % v;
                s += log_softmax(&lm(&seq))[t];
                seq.push(t);
            }
            if s > top.0 {
                top = (s, seq);
            }
        }
        assert_eq!(best.tokens, top.1, "prompt {prompt:?}");
        approx::assert_abs_diff_eq!(best.score, top.0, epsilon = 1e-5);
    }
}

/// The length penalty decides between a short and a long finished hypothesis: with an end
/// token, α = 0 prefers ending at once, α = 2 the long sequence (the fixture's cases).
#[test]
fn beam_search_equals_hugging_faces_generate() {
    let r = crate::inference::greedy::tests::reference();
    let model = crate::inference::greedy::tests::fixture();
    let mut n = 0;
    for case in r.cases.iter().filter(|c| c.num_beams > 1) {
        let cfg = BeamConfig {
            num_beams: case.num_beams,
            length_penalty: case.length_penalty,
            max_new_tokens: case.max_new_tokens,
            eos: case.eos,
        };
        let proc = DecodeConfig {
            repetition_penalty: case.repetition_penalty,
            no_repeat_ngram_size: case.no_repeat_ngram_size,
            ..DecodeConfig::default()
        };
        let beams = beam_search(|s| gpt_next_logits(&model, s), &case.prompt, &cfg, &proc);
        let got = &beams[0].tokens[case.prompt.len()..];
        assert_eq!(got, case.generated, "{case:?} ({})", r.provenance);
        n += 1;
    }
    assert_eq!(n, 56, "beam cases in the reference (72 with the 16 greedy ones)");
    // The length penalty decides (quoted in §5.2): with the end token, 3 beams on the first
    // prompt return the one-token ending at α = 0 and the ten-token hypothesis at α = 1, 2.
    let len = |a: f32| {
        let c = r.cases.iter().find(|c| {
            c.prompt == r.cases[0].prompt
                && c.eos.is_some()
                && c.num_beams == 3
                && c.length_penalty == a
                && c.repetition_penalty == 1.0
                && c.no_repeat_ngram_size == 0
        });
        c.unwrap().generated.len()
    };
    assert_eq!((len(0.0), len(1.0), len(2.0)), (1, 10, 10));
}

#[test]
fn finished_score_hand_worked() {
    assert_eq!(finished_score(-6.0, 4, 7, 0.0), -6.0);
    assert_eq!(finished_score(-6.0, 4, 7, 1.0), -2.0);
    approx::assert_abs_diff_eq!(finished_score(-6.0, 4, 7, 2.0), -6.0 / 9.0, epsilon = 1e-7);
}
