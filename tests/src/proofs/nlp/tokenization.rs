//! §2.1: each wrong variant is rejected with the message meant for its mistake.

use crate::nlp::tokenization::*;
use crate::proofs::rejects;
use crate::wrong::nlp::tokenization::*;

#[test]
fn word_vocab_rejects_the_known_mistakes() {
    rejects(check_word_vocab(vocab_least_frequent), "these are the least frequent words");
    rejects(check_word_vocab(vocab_ties_by_appearance), "the tie at count");
    rejects(check_word_vocab(vocab_first_seen), "in order of appearance");
}

#[test]
fn oov_rate_rejects_the_known_mistakes() {
    rejects(check_oov_rate(oov_over_types), "OOV counted word types instead of tokens");
    rejects(check_oov_rate(oov_coverage), "that is the coverage");
    rejects(check_oov_rate(oov_nan_on_empty), "not 0/0 = NaN");
}
