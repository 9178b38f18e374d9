//! §2.6 Perplexity (困惑度).
//!
//! Perplexity is the exponential of the mean negative log-likelihood per token:
//! $\mathrm{PPL} = \exp\big(-\tfrac1N \sum_i \ln p(w_i \mid w_{<i})\big)
//! = P(w_1 \dots w_N)^{-1/N}$. It is the "effective number of equally likely choices"
//! the model hesitates between at each token. Jelinek et al. 1977 introduced it for speech
//! recognition; Jurafsky & Martin, *Speech and Language Processing*, ch. 3, is the
//! textbook account. PyTorch / Hugging Face: `torch.exp(outputs.loss)` on a causal LM,
//! whose `loss` is the mean cross-entropy in nats (the recipe of the `transformers`
//! "Perplexity of fixed-length models" guide).

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_model_has_perplexity_equal_to_its_vocabulary() {
        // Uniform over V: every token gets 1/V, the loss is ln V, the perplexity V.
        for v in [2.0, 65.0, 50257.0] {
            let ppl = perplexity_of_probs(&[1.0 / v; 17]);
            assert!((ppl - v).abs() < 1e-6 * v, "V = {v}: {ppl}");
            assert!((perplexity_from_loss(loss_from_perplexity(v)) - v).abs() < 1e-6 * v);
        }
    }

    /// Hand-worked: probabilities 1/2, 1/4, 1/8 multiply to 1/64, and 64^{1/3} = 4.
    #[test]
    fn hand_worked_three_tokens() {
        assert!((perplexity_of_probs(&[0.5, 0.25, 0.125]) - 4.0).abs() < 1e-12);
    }

    #[test]
    fn log_space_survives_long_sequences() {
        // 0.1^1000 underflows to 0 in f64, but the perplexity is exactly 10.
        let ppl = perplexity_of_probs(&[0.1; 1000]);
        assert!((ppl - 10.0).abs() < 1e-9, "{ppl}");
    }

    #[test]
    fn worked_examples() {
        // Loss 2 nats is e² ≈ 7.389; the GPT-2 vocabulary's uniform loss is ln 50257.
        assert!((perplexity_from_loss(2.0) - 7.389_056_098_930_65).abs() < 1e-12);
        assert!((loss_from_perplexity(50257.0) - 10.824_905).abs() < 1e-6);
        // One bit per token means a perplexity of 2.
        assert!((bits_per_token(std::f64::consts::LN_2) - 1.0).abs() < 1e-15);
    }
}
