//! §5.4 Controlling repetition (控制重复): `repetition_penalty` and `no_repeat_ngram_size`.
//!
//! The repetition penalty comes from Keskar et al. 2019, "CTRL", arXiv 1909.05858, §4.1.
//! Hugging Face: `RepetitionPenaltyLogitsProcessor` and `NoRepeatNGramLogitsProcessor`,
//! switched on by `generate(repetition_penalty=..., no_repeat_ngram_size=...)`.
//!
//! Subtle: the penalty $\theta > 1$ must make every seen token *less* likely. Dividing a
//! positive logit by $\theta$ lowers it, but dividing a negative one would raise it towards
//! zero, so negative logits are multiplied by $\theta$ instead. (Some study guides say
//! positive logits are multiplied; that would make repeats more likely.)

/// Applies the repetition penalty in place: for every token id in `seen`, a positive logit
/// becomes $z/\theta$ and a negative one $z\theta$. Each id is penalised once, however often
/// it was seen, as in Hugging Face.
///
/// ```
/// use solutions::inference::repetition::apply_repetition_penalty;
/// let mut logits = [2.0, -2.0, 1.0];
/// apply_repetition_penalty(&mut logits, &[0, 1, 1], 1.25);
/// assert_eq!(logits, [1.6, -2.5, 1.0]);
/// ```
// ANCHOR: apply_repetition_penalty
pub fn apply_repetition_penalty(logits: &mut [f32], seen: &[usize], penalty: f32) {
    let mut ids: Vec<usize> = seen.to_vec();
    // Penalise each distinct id once: Hugging Face gathers, then scatters, unique scores.
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let z = logits[id];
        logits[id] = if z < 0.0 { z * penalty } else { z / penalty };
    }
}
// ANCHOR_END: apply_repetition_penalty

/// The tokens that `no_repeat_ngram_size = n` forbids next: every token that, appended to
/// `history`, would complete an n-gram already present in it. Their logits are set to
/// $-\infty$, so they get probability 0.
///
/// ```
/// use solutions::inference::repetition::banned_tokens;
/// // "the cat sat on the" with n = 2: "the cat" was seen, so "cat" cannot follow "the".
/// let (the, cat, sat, on) = (0, 1, 2, 3);
/// assert_eq!(banned_tokens(&[the, cat, sat, on, the], 2), vec![cat]);
/// ```
// ANCHOR: banned_tokens
pub fn banned_tokens(history: &[usize], n: usize) -> Vec<usize> {
    if n == 0 || history.len() < n {
        return vec![];
    }
    // The last n − 1 tokens are the prefix that the next token would extend.
    let prefix = &history[history.len() + 1 - n..];
    let mut banned: Vec<usize> =
        history.windows(n).filter(|w| &w[..n - 1] == prefix).map(|w| w[n - 1]).collect();
    banned.sort_unstable();
    banned.dedup();
    banned
}
// ANCHOR_END: banned_tokens

#[cfg(test)]
mod tests;
