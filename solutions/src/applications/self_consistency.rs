//! §6.3 Chain-of-thought and self-consistency (思维链与自洽性).
//!
//! Chain-of-thought: Wei et al. 2022, "Chain-of-Thought Prompting Elicits Reasoning in
//! Large Language Models", arXiv 2201.11903. Zero-shot CoT: Kojima et al. 2022, "Large
//! Language Models are Zero-Shot Reasoners", arXiv 2205.11916, §3 (two calls: reasoning
//! after "Let's think step by step.", then answer extraction). Self-consistency: Wang et
//! al. 2022, "Self-Consistency Improves Chain of Thought Reasoning in Language Models",
//! arXiv 2203.11171, §2 (sample chains at T > 0, majority vote on the final answers).
//! Hugging Face: `generate(do_sample=True, num_return_sequences=k)` gives the chains; the
//! vote is a `collections.Counter` in user code.

use crate::applications::language_model::LanguageModel;
use rand::rngs::StdRng;
use rand::Rng;
use std::collections::BTreeMap;

/// The most frequent answer among the chains that gave one; `None` entries (no answer could
/// be read from the chain) are not votes. Ties go to the smallest answer, so that the vote
/// depends only on the multiset of answers, never on the order the chains were sampled in.
/// `None` when no chain gave an answer.
///
/// Worked example: answers 18, 18, 26, 18, 9 → 18 (3 votes of 5). 26, 18, 26, 18 → 18
/// (a 2–2 tie, and 18 < 26). [None, None, 7] → 7.
///
/// ```
/// use solutions::applications::self_consistency::majority_vote;
/// let votes = [Some(18), Some(18), Some(26), Some(18), Some(9)];
/// assert_eq!(majority_vote(&votes), Some(18));
/// assert_eq!(majority_vote(&[Some(26), Some(18), Some(26), Some(18)]), Some(18));
/// assert_eq!(majority_vote::<i64>(&[None, None]), None);
/// ```
// ANCHOR: majority_vote
pub fn majority_vote<T: Ord + Clone>(answers: &[Option<T>]) -> Option<T> {
    let mut counts: BTreeMap<&T, usize> = BTreeMap::new();
    for a in answers.iter().flatten() {
        *counts.entry(a).or_default() += 1;
    }
    // Subtle: `max_by_key` returns the LAST of equal maxima; iterating the (ascending) map
    // in reverse makes that last one the smallest answer.
    counts.into_iter().rev().max_by_key(|&(_, n)| n).map(|(a, _)| a.clone())
}
// ANCHOR_END: majority_vote

/// Kojima et al.'s trigger, appended after "A:".
pub const STEP_BY_STEP: &str = "Let's think step by step.";
/// Their answer-extraction prompt for numeric answers (second call).
pub const EXTRACT: &str = "Therefore, the answer (arabic numerals) is";

/// The first integer in `text` (a sign directly before it counts), as Kojima et al.'s
/// cleansing step keeps the first number of the extraction reply: " 18." → 18.
pub fn first_integer(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let start = bytes.iter().position(|b| b.is_ascii_digit())?;
    let end =
        bytes[start..].iter().position(|b| !b.is_ascii_digit()).map_or(text.len(), |e| start + e);
    let negative = start > 0 && bytes[start - 1] == b'-';
    let n: i64 = text[start..end].parse().ok()?;
    Some(if negative { -n } else { n })
}

/// Zero-shot CoT, two calls: the reasoning after "A: Let's think step by step.", then the
/// answer after the reasoning and [`EXTRACT`]. Returns (reasoning, answer).
// ANCHOR: zero_shot_cot
pub fn zero_shot_cot(model: &mut dyn LanguageModel, question: &str) -> (String, Option<i64>) {
    let prompt = format!("Q: {question}\nA: {STEP_BY_STEP}");
    let reasoning = model.complete(&prompt, &["\nQ:"]);
    let extraction = format!("{prompt}{reasoning}\n{EXTRACT}");
    let answer = first_integer(&model.complete(&extraction, &["\n"]));
    (reasoning, answer)
}
// ANCHOR_END: zero_shot_cot

/// Self-consistency: `k` sampled chains for the same prompt, the last integer after "The
/// answer is" read from each, and the majority vote. Returns (the vote, every answer).
// ANCHOR: self_consistency
pub fn self_consistency(
    model: &mut dyn LanguageModel,
    prompt: &str,
    k: usize,
) -> (Option<i64>, Vec<Option<i64>>) {
    let answers: Vec<Option<i64>> = (0..k)
        .map(|_| {
            let chain = model.complete(prompt, &["\nQ:"]);
            chain.rsplit_once("The answer is").and_then(|(_, tail)| first_integer(tail))
        })
        .collect();
    (majority_vote(&answers), answers)
}
// ANCHOR_END: self_consistency

/// A stand-in for a sampled LM on one question: each chain is right with probability `p`;
/// otherwise its answer is drawn uniformly from `wrong`. It writes a short chain ending in
/// "The answer is N." so that [`self_consistency`] reads it as it would a real model's.
pub struct NoisyReasoner {
    pub truth: i64,
    pub p: f64,
    pub wrong: Vec<i64>,
    pub rng: StdRng,
}

impl LanguageModel for NoisyReasoner {
    fn complete(&mut self, _prompt: &str, _stop: &[&str]) -> String {
        let answer = if self.rng.gen_bool(self.p) {
            self.truth
        } else {
            self.wrong[self.rng.gen_range(0..self.wrong.len())]
        };
        format!(" First I work out the parts, then I add them. The answer is {answer}.")
    }
}

/// The exact probability that [`majority_vote`] over `n` chains of a [`NoisyReasoner`]
/// returns `truth`: a sum over k, the number of right chains, of the binomial probability
/// C(n, k) p^k (1 − p)^(n−k) times the probability that the n − k wrong answers, uniform
/// over `wrong`, leave `truth` the winner: every wrong answer has fewer than k votes, or
/// exactly k if it is larger than `truth` (the tie rule).
///
/// With one wrong answer and n odd this is the binomial tail P(Bin(n, p) > n/2).
// ANCHOR: majority_accuracy
pub fn majority_accuracy(n: usize, p: f64, truth: i64, wrong: &[i64]) -> f64 {
    let m = wrong.len();
    (1..=n)
        .map(|k| {
            let caps: Vec<usize> =
                wrong.iter().map(|&w| if w > truth { k } else { k - 1 }).collect();
            binomial_pmf(n, k, p) * uniform_counts_within(n - k, &caps, m)
        })
        .sum()
}
// ANCHOR_END: majority_accuracy

/// C(n, k) p^k (1 − p)^(n − k).
pub fn binomial_pmf(n: usize, k: usize, p: f64) -> f64 {
    let ln_choose = ln_factorial(n) - ln_factorial(k) - ln_factorial(n - k);
    let (kf, rest) = (k as f64, (n - k) as f64);
    // 0^0 = 1: p = 0 or 1 must not give NaN from 0 · ln 0.
    let term = |count: f64, q: f64| if count == 0.0 { 0.0 } else { count * q.ln() };
    (ln_choose + term(kf, p) + term(rest, 1.0 - p)).exp()
}

fn ln_factorial(n: usize) -> f64 {
    (1..=n).map(|i| (i as f64).ln()).sum()
}

/// P(each of `w` balls thrown uniformly into `m` bins leaves bin j with at most caps[j]):
/// w! [x^w] Π_j Σ_{c ≤ caps[j]} x^c / c!, divided by m^w (exponential generating functions).
fn uniform_counts_within(w: usize, caps: &[usize], m: usize) -> f64 {
    if m == 0 {
        return if w == 0 { 1.0 } else { 0.0 };
    }
    let mut poly = vec![0.0; w + 1]; // coefficients of x^0 .. x^w
    poly[0] = 1.0;
    for &cap in caps {
        let mut next = vec![0.0; w + 1];
        for (i, &a) in poly.iter().enumerate() {
            let mut term = a;
            for c in 0..=cap.min(w - i) {
                if c > 0 {
                    term /= c as f64; // a / c!
                }
                next[i + c] += term;
            }
        }
        poly = next;
    }
    // w! / m^w, built up step by step so neither overflows.
    (1..=w).fold(poly[w], |acc, i| acc * i as f64 / m as f64)
}

#[cfg(test)]
mod tests;
