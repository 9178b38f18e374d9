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
/// `targets[i]`:
/// $$\ln p_i = z_{i,t_i} - \log\sum_{v} e^{z_{i,v}}.$$
/// Their negatives are what `F.cross_entropy(logits, targets, reduction="none")` returns.
///
/// Worked example: the row $(0, \ln 2, 0)$ with target 1 gives
/// $\ln\frac{2}{1 + 2 + 1} = \ln\frac12$; the row $(0, 0, 0)$ with target 2 gives
/// $\ln\frac13$.
///
/// # Panics
/// If `targets.len()` is not T, or a target is not below V.
// ANCHOR: token_log_probs
pub fn token_log_probs(logits: Tensor<(usize, usize), f32, Dev>, targets: &[usize]) -> Vec<f64> {
    let (t, v) = *logits.shape();
    assert_eq!(targets.len(), t, "one target per row of logits");
    assert!(targets.iter().all(|&x| x < v), "targets must be below the vocabulary size {v}");
    // Normalise over the vocabulary axis (Axis<1>), not over positions. Subtle: softmax
    // then ln would turn a probability below f32's smallest (≈1e-45) into ln 0 = −∞;
    // log_softmax computes z − max z − ln Σ e^{z − max z}, which stays finite.
    let idx = logits.device().tensor_from_vec(targets.to_vec(), (t,)); // (T,)
    let log_p = logits.log_softmax::<Axis<1>>(); // (T, V)
                                                 // For row i keep column targets[i]: select removes the vocabulary axis.
    let picked = log_p.select(idx); // (T,)
    picked.as_vec().into_iter().map(f64::from).collect()
}
// ANCHOR_END: token_log_probs

/// The perplexity of a model's next-token logits (T, V) on their targets: what
/// `torch.exp(F.cross_entropy(logits, targets))` computes.
pub fn perplexity_from_logits(logits: Tensor<(usize, usize), f32, Dev>, targets: &[usize]) -> f64 {
    perplexity(&token_log_probs(logits, targets))
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
mod tests {
    use super::*;

    #[test]
    fn uniform_model_has_perplexity_equal_to_its_vocabulary() {
        // Uniform over V: every token gets 1/V, the loss is ln V, the perplexity V.
        for v in [2.0, 65.0, 50257.0] {
            let ppl = perplexity_of_probs(&[1.0 / v; 17]);
            assert!((ppl - v).abs() < 1e-6 * v, "V = {v}: {ppl}");
            assert!((perplexity(&[-v.ln(); 17]) - v).abs() < 1e-6 * v);
            assert!((perplexity_from_loss(loss_from_perplexity(v)) - v).abs() < 1e-6 * v);
        }
        // The same through logits: equal logits over V = 65 give perplexity 65.
        let logits = Dev::default().tensor_from_vec(vec![0.3f32; 4 * 65], (4, 65));
        let ppl = perplexity_from_logits(logits, &[0, 7, 64, 3]);
        assert!((ppl - 65.0).abs() < 1e-3, "{ppl}");
    }

    /// Hand-worked: probabilities 1/2, 1/4, 1/8 multiply to 1/64, and 64^{1/3} = 4.
    #[test]
    fn hand_worked_three_tokens() {
        assert!((perplexity_of_probs(&[0.5, 0.25, 0.125]) - 4.0).abs() < 1e-12);
        let lp = [0.5f64.ln(), 0.25f64.ln(), 0.125f64.ln()];
        assert!((perplexity(&lp) - 4.0).abs() < 1e-12);
    }

    #[test]
    fn log_space_survives_long_sequences() {
        // 0.1^1000 underflows to 0 in f64, but the perplexity is exactly 10.
        let ppl = perplexity_of_probs(&[0.1; 1000]);
        assert!((ppl - 10.0).abs() < 1e-9, "{ppl}");
        assert!((perplexity(&[0.1f64.ln(); 1000]) - 10.0).abs() < 1e-9);
    }

    #[test]
    fn worked_examples() {
        // Loss 2 nats is e² ≈ 7.389; the GPT-2 vocabulary's uniform loss is ln 50257.
        assert!((perplexity_from_loss(2.0) - 7.389_056_098_930_65).abs() < 1e-12);
        assert!((loss_from_perplexity(50257.0) - 10.824_905).abs() < 1e-6);
        // One bit per token means a perplexity of 2.
        assert!((bits_per_token(std::f64::consts::LN_2) - 1.0).abs() < 1e-15);
    }

    /// Hand-worked logits: row (0, ln 2, 0) → p(1) = 2/4 = 1/2; row (0, 0, 0) → p(2) = 1/3;
    /// the perplexity is (1/2 · 1/3)^{-1/2} = √6 ≈ 2.449. Shifting a row by 100 changes
    /// nothing (softmax is shift-invariant; e^{100} would already overflow f32).
    #[test]
    fn logits_hand_worked_and_shift_invariant() {
        let dev = Dev::default();
        let ln2 = std::f32::consts::LN_2;
        let logits = dev.tensor_from_vec(vec![0.0, ln2, 0.0, 0.0, 0.0, 0.0], (2, 3));
        let lp = token_log_probs(logits, &[1, 2]);
        assert!((lp[0] - 0.5f64.ln()).abs() < 1e-6 && (lp[1] - (1.0f64 / 3.0).ln()).abs() < 1e-6);
        let shifted =
            dev.tensor_from_vec(vec![100.0, 100.0 + ln2, 100.0, -5.0, -5.0, -5.0], (2, 3));
        let ppl = perplexity_from_logits(shifted, &[1, 2]);
        assert!((ppl - 6f64.sqrt()).abs() < 1e-4, "{ppl}");
        // A target 200 nats below the best logit: e^{-200} underflows f32, its log does not.
        let far = dev.tensor_from_vec(vec![200.0, 0.0], (1, 2));
        assert!((token_log_probs(far, &[1])[0] + 200.0).abs() < 1e-3);
    }

    /// Stored values of `F.cross_entropy(logits, targets, reduction="none")` from
    /// `scripts/reference/perplexity.py` (provenance in the JSON file): our per-token
    /// negative log-likelihoods and the perplexity agree to 1e-5 (f32 arithmetic).
    #[test]
    fn matches_pytorch_cross_entropy() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/reference/perplexity.json");
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let floats = |k: &str| -> Vec<f64> {
            json[k].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
        };
        let (t, v) = (json["T"].as_u64().unwrap() as usize, json["V"].as_u64().unwrap() as usize);
        let logits: Vec<f32> = floats("logits").iter().map(|&x| x as f32).collect();
        let targets: Vec<usize> = floats("targets").iter().map(|&x| x as usize).collect();
        let logits = Dev::default().tensor_from_vec(logits, (t, v));
        let lp = token_log_probs(logits.clone(), &targets);
        for (i, (got, want)) in lp.iter().zip(floats("nll")).enumerate() {
            assert!(
                (-got - want).abs() < 1e-5 * (1.0 + want.abs()),
                "token {i}: {} vs {want}",
                -got
            );
        }
        let ppl = perplexity_from_logits(logits, &targets);
        let want = json["perplexity"].as_f64().unwrap();
        assert!((ppl - want).abs() < 1e-5 * want, "{ppl} vs {want}");
    }

    /// Model A reads a 400-character text one character at a time with perplexity 3 per
    /// token; model B reads it in 100 tokens of 4 characters with perplexity 40 per token.
    /// Per token A looks far better (3 < 40); per character B spends less:
    /// log2(40)/4 ≈ 1.33 bits against log2(3) ≈ 1.58.
    #[test]
    fn per_token_perplexity_does_not_compare_across_tokenizers() {
        let text = "abcd".repeat(100);
        let a = [-(3f64.ln()); 400];
        let b = [-(40f64.ln()); 100];
        assert!(perplexity(&a) < perplexity(&b));
        let (bpc_a, bpc_b) = (bits_per_char(&a, &text), bits_per_char(&b, &text));
        assert!((bpc_a - 1.585).abs() < 1e-3 && (bpc_b - 1.330).abs() < 1e-3, "{bpc_a} {bpc_b}");
    }

    #[test]
    fn bits_per_char_counts_characters_not_tokens_or_bytes() {
        // The doc example: 2 + 3 bits over the 3 characters (9 bytes) of "猫坐下".
        let lp = [0.25f64.ln(), 0.125f64.ln()];
        assert!((bits_per_char(&lp, "猫坐下") - 5.0 / 3.0).abs() < 1e-12);
        // A uniform character model over 32 symbols spends exactly 5 bits per character.
        let text = "abcdefgh";
        assert!((bits_per_char(&[(1.0f64 / 32.0).ln(); 8], text) - 5.0).abs() < 1e-12);
    }
}
