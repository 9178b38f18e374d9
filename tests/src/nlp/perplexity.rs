//! Graded suite for §2.6: perplexity from log-probabilities, log-probabilities from
//! logits, and bits per character.
//!
//! Every expected value is recomputed here in f64 by a plain loop (a row maximum, a
//! log-sum-exp, a sum of logs). The cases are chosen so that each usual slip gives a
//! different wrong number: a sequence long enough that multiplying probabilities
//! underflows, a logit gap wide enough that softmax-then-ln gives −∞, more logit rows
//! than columns so that normalising the wrong axis shows, and a Chinese text whose
//! characters, bytes and tokens all differ in number.

use crate::compare::Tol;
use crate::gradient::{check_input_gradient, plain, traced, Tr};
use crate::{Check, Failure};
use dfdx::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::Dev;
use std::f64::consts::LN_2;

type T2 = Tensor<(usize, usize), f32, Dev>;
/// Logits on a gradient tape, and the (T,) log-probabilities that stay on it.
type GT2 = Tensor<(usize, usize), f32, Dev, Tr>;
type GT1 = Tensor<(usize,), f32, Dev, Tr>;
/// A labelled case: logits (row-major), their (T, V) shape, and the targets.
type LogitCase = (&'static str, Vec<f32>, (usize, usize), Vec<usize>);

/// exp(−mean(lp)).
fn reference_perplexity(lp: &[f64]) -> f64 {
    (-lp.iter().sum::<f64>() / lp.len() as f64).exp()
}

/// Log-probabilities of a seeded model: most tokens likely, a few very unlikely.
fn seeded_log_probs(seed: u64, n: usize) -> Vec<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let p: f64 = if rng.gen_bool(0.1) {
                rng.gen_range(1e-9..1e-6)
            } else {
                rng.gen_range(0.05..0.9)
            };
            p.ln()
        })
        .collect()
}

/// Grades `perplexity(log_probs)`.
pub fn check_perplexity<F>(f: F) -> Check
where
    F: Fn(&[f64]) -> f64,
{
    let half_quarter_eighth = vec![0.5f64.ln(), 0.25f64.ln(), 0.125f64.ln()];
    // 0.01 and 0.5 alternating, 2000 tokens: the product is about 10^−2301, far below
    // f64's smallest number, but the perplexity is just √200 ≈ 14.14.
    let long: Vec<f64> =
        (0..2000).map(|i| if i % 2 == 0 { 0.01f64.ln() } else { 0.5f64.ln() }).collect();
    let cases = [
        ("[ln ½, ln ¼, ln ⅛]".to_string(), half_quarter_eighth),
        ("a seeded sequence of 50 log-probabilities".to_string(), seeded_log_probs(3, 50)),
        ("2000 log-probabilities, ln 0.01 and ln 0.5 alternating".to_string(), long),
    ];
    let tol = Tol { abs: 0.0, rel: 1e-9 };
    for (label, lp) in &cases {
        let got = f(lp);
        let want = reference_perplexity(lp);
        if tol.allows(got, want) {
            continue;
        }
        let n = lp.len() as f64;
        let mean_nll = -lp.iter().sum::<f64>() / n;
        let close = |x: f64| Tol { abs: 0.0, rel: 1e-6 }.allows(got, x);
        let cause = if !got.is_finite() || got == 0.0 {
            "that is what multiplying the probabilities gives: their product underflows f64 \
             to 0 long before 2000 tokens. Work in log space: average the log-probabilities, \
             then exp"
                .to_string()
        } else if close(mean_nll.recip()) || close((-mean_nll).exp()) {
            format!(
                "a perplexity below 1 means the sign is lost: log-probabilities are ≤ 0, so the \
                 mean negative log-likelihood is −mean(ln p) = {mean_nll:.4} and PPL = \
                 e^{{{mean_nll:.4}}}"
            )
        } else if close(n / lp.iter().map(|l| l.exp()).sum::<f64>()) {
            "you averaged the probabilities (then inverted), an arithmetic mean. Perplexity \
             is the inverse geometric mean: average the log-probabilities, so that one very \
             unlikely token costs a lot"
                .to_string()
        } else if close((mean_nll / LN_2).exp()) || close(mean_nll.exp2()) {
            "you mixed the bases: the log-probabilities are natural logs (nats), so the way \
             back is e^x of the mean NLL, not 2^x, and not e^x of a value in bits"
                .to_string()
        } else if close(mean_nll) {
            "that is the mean negative log-likelihood (the cross-entropy loss); the \
             perplexity is its exponential"
                .to_string()
        } else {
            "perplexity is exp(−(1/N)·Σ ln p_i)".to_string()
        };
        return Err(Failure::new(format!(
            "perplexity({label}) is {got:.6}, expected {want:.6}: {cause}."
        )));
    }
    Ok(())
}

/// ln softmax(row)[target] for each row, in f64; `axis0` normalises columns instead.
fn reference_log_probs(
    logits: &[f64],
    (t, v): (usize, usize),
    targets: &[usize],
    axis0: bool,
) -> Vec<f64> {
    let at = |i: usize, j: usize| logits[i * v + j];
    (0..t)
        .map(|i| {
            let j = targets[i];
            let line: Vec<f64> = if axis0 {
                (0..t).map(|r| at(r, j)).collect()
            } else {
                (0..v).map(|c| at(i, c)).collect()
            };
            let m = line.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let lse = m + line.iter().map(|x| (x - m).exp()).sum::<f64>().ln();
            at(i, j) - lse
        })
        .collect()
}

/// Grades `token_log_probs(logits, targets)`: the values, in f64 against an f64 loop, then
/// dL/dlogits against the library's (the gradient a language model trains on).
pub fn check_token_log_probs<F>(f: F) -> Check
where
    F: Fn(GT2, &[usize]) -> GT1,
{
    let dev = Dev::default();
    let ln2 = std::f32::consts::LN_2;
    let mut rng = StdRng::seed_from_u64(11);
    let random: Vec<f32> = (0..7 * 5).map(|_| rng.gen_range(-3.0f32..3.0)).collect();
    let random_targets: Vec<usize> = (0..7).map(|_| rng.gen_range(0..5)).collect();
    // Row 1's target sits 120 below the row maximum: e^−120 underflows f32 (and exp(100)
    // alone would overflow it), yet its log-probability is simply about −120.
    let wide = vec![0.0, 0.0, 0.0, 100.0, -20.0, 100.0];
    let cases: Vec<LogitCase> = vec![
        (
            "the worked example [[0, ln 2, 0], [0, 0, 0]], targets [1, 2]",
            vec![0.0, ln2, 0.0, 0.0, 0.0, 0.0],
            (2, 3),
            vec![1, 2],
        ),
        ("seeded logits (7 positions, vocabulary 5)", random, (7, 5), random_targets),
        ("logits [[0, 0, 0], [100, −20, 100]], targets [0, 1]", wide, (2, 3), vec![0, 1]),
    ];
    let tol = Tol { abs: 1e-4, rel: 1e-5 };
    let mut right = Vec::new();
    for (label, logits, shape, targets) in cases {
        let as64: Vec<f64> = logits.iter().map(|&x| x as f64).collect();
        let want = reference_log_probs(&as64, shape, &targets, false);
        let input: T2 = dev.tensor_from_vec(logits, shape);
        let got: Vec<f64> =
            plain(f(traced(&input), &targets)).as_vec().into_iter().map(f64::from).collect();
        if got.len() != want.len() {
            return Err(Failure::new(format!(
                "token_log_probs on {label} returned {} values, expected {}: one log-probability \
                 per position (row), for that row's target.",
                got.len(),
                want.len()
            )));
        }
        let Some(i) = got.iter().zip(&want).position(|(&g, &w)| !tol.allows(g, w)) else {
            right.push((label, input, targets));
            continue;
        };
        let matches = |other: &[f64]| got.iter().zip(other).all(|(&g, &w)| tol.allows(g, w));
        let raw: Vec<f64> = (0..shape.0).map(|r| as64[r * shape.1 + targets[r]]).collect();
        let negated: Vec<f64> = want.iter().map(|w| -w).collect();
        let cause = if !got[i].is_finite() {
            "a probability below f32's smallest number became 0, and ln 0 = −∞ (or exp \
             overflowed to ∞). softmax then ln is not stable; use log_softmax, which computes \
             z − max z − ln Σ e^{z − max z} and never forms the tiny probability"
        } else if matches(&raw) {
            "those are the raw logits of the targets. Logits are unnormalised scores: subtract \
             the row's log-sum-exp (log_softmax) to make them log-probabilities"
        } else if matches(&negated) {
            "the sign is flipped: those are negative log-likelihoods (what cross_entropy \
             reports); a log-probability is ≤ 0"
        } else if matches(&reference_log_probs(&as64, shape, &targets, true)) {
            "you normalised over the positions (Axis<0>). Each row is one position's scores \
             over the vocabulary, so the softmax runs along the vocabulary axis, Axis<1>"
        } else {
            "each value is ln softmax(row i)[targets[i]]"
        };
        return Err(Failure::new(format!(
            "token_log_probs on {label}: position {i} gives {:.6}, expected {:.6} (tolerance \
             {tol}): {cause}.",
            got[i], want[i]
        )));
    }
    // Gradients once every case's values are right, so that a value mistake is always named
    // as one. dL/dz is one-hot(target) − softmax(row) per row, the gradient a language
    // model's loss sends back into its logits.
    let lib = solutions::nlp::perplexity::token_log_probs;
    for (label, input, targets) in right {
        let what = format!("token_log_probs on {label}");
        check_input_gradient(&what, "logits", &input, |z| f(z, &targets), |z| lib(z, &targets))?;
    }
    Ok(())
}

/// Grades `bits_per_char(log_probs, text)`.
pub fn check_bits_per_char<F>(f: F) -> Check
where
    F: Fn(&[f64], &str) -> f64,
{
    let cases: Vec<(&str, Vec<f64>)> = vec![
        // 3 characters, 9 bytes, 2 tokens.
        ("猫坐下", vec![0.25f64.ln(), 0.125f64.ln()]),
        // 11 characters, 11 bytes, 3 tokens: bytes and characters agree here.
        ("hello world", vec![0.1f64.ln(), 0.02f64.ln(), 0.3f64.ln()]),
        // 12 characters, 20 bytes, 5 tokens.
        ("GPT 模型的困惑度 is", seeded_log_probs(5, 5)),
    ];
    let tol = Tol { abs: 0.0, rel: 1e-9 };
    for (text, lp) in &cases {
        let got = f(lp, text);
        let nats = -lp.iter().sum::<f64>();
        let chars = text.chars().count() as f64;
        let want = nats / LN_2 / chars;
        if tol.allows(got, want) {
            continue;
        }
        let close = |x: f64| Tol { abs: 0.0, rel: 1e-6 }.allows(got, x);
        let cause = if close(nats / LN_2 / lp.len() as f64) {
            format!(
                "you divided by the {} tokens, which gives bits per token. The point of bits per \
                 character is a unit every tokenizer shares: divide the total by the {chars} \
                 characters of the text",
                lp.len()
            )
        } else if close(nats / LN_2 / text.len() as f64) {
            format!(
                "you divided by the {} bytes of UTF-8 (str::len counts bytes; a Chinese \
                 character is 3). Count characters with text.chars().count() = {chars}",
                text.len()
            )
        } else if close(nats / chars) {
            "that is nats per character: the log-probabilities are natural logs, so divide \
             by ln 2 to get bits"
                .to_string()
        } else if close(-want) {
            "the sign is lost: the information is −Σ ln p, positive".to_string()
        } else {
            "bits per character is −Σ ln p_i / (ln 2 · number of characters)".to_string()
        };
        return Err(Failure::new(format!(
            "bits_per_char on {text:?} ({} tokens) is {got:.6}, expected {want:.6}: {cause}.",
            lp.len()
        )));
    }
    Ok(())
}
