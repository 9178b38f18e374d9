//! Graded suite for §5.2, one step of beam search (`beam_step`) and the score of a finished
//! hypothesis (`finished_score`): the worked examples, the mistakes recomputed, and seeded
//! cases against the library, whose `beam_search` built on them gives Hugging Face's
//! `generate(num_beams=…)` tokens on the tiny GPT-2 (`solutions` tests).

use crate::compare::{close_scalar, Tol};
use crate::{Check, Failure};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::inference::beam_search::{self as lib, Hypothesis};

fn h(tokens: Vec<usize>, score: f32) -> Hypothesis {
    Hypothesis { tokens, score }
}

fn same(a: &[Hypothesis], b: &[Hypothesis]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| x.tokens == y.tokens && (x.score - y.score).abs() <= 1e-5)
}

/// Grades `beam_step(running, log_probs, keep)`.
pub fn check_beam_step<F>(f: F) -> Check
where
    F: Fn(&[Hypothesis], &[Vec<f32>], usize) -> Vec<Hypothesis>,
{
    let beams = [h(vec![7], -0.5), h(vec![8], -1.0)];
    let lp = [vec![-0.1f32, -2.0], vec![-0.2, -0.3]];
    let got = f(&beams, &lp, 2);
    let want = lib::beam_step(&beams, &lp, 2);
    if !same(&got, &want) {
        let cause = if got.len() == 2 && (got[0].score + 0.1).abs() < 1e-6 {
            "the continuations were ranked by the new token's log-probability alone: add the \
             beam's own score, so that beams compete on the whole sequence's probability"
        } else {
            "extend every beam by every token, score beam + log p, keep the best `keep`, best \
             first"
        };
        return Err(Failure::new(format!(
            "beam_step(beams \"7\" (−0.5) and \"8\" (−1.0), log-probs [[−0.1, −2.0], [−0.2, \
             −0.3]], keep 2) returned {got:?}, expected {want:?}: {cause}."
        )));
    }
    // A strong beam whose two continuations both beat the weak beam's best.
    let beams = [h(vec![7], -0.1), h(vec![8], -3.0)];
    let lp = [vec![-0.2f32, -0.3], vec![-0.1, -0.5]];
    let (got, want) = (f(&beams, &lp, 2), lib::beam_step(&beams, &lp, 2));
    if !same(&got, &want) {
        let cause = if got.iter().any(|x| x.tokens[0] == 8) {
            "one continuation per beam (or a top-k inside each beam): both survivors extend \
             beam \"7\", because all B·V continuations are ranked together"
        } else {
            "extend every beam by every token, score beam + log p, keep the best `keep`"
        };
        return Err(Failure::new(format!(
            "beam_step(beams \"7\" (−0.1) and \"8\" (−3.0), log-probs [[−0.2, −0.3], [−0.1, \
             −0.5]], keep 2) returned {got:?}, expected {want:?}: {cause}."
        )));
    }
    let mut rng = StdRng::seed_from_u64(71);
    for case in 0..30 {
        let (b, v) = (rng.gen_range(1..5), rng.gen_range(2..7));
        let running: Vec<Hypothesis> =
            (0..b).map(|i| h(vec![i, rng.gen_range(0..v)], rng.gen_range(-5.0..0.0))).collect();
        let lp: Vec<Vec<f32>> =
            (0..b).map(|_| (0..v).map(|_| rng.gen_range(-4.0..0.0)).collect()).collect();
        let keep = rng.gen_range(1..=b * v);
        let (got, want) = (f(&running, &lp, keep), lib::beam_step(&running, &lp, keep));
        if !same(&got, &want) {
            return Err(Failure::new(format!(
                "seeded case {case} ({b} beams, V = {v}, keep {keep}): returned {got:?}, \
                 expected {want:?} (scores within 1e-5, best first)."
            )));
        }
    }
    Ok(())
}

/// Grades `finished_score(sum_log_prob, prompt_len, len, length_penalty)`.
pub fn check_finished_score<F>(f: F) -> Check
where
    F: Fn(f32, usize, usize, f32) -> f32,
{
    let tol = Tol { abs: 1e-6, rel: 1e-6 };
    let hand = [(-6.0f32, 4, 7, 0.0f32), (-6.0, 4, 7, 1.0), (-6.0, 4, 7, 2.0), (-3.0, 2, 4, -1.0)];
    for (s, p, n, a) in hand {
        let got = f(s, p, n, a) as f64;
        let want = lib::finished_score(s, p, n, a) as f64;
        if tol.allows(got, want) {
            continue;
        }
        let g = (n - p) as f64;
        let cause = if tol.allows(got, s as f64 / (n as f64).powf(a as f64)) {
            "the length penalty counts the prompt: transformers 5.x divides by the number of \
             generated tokens, len − prompt_len, raised to α"
        } else if tol.allows(got, s as f64 / g) {
            "α was ignored: the divisor is length^α (α = 0 leaves the sum alone)"
        } else if tol.allows(got, s as f64 * g.powf(a as f64)) {
            "the sum was multiplied by length^α; divide it"
        } else {
            "sum log p / (len − prompt_len)^α"
        };
        return Err(Failure::new(format!(
            "finished_score({s}, prompt_len {p}, len {n}, α = {a}) is {got}, expected {want}: \
             {cause}."
        )));
    }
    let mut rng = StdRng::seed_from_u64(73);
    for _ in 0..30 {
        let (s, p) = (rng.gen_range(-20.0f32..0.0), rng.gen_range(0..10));
        let (n, a) = (p + rng.gen_range(1..12), rng.gen_range(-1.0f32..3.0));
        close_scalar(
            &format!("finished_score({s}, {p}, {n}, {a})"),
            f(s, p, n, a) as f64,
            lib::finished_score(s, p, n, a) as f64,
            tol,
        )?;
    }
    Ok(())
}
