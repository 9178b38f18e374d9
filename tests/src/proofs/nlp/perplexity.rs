//! §2.6: each wrong variant is rejected with the message meant for its mistake.

use crate::nlp::perplexity::*;
use crate::proofs::rejects;
use crate::wrong::nlp::perplexity as wrong;

#[test]
fn perplexity_rejects_the_known_mistakes() {
    rejects(check_perplexity(wrong::perplexity_mean_of_probs), "you averaged the probabilities");
    rejects(check_perplexity(wrong::perplexity_no_minus), "perplexity below 1");
    rejects(check_perplexity(wrong::perplexity_product_of_probs), "underflows f64");
    rejects(check_perplexity(wrong::perplexity_bits_then_exp), "you mixed the bases");
}

#[test]
fn token_log_probs_rejects_the_known_mistakes() {
    rejects(
        check_token_log_probs(wrong::log_probs_softmax_then_ln),
        "softmax then ln is not stable",
    );
    rejects(check_token_log_probs(wrong::log_probs_raw_logits), "raw logits");
    rejects(
        check_token_log_probs(wrong::log_probs_over_positions),
        "normalised over the positions",
    );
}

#[test]
fn bits_per_char_rejects_the_known_mistakes() {
    rejects(check_bits_per_char(wrong::bpc_per_token), "you divided by the 2 tokens");
    rejects(check_bits_per_char(wrong::bpc_per_byte), "you divided by the 9 bytes");
    rejects(check_bits_per_char(wrong::bpc_in_nats), "nats per character");
}
