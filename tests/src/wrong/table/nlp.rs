//! Chapter 2's wrong variants, with the check each runs and the fragment meant for it.

use super::{variant, Variant, TAPE_DROPPED};
use crate::nlp::{
    bert_data::*, bpe::*, byte_level::*, perplexity::*, tokenization::*, wordpiece::*,
};
use crate::wrong::nlp::{bert_data as bert, bpe, byte_level as bytes, perplexity as ppl};
use crate::wrong::nlp::{tokenization as tok, wordpiece as wp};

/// §2.1 to §2.6.
pub fn variants() -> Vec<Variant> {
    vec![
        // §2.1
        variant!(
            "2.1.word_vocab",
            check_word_vocab(tok::vocab_least_frequent),
            "these are the least frequent words"
        ),
        variant!(
            "2.1.word_vocab",
            check_word_vocab(tok::vocab_ties_by_appearance),
            "the tie at count"
        ),
        variant!(
            "2.1.word_vocab",
            check_word_vocab(tok::vocab_first_seen),
            "in order of appearance"
        ),
        variant!(
            "2.1.oov_rate",
            check_oov_rate(tok::oov_over_types),
            "OOV counted word types instead of tokens"
        ),
        variant!("2.1.oov_rate", check_oov_rate(tok::oov_coverage), "that is the coverage"),
        variant!("2.1.oov_rate", check_oov_rate(tok::oov_nan_on_empty), "not 0/0 = NaN"),
        // §2.2
        variant!(
            "2.2.pair_counts",
            check_pair_counts(bpe::pair_counts_unweighted),
            "instead of weighting by the word's frequency"
        ),
        variant!(
            "2.2.pair_counts",
            check_pair_counts(bpe::pair_counts_distinct_per_word),
            "overlapping pairs were skipped"
        ),
        variant!(
            "2.2.merge_pair",
            check_merge_pair(bpe::merge_pair_overlapping),
            "replaced overlapping occurrences: `a a a` with (a, a) must become [Z, a]"
        ),
        variant!(
            "2.2.merge_pair",
            check_merge_pair(bpe::merge_pair_first_only),
            "only the first occurrence"
        ),
        variant!(
            "2.2.train_bpe",
            check_train_bpe(bpe::train_bpe_unweighted),
            "once per word: weight it by the word's count"
        ),
        variant!(
            "2.2.train_bpe",
            check_train_bpe(bpe::train_bpe_largest_tie),
            "the smallest (left, right) pair wins"
        ),
        variant!(
            "2.2.train_bpe",
            check_train_bpe(bpe::train_bpe_ids_off_by_one),
            "your ids are one off"
        ),
        variant!(
            "2.2.bpe_encode",
            check_bpe_encode(bpe::encode_by_frequency),
            "in order of frequency in the input instead of merge rank"
        ),
        variant!(
            "2.2.bpe_encode",
            check_bpe_encode(bpe::encode_latest_first),
            "the latest merges were applied first"
        ),
        variant!(
            "2.2.bpe_encode",
            check_bpe_encode(bpe::encode_one_pass),
            "some merges were left out"
        ),
        // §2.3
        variant!(
            "2.3.wordpiece_score",
            check_wordpiece_score(wp::score_bpe_frequency),
            "that is BPE's criterion"
        ),
        variant!(
            "2.3.wordpiece_score",
            check_wordpiece_score(wp::score_sum_denominator),
            "you divided by f(a) + f(b)"
        ),
        variant!(
            "2.3.wordpiece_score",
            check_wordpiece_score(wp::score_unweighted),
            "the word counts were ignored"
        ),
        variant!(
            "2.3.wordpiece_encode",
            check_wordpiece_encode(wp::encode_shortest_first),
            "you took the shortest match first"
        ),
        variant!(
            "2.3.wordpiece_encode",
            check_wordpiece_encode(wp::encode_no_prefix),
            "forgot the `##` prefix"
        ),
        variant!(
            "2.3.wordpiece_encode",
            check_wordpiece_encode(wp::encode_partial_unk),
            "emitted the pieces before the failure"
        ),
        variant!(
            "2.3.wordpiece_encode",
            check_wordpiece_encode(wp::encode_no_length_limit),
            "without being tried"
        ),
        variant!(
            "2.3.wordpiece_encode",
            check_wordpiece_encode(wp::encode_limit_off_by_one),
            "exactly 100 characters"
        ),
        // §2.4
        variant!(
            "2.4.utf8_byte_len",
            check_utf8_byte_len(bytes::len_chars),
            "counted chars, not UTF-8 bytes: 中 is 3 bytes"
        ),
        variant!("2.4.utf8_byte_len", check_utf8_byte_len(bytes::len_utf16), "UTF-16 code units"),
        variant!(
            "2.4.utf8_byte_len",
            check_utf8_byte_len(bytes::len_three_for_non_ascii),
            "not every non-ASCII character"
        ),
        variant!(
            "2.4.compression_ratio",
            check_compression_ratio(bytes::ratio_inverted),
            "tokens per character inverted"
        ),
        variant!(
            "2.4.compression_ratio",
            check_compression_ratio(bytes::ratio_bytes),
            "UTF-8 bytes per token"
        ),
        variant!(
            "2.4.compression_ratio",
            check_compression_ratio(bytes::ratio_integer),
            "done in integers"
        ),
        // §2.5
        variant!(
            "2.5.mask_tokens",
            check_mask_tokens(bert::mask_specials_too),
            "you masked [CLS]/[SEP]/[PAD]"
        ),
        variant!(
            "2.5.mask_tokens",
            check_mask_tokens(bert::mask_all_chosen),
            "all chosen tokens became [MASK]"
        ),
        variant!(
            "2.5.mask_tokens",
            check_mask_tokens(bert::mask_shares_swapped),
            "only 15 % of the chosen became [MASK]"
        ),
        variant!(
            "2.5.mask_tokens",
            check_mask_tokens(bert::mask_labels_everywhere),
            "labels set at unchosen positions"
        ),
        variant!(
            "2.5.mask_tokens",
            check_mask_tokens(bert::mask_never_unchanged),
            "none of the chosen tokens was left"
        ),
        variant!(
            "2.5.mask_tokens",
            check_mask_tokens(bert::mask_fixed_seed),
            "the `rng` argument is ignored"
        ),
        variant!(
            "2.5.mask_tokens",
            check_mask_tokens(bert::mask_exact_count),
            "you chose an exact count per sequence"
        ),
        variant!(
            "2.5.nsp_pairs",
            check_nsp_pairs(bert::nsp_negatives_anywhere),
            "drawn from the same document"
        ),
        variant!(
            "2.5.nsp_pairs",
            check_nsp_pairs(bert::nsp_labels_flipped),
            "is the label flipped?"
        ),
        variant!(
            "2.5.nsp_pairs",
            check_nsp_pairs(bert::nsp_mostly_positive),
            "standard errors from 50 %"
        ),
        // §2.6
        variant!(
            "2.6.perplexity",
            check_perplexity(ppl::perplexity_mean_of_probs),
            "you averaged the probabilities"
        ),
        variant!(
            "2.6.perplexity",
            check_perplexity(ppl::perplexity_no_minus),
            "perplexity below 1"
        ),
        variant!(
            "2.6.perplexity",
            check_perplexity(ppl::perplexity_product_of_probs),
            "underflows f64"
        ),
        variant!(
            "2.6.perplexity",
            check_perplexity(ppl::perplexity_bits_then_exp),
            "you mixed the bases"
        ),
        variant!(
            "2.6.token_log_probs",
            check_token_log_probs(ppl::log_probs_softmax_then_ln),
            "softmax then ln is not stable"
        ),
        variant!(
            "2.6.token_log_probs",
            check_token_log_probs(ppl::log_probs_raw_logits),
            "raw logits"
        ),
        variant!(
            "2.6.token_log_probs",
            check_token_log_probs(ppl::log_probs_over_positions),
            "normalised over the positions"
        ),
        variant!(
            "2.6.token_log_probs",
            check_token_log_probs(ppl::log_probs_through_vec),
            TAPE_DROPPED
        ),
        variant!(
            "2.6.bits_per_char",
            check_bits_per_char(ppl::bpc_per_token),
            "you divided by the 2 tokens"
        ),
        variant!(
            "2.6.bits_per_char",
            check_bits_per_char(ppl::bpc_per_byte),
            "you divided by the 9 bytes"
        ),
        variant!("2.6.bits_per_char", check_bits_per_char(ppl::bpc_in_nats), "nats per character"),
    ]
}
