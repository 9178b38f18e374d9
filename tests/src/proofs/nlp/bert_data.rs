//! §2.5: each wrong MLM mask and NSP builder is rejected with the message meant for it.

use crate::nlp::bert_data::*;
use crate::proofs::rejects;
use crate::wrong::nlp::bert_data as wrong;

#[test]
fn mask_tokens_rejects_the_known_mistakes() {
    rejects(check_mask_tokens(wrong::mask_specials_too), "you masked [CLS]/[SEP]/[PAD]");
    rejects(check_mask_tokens(wrong::mask_all_chosen), "all chosen tokens became [MASK]");
    rejects(check_mask_tokens(wrong::mask_shares_swapped), "(proportions swapped)");
    rejects(check_mask_tokens(wrong::mask_labels_everywhere), "labels set at unchosen positions");
    rejects(check_mask_tokens(wrong::mask_never_unchanged), "none of the chosen tokens was left");
    rejects(check_mask_tokens(wrong::mask_fixed_seed), "the `rng` argument is ignored");
    rejects(check_mask_tokens(wrong::mask_exact_count), "not an exact rounded count");
}

#[test]
fn nsp_pairs_rejects_the_known_mistakes() {
    rejects(check_nsp_pairs(wrong::nsp_negatives_anywhere), "drawn from the same document");
    rejects(check_nsp_pairs(wrong::nsp_labels_flipped), "is the label flipped?");
    rejects(check_nsp_pairs(wrong::nsp_mostly_positive), "standard errors from 50 %");
}
