//! §5.2 Beam search (束搜索), with Hugging Face's scoring and stopping rules.
//!
//! Keep the `num_beams` most probable partial sequences instead of one; at each step
//! extend every beam by every token and keep the best continuations by their summed
//! log-probability. Finished hypotheses are ranked by sum(log p) / length^α, α being
//! `length_penalty`. Reference: Wu et al. 2016, "Google's Neural Machine Translation
//! System", arXiv 1609.08144, §7 (their lp differs); Hugging Face: `generate(num_beams=B,
//! length_penalty=α)`, `GenerationMixin._beam_search` (transformers 5.x).
//!
//! Hugging Face's rules, read from transformers 5.24's `_beam_search`, followed here:
//! - the processors (§5.4) run on the log-softmax, not on the raw logits;
//! - each step keeps the top 2·B continuations over all beams (`beams_to_keep`); those that
//!   end (end token, or the length limit) and rank among the first B become finished
//!   hypotheses, the best B unfinished ones run on;
//! - Subtle: the length in the penalty counts generated tokens only, the end token
//!   included and the prompt excluded (`cur_len + 1 - decoder_prompt_len`); older versions
//!   (4.x `BeamHypotheses.add`) divided by the whole length, prompt included;
//! - early stopping is Hugging Face's default `early_stopping=False`: stop when the best
//!   running beam, divided by its current length^α, cannot beat the worst finished one.

use crate::inference::processors::DecodeConfig;

/// Hugging Face's stand-in for −∞ in beam scores.
const NEG: f32 = -1.0e9;

/// A partial or finished sequence and its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Hypothesis {
    /// The whole sequence, prompt included.
    pub tokens: Vec<usize>,
    /// Running: the summed log-probability. Finished: divided by length^α.
    pub score: f32,
}

/// One step of beam search: extend every running beam by every token, score each
/// continuation by the beam's score plus the token's log-probability, and return the
/// `keep` best, best first (ties: the lower beam, then the lower token, first).
/// `log_probs[b]` is beam b's (V,) log-probabilities for its next token.
///
/// Worked example: beams "A" (score −0.5) and "B" (−1.0), next-token log-probabilities
/// A: [−0.1, −2.0], B: [−0.2, −0.3]. The four continuations score −0.6, −2.5, −1.2, −1.3:
/// keeping 2 gives "A0" (−0.6) and "B0" (−1.2).
///
/// ```
/// use solutions::inference::beam_search::{beam_step, Hypothesis};
/// let h = |t: Vec<usize>, s| Hypothesis { tokens: t, score: s };
/// let beams = [h(vec![7], -0.5), h(vec![8], -1.0)];
/// let next = beam_step(&beams, &[vec![-0.1, -2.0], vec![-0.2, -0.3]], 2);
/// assert_eq!(next, [h(vec![7, 0], -0.6), h(vec![8, 0], -1.2)]);
/// ```
// ANCHOR: beam_step
pub fn beam_step(running: &[Hypothesis], log_probs: &[Vec<f32>], keep: usize) -> Vec<Hypothesis> {
    let mut candidates: Vec<(f32, usize, usize)> = Vec::new(); // (score, beam, token)
    for (b, (beam, lp)) in running.iter().zip(log_probs).enumerate() {
        // Subtle: the beam's own score is added: beams compete on the whole sequence's
        // probability, not on the last token's.
        candidates.extend(lp.iter().enumerate().map(|(t, &l)| (beam.score + l, b, t)));
    }
    // One ranking over all beams together (B·V candidates), not B separate top-ks.
    candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    candidates.truncate(keep);
    let extend = |(score, b, t): (f32, usize, usize)| {
        let mut tokens = running[b].tokens.clone();
        tokens.push(t);
        Hypothesis { tokens, score }
    };
    candidates.into_iter().map(extend).collect()
}
// ANCHOR_END: beam_step

/// The score of a hypothesis of `len` tokens, the first `prompt_len` of them the prompt:
/// summed log-probability / length^α, where the length counts the generated tokens only,
/// `len − prompt_len` (transformers 5.x). α = 0 ranks by raw probability; α > 0 favours
/// longer hypotheses (a negative sum divided by more shrinks towards 0), α < 0 shorter ones.
///
/// Worked example: a prompt of 4 tokens and 3 generated ones (len 7) with summed
/// log-probability −6.0 scores −6.0 at α = 0, −2.0 at α = 1 and −6/9 = −0.667 at α = 2.
///
/// ```
/// use solutions::inference::beam_search::finished_score;
/// assert_eq!(finished_score(-6.0, 4, 7, 1.0), -2.0);
/// ```
// ANCHOR: finished_score
pub fn finished_score(
    sum_log_prob: f32,
    prompt_len: usize,
    len: usize,
    length_penalty: f32,
) -> f32 {
    // Subtle: the prompt is not part of the hypothesis's length (4.x counted it).
    let generated = (len - prompt_len) as f64;
    // Hugging Face raises a Python int to a float power (in f64), then divides in f32.
    sum_log_prob / generated.powf(length_penalty as f64) as f32
}
// ANCHOR_END: finished_score

/// Beam-search settings, Hugging Face's names.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BeamConfig {
    /// `num_beams` (B ≥ 1).
    pub num_beams: usize,
    /// `length_penalty` (α); Hugging Face's default is 1.0.
    pub length_penalty: f32,
    /// `max_new_tokens`.
    pub max_new_tokens: usize,
    /// `eos_token_id`, if generation may end early.
    pub eos: Option<usize>,
}

/// Log-softmax of one row, in f32 like `torch.log_softmax`.
pub fn log_softmax(logits: &[f32]) -> Vec<f32> {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let lse = max + logits.iter().map(|&z| (z - max).exp()).sum::<f32>().ln();
    logits.iter().map(|&z| z - lse).collect()
}

/// Hugging Face's beam search for one prompt: the finished hypotheses, best first (the
/// first is what `generate(num_beams=B)` returns). `next_logits(seq)` gives the model's
/// logits (V,) for the token after `seq`; `processors` runs without its warpers.
// ANCHOR: beam_search
pub fn beam_search(
    mut next_logits: impl FnMut(&[usize]) -> Vec<f32>,
    prompt: &[usize],
    config: &BeamConfig,
    processors: &DecodeConfig,
) -> Vec<Hypothesis> {
    let (n, alpha) = (config.num_beams, config.length_penalty);
    assert!(n > 0, "num_beams must be at least 1");
    let (prompt_len, max_len) = (prompt.len(), prompt.len() + config.max_new_tokens);
    // Only beam 0 is live at first: the others are copies of it held at −1e9.
    let mut running: Vec<Hypothesis> = (0..n)
        .map(|b| Hypothesis { tokens: prompt.to_vec(), score: if b == 0 { 0.0 } else { NEG } })
        .collect();
    // B slots for finished hypotheses, each (hypothesis, finished?).
    let mut finished: Vec<(Hypothesis, bool)> =
        vec![(Hypothesis { tokens: prompt.to_vec(), score: NEG }, false); n];
    let mut improvable = true;
    let mut cur_len = prompt_len;
    while cur_len < max_len {
        let log_probs: Vec<Vec<f32>> = running
            .iter()
            .map(|h| {
                let mut lp = log_softmax(&next_logits(&h.tokens));
                processors.process(&mut lp, &h.tokens, false);
                lp
            })
            .collect();
        // 2·B candidates, so that B can run on even if up to B of them just ended.
        let candidates = beam_step(&running, &log_probs, 2 * n);
        let ends = |h: &Hypothesis| {
            h.tokens.len() >= max_len || Some(*h.tokens.last().unwrap()) == config.eos
        };
        let hits: Vec<bool> = candidates.iter().map(ends).collect();
        // The best B that did not end run on (ended ones pushed to the bottom by −1e9).
        let mut next: Vec<(usize, f32)> = (0..candidates.len())
            .map(|i| (i, candidates[i].score + if hits[i] { NEG } else { 0.0 }))
            .collect();
        next.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        running = next[..n]
            .iter()
            .map(|&(i, s)| Hypothesis { tokens: candidates[i].tokens.clone(), score: s })
            .collect();
        // Ended candidates among the first B are scored and merged into the finished slots.
        let mut merged = finished.clone();
        for (i, c) in candidates.iter().enumerate() {
            let mut score = finished_score(c.score, prompt_len, cur_len + 1, alpha);
            let done = hits[i] && i < n;
            if !improvable {
                score += NEG;
            }
            if !done {
                score += NEG;
            }
            merged.push((Hypothesis { tokens: c.tokens.clone(), score }, done));
        }
        let mut order: Vec<usize> = (0..merged.len()).collect();
        order.sort_by(|&x, &y| merged[y].0.score.total_cmp(&merged[x].0.score).then(x.cmp(&y)));
        finished = order[..n].iter().map(|&i| merged[i].clone()).collect();
        cur_len += 1;
        // Hugging Face's default heuristic (early_stopping=False): can the best running
        // beam, at its current length, still beat the worst finished hypothesis?
        let best_possible = finished_score(running[0].score, prompt_len, cur_len, alpha);
        let worst = finished.iter().map(|f| f.0.score).fold(f32::INFINITY, f32::min);
        improvable &= finished.iter().any(|f| best_possible > if f.1 { worst } else { NEG });
        if !improvable || hits.iter().all(|&h| h) {
            break;
        }
    }
    finished.into_iter().map(|(h, _)| h).collect()
}
// ANCHOR_END: beam_search

#[cfg(test)]
mod tests;
