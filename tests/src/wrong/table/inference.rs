//! Chapter 5's wrong variants, with the check each runs and the fragment meant for it.

use super::{variant, Variant};
use crate::inference::{beam_search::*, kv_cache::*, repetition::*, temperature::*, truncation::*};
use crate::wrong::inference as inf;

/// §5.1 to §5.5.
pub fn variants() -> Vec<Variant> {
    vec![
        // §5.1
        variant!(
            "5.1.softmax_with_temperature",
            check_softmax_with_temperature(inf::temperature_multiplies),
            "multiplied by T"
        ),
        variant!(
            "5.1.softmax_with_temperature",
            check_softmax_with_temperature(inf::temperature_ignored),
            "temperature was ignored"
        ),
        variant!(
            "5.1.softmax_with_temperature",
            check_softmax_with_temperature(inf::temperature_unshifted),
            "overflows f32"
        ),
        // §5.2
        variant!("5.2.beam_step", check_beam_step(inf::beam_step_local), "log-probability alone"),
        variant!(
            "5.2.beam_step",
            check_beam_step(inf::beam_step_per_beam),
            "one continuation per beam"
        ),
        variant!(
            "5.2.finished_score",
            check_finished_score(inf::score_counts_prompt),
            "counts the prompt"
        ),
        variant!(
            "5.2.finished_score",
            check_finished_score(inf::score_ignores_alpha),
            "α was ignored"
        ),
        // §5.3
        variant!(
            "5.3.top_k_filter",
            check_top_k_filter(inf::top_k_drops_ties),
            "ties at the k-th value dropped"
        ),
        variant!(
            "5.3.top_k_filter",
            check_top_k_filter(inf::top_k_ignores_min),
            "min_tokens_to_keep was ignored: the number kept"
        ),
        variant!(
            "5.3.top_p_filter",
            check_top_p_filter(inf::top_p_drops_crossing),
            "cumulative < p instead of ≤ 1 − p"
        ),
        variant!(
            "5.3.top_p_filter",
            check_top_p_filter(inf::top_p_strict),
            "boundary is exclusive"
        ),
        variant!(
            "5.3.top_p_filter",
            check_top_p_filter(inf::top_p_ignores_min),
            "most likely min_tokens_to_keep tokens always"
        ),
        // §5.4
        variant!(
            "5.4.apply_repetition_penalty",
            check_apply_repetition_penalty(inf::penalty_divides_all),
            "penalty divides negative logits"
        ),
        variant!(
            "5.4.apply_repetition_penalty",
            check_apply_repetition_penalty(inf::penalty_multiplies_positive),
            "the source's wording"
        ),
        variant!(
            "5.4.apply_repetition_penalty",
            check_apply_repetition_penalty(inf::penalty_per_occurrence),
            "once per occurrence"
        ),
        variant!(
            "5.4.banned_tokens",
            check_banned_tokens(inf::banned_short_ngrams),
            "one token short"
        ),
        variant!(
            "5.4.banned_tokens",
            check_banned_tokens(inf::banned_none_for_unigrams),
            "with n = 1 the prefix is empty"
        ),
        // §5.5
        variant!(
            "5.5.attend_with_cache",
            check_attend_with_cache(inf::cache_appended_after_attention),
            "appended after attention"
        ),
        variant!(
            "5.5.attend_with_cache",
            check_attend_with_cache(inf::cache_never_appended),
            "never appended"
        ),
        variant!(
            "5.5.attend_with_cache",
            check_attend_with_cache(inf::cache_mask_top_rows),
            "top rows of the causal mask"
        ),
        variant!(
            "5.5.attend_with_cache",
            check_attend_with_cache(inf::cache_without_mask),
            "see the tokens after them"
        ),
    ]
}
