//! §2.6 Perplexity (困惑度).
//!
//! Perplexity is the exponential of the mean negative log-likelihood per token:
//! $\mathrm{PPL} = \exp\big(-\tfrac1N \sum_i \ln p(w_i \mid w_{<i})\big)
//! = P(w_1 \dots w_N)^{-1/N}$. It is the "effective number of equally likely choices"
//! the model hesitates between at each token. Jelinek et al. 1977 introduced it for speech
//! recognition; Jurafsky & Martin, *Speech and Language Processing*, ch. 3, is the
//! textbook account. PyTorch / Hugging Face: `torch.exp(outputs.loss)` on a causal LM,
//! whose `loss` is the mean cross-entropy in nats (the recipe of the `transformers`
//! "Perplexity of fixed-length models" guide), i.e. `F.cross_entropy(logits, targets)`.
//!
//! Per-token perplexity depends on what a token is. Bits per character (or per byte) does
//! not: it is the total information the model spends on a text divided by the length of
//! the text itself, so models with different tokenizers can be compared
//! ([`bits_per_char`]).

use crate::Dev;
use dfdx::prelude::*;

/// The perplexity of a model whose mean cross-entropy per token is `mean_nll` nats:
/// $\mathrm{PPL} = e^{\text{mean\_nll}}$.
///
/// The loss must be in nats (natural log), as PyTorch's `cross_entropy` reports it; a loss
/// in bits would need $2^{\text{loss}}$ instead.
///
/// ```
/// use solutions::nlp::perplexity::perplexity_from_loss;
/// // A model that is always sure and right has loss 0 and perplexity 1.
/// assert_eq!(perplexity_from_loss(0.0), 1.0);
/// assert!((perplexity_from_loss(2.0) - 7.389_056).abs() < 1e-6);
/// ```
// ANCHOR: perplexity_from_loss
pub fn perplexity_from_loss(mean_nll: f64) -> f64 {
    mean_nll.exp()
}
// ANCHOR_END: perplexity_from_loss

/// The mean cross-entropy in nats that corresponds to a perplexity: $\ln \mathrm{PPL}$.
///
/// A model that spreads its probability uniformly over a vocabulary of $V$ tokens has
/// perplexity exactly $V$, so its loss is $\ln V$: the loss a freshly initialised LM
/// should start near.
pub fn loss_from_perplexity(perplexity: f64) -> f64 {
    perplexity.ln()
}

/// The perplexity of a sequence from the probabilities the model gave to each of its
/// tokens: $\big(\prod_i p_i\big)^{-1/N}$, computed as $\exp(-\tfrac1N\sum_i \ln p_i)$.
///
/// Subtle: the product of a few hundred probabilities underflows `f64`; the sum of logs
/// does not, which is why every implementation works in log space.
///
/// # Panics
/// If `probs` is empty.
pub fn perplexity_of_probs(probs: &[f64]) -> f64 {
    assert!(!probs.is_empty(), "perplexity of an empty sequence is undefined");
    let mean_nll = -probs.iter().map(|p| p.ln()).sum::<f64>() / probs.len() as f64;
    perplexity_from_loss(mean_nll)
}

/// Bits per token from a loss in nats: $\text{loss}/\ln 2$. For a character-level model
/// this is the bits-per-character figure that compression papers report.
pub fn bits_per_token(mean_nll: f64) -> f64 {
    mean_nll / std::f64::consts::LN_2
}

/// The perplexity of a sequence from the natural-log probabilities $\ln p_i$ the model gave
/// to each of its tokens:
/// $$\mathrm{PPL} = \exp\Big(-\frac1N \sum_{i=1}^N \ln p_i\Big).$$
///
/// Worked example: $\ln p = (\ln\tfrac12, \ln\tfrac14, \ln\tfrac18)$ has mean
/// $-2\ln 2$, so the perplexity is $e^{2\ln 2} = 4$: the three probabilities multiply to
/// $1/64 = 4^{-3}$, as if the model had picked among 4 equally likely tokens each time.
///
/// ```
/// # use solutions::nlp::perplexity::perplexity;
/// let lp = [0.5f64.ln(), 0.25f64.ln(), 0.125f64.ln()];
/// assert!((perplexity(&lp) - 4.0).abs() < 1e-12);
/// ```
///
/// # Panics
/// If `log_probs` is empty.
// ANCHOR: perplexity
pub fn perplexity(log_probs: &[f64]) -> f64 {
    assert!(!log_probs.is_empty(), "perplexity of an empty sequence is undefined");
    // Average the log-probabilities (a geometric mean of the probabilities), never the
    // probabilities themselves: one token at p = 1e-9 must cost a lot, not a little.
    let mean_nll = -log_probs.iter().sum::<f64>() / log_probs.len() as f64;
    // The logs are natural, so the way back is exp; with log2 it would be 2^x.
    mean_nll.exp()
}
// ANCHOR_END: perplexity

/// The natural-log probability $\ln p(t_i \mid \text{row } i)$ that each row of `logits`
/// (shape (T, V): one row of V vocabulary scores per position) gives to its target token
/// `targets[i]`, as a (T,) tensor on the logits' tape:
/// $$\ln p_i = z_{i,t_i} - \log\sum_{v} e^{z_{i,v}}.$$
/// Their negatives are what `F.cross_entropy(logits, targets, reduction="none")` returns,
/// and their negated mean is the loss a language model trains on.
///
/// Worked example: the row $(0, \ln 2, 0)$ with target 1 gives
/// $\ln\frac{2}{1 + 2 + 1} = \ln\frac12$; the row $(0, 0, 0)$ with target 2 gives
/// $\ln\frac13$.
///
/// # Panics
/// If `targets.len()` is not T, or a target is not below V.
// ANCHOR: token_log_probs
pub fn token_log_probs<T: Tape<f32, Dev>>(
    logits: Tensor<(usize, usize), f32, Dev, T>,
    targets: &[usize],
) -> Tensor<(usize,), f32, Dev, T> {
    let (t, v) = *logits.shape();
    assert_eq!(targets.len(), t, "one target per row of logits");
    assert!(targets.iter().all(|&x| x < v), "targets must be below the vocabulary size {v}");
    // Normalise over the vocabulary axis (Axis<1>), not over positions. Subtle: softmax
    // then ln would turn a probability below f32's smallest (≈1e-45) into ln 0 = −∞;
    // log_softmax computes z − max z − ln Σ e^{z − max z}, which stays finite.
    let idx = logits.device().tensor_from_vec(targets.to_vec(), (t,)); // (T,)
    let log_p = logits.log_softmax::<Axis<1>>(); // (T, V)

    // For row i keep column targets[i]: select removes the vocabulary axis.
    log_p.select(idx) // (T,)
}
// ANCHOR_END: token_log_probs

/// The perplexity of a model's next-token logits (T, V) on their targets: what
/// `torch.exp(F.cross_entropy(logits, targets))` computes.
pub fn perplexity_from_logits(logits: Tensor<(usize, usize), f32, Dev>, targets: &[usize]) -> f64 {
    // Each ln p is an f32 from the tensor; the mean over thousands of them is taken in f64
    // by `perplexity`, so that summing does not add f32 rounding on top.
    let log_probs: Vec<f64> =
        token_log_probs(logits, targets).as_vec().into_iter().map(f64::from).collect();
    perplexity(&log_probs)
}

/// Bits per character: the information, in bits, that a model spends on a text, divided
/// by the number of Unicode characters of that text,
/// $$\mathrm{bpc} = \frac{-\sum_i \ln p_i}{\ln 2 \cdot N_\text{chars}},$$
/// where the $\ln p_i$ are the model's natural-log probabilities of the tokens that
/// spell `text`, however many tokens that takes.
///
/// Why per character: the total $-\sum_i \ln p_i$ is $-\ln P(\text{text})$, which does not
/// care how the text was cut. Dividing by the token count would reward a tokenizer with
/// long tokens (fewer, harder predictions) and say nothing about the text; dividing by
/// characters puts every tokenizer on the same unit. Count characters, not bytes: a
/// Chinese character is 3 bytes of UTF-8.
///
/// Worked example: a model that spells the 3-character text "猫坐下" with 2 tokens of
/// probability $\tfrac14$ and $\tfrac18$ spends $2 + 3 = 5$ bits: $5/3 \approx 1.667$ bits
/// per character (per token it would be 2.5 bits, per byte $5/9$).
///
/// # Panics
/// If `text` is empty.
// ANCHOR: bits_per_char
pub fn bits_per_char(log_probs: &[f64], text: &str) -> f64 {
    let chars = text.chars().count();
    assert!(chars > 0, "bits per character of an empty text is undefined");
    // Total information in nats, −ln P(text); the tokenization cancels out of it.
    let total_nats = -log_probs.iter().sum::<f64>();
    // Nats to bits, then per character (chars(), not len(): len() counts UTF-8 bytes).
    total_nats / std::f64::consts::LN_2 / chars as f64
}
// ANCHOR_END: bits_per_char

#[cfg(test)]
mod tests;
