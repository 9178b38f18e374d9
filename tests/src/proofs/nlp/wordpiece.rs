//! §2.3: each wrong WordPiece variant is rejected with the message meant for its mistake.

use crate::nlp::wordpiece::*;
use crate::proofs::rejects;
use crate::wrong::nlp::wordpiece::*;

#[test]
fn wordpiece_score_rejects_the_known_mistakes() {
    rejects(check_wordpiece_score(score_bpe_frequency), "that is BPE's criterion");
    rejects(check_wordpiece_score(score_sum_denominator), "you divided by f(a) + f(b)");
    rejects(check_wordpiece_score(score_unweighted), "the word counts were ignored");
}

#[test]
fn wordpiece_encode_rejects_the_known_mistakes() {
    rejects(check_wordpiece_encode(encode_shortest_first), "you took the shortest match first");
    rejects(check_wordpiece_encode(encode_no_prefix), "forgot the `##` prefix");
    rejects(check_wordpiece_encode(encode_partial_unk), "emitted the pieces before the failure");
    rejects(check_wordpiece_encode(encode_no_length_limit), "without being tried");
    rejects(check_wordpiece_encode(encode_limit_off_by_one), "exactly 100 characters");
}
