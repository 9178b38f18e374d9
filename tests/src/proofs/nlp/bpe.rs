//! §2.2: each wrong BPE variant is rejected with the message meant for its mistake.

use crate::nlp::bpe::*;
use crate::proofs::rejects;
use crate::wrong::nlp::bpe as wrong;

#[test]
fn pair_counts_rejects_the_known_mistakes() {
    rejects(
        check_pair_counts(wrong::pair_counts_unweighted),
        "instead of weighting by the word's frequency",
    );
    rejects(
        check_pair_counts(wrong::pair_counts_distinct_per_word),
        "overlapping pairs were skipped",
    );
}

#[test]
fn merge_pair_rejects_the_known_mistakes() {
    rejects(
        check_merge_pair(wrong::merge_pair_overlapping),
        "replaced overlapping occurrences: `a a a` with (a, a) must become [Z, a]",
    );
    rejects(check_merge_pair(wrong::merge_pair_first_only), "only the first occurrence");
}

#[test]
fn train_bpe_rejects_the_known_mistakes() {
    rejects(
        check_train_bpe(wrong::train_bpe_unweighted),
        "once per word: weight it by the word's count",
    );
    rejects(check_train_bpe(wrong::train_bpe_largest_tie), "the smallest (left, right) pair wins");
    rejects(check_train_bpe(wrong::train_bpe_ids_off_by_one), "your ids are one off");
}

#[test]
fn encode_rejects_the_known_mistakes() {
    rejects(
        check_encode(wrong::encode_by_frequency),
        "in order of frequency in the input instead of merge rank",
    );
    rejects(check_encode(wrong::encode_latest_first), "the latest merges were applied first");
    rejects(check_encode(wrong::encode_one_pass), "some merges were left out");
}
