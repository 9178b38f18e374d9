//! The three-way proof of every graded suite: it passes on the library, fails on the
//! pristine stubs, and rejects each plausible wrong variant with the message meant for it.

use crate::foundations::self_attention::*;
use crate::wrong::foundations::self_attention as wrong;
use crate::{grade, Check, Outcome};

macro_rules! passes {
    ($krate:ident, $test:ident, $id:literal, $($module:ident)::+, $item:ident, $check:ident) => {
        #[test]
        fn $test() {
            let outcome = grade($id, || crate::$($module)::+::$check($krate::$($module)::+::$item));
            assert_eq!(outcome, Outcome::Passed, "the library fails its own suite");
        }
    };
}

macro_rules! fails_untouched {
    ($krate:ident, $test:ident, $id:literal, $($module:ident)::+, $item:ident, $check:ident) => {
        #[test]
        fn $test() {
            let outcome = grade($id, || crate::$($module)::+::$check($krate::$($module)::+::$item));
            assert!(matches!(outcome, Outcome::NotStarted(_)), "pristine stub: {outcome:?}");
            assert!(outcome.failure().unwrap().contains("not started"));
        }
    };
}

mod on_the_library {
    use super::*;
    for_each_exercise!(passes, solutions);
}

mod on_the_pristine_stubs {
    use super::*;
    use crate::pristine;
    for_each_exercise!(fails_untouched, pristine);
}

/// Asserts that a check fails and that its message contains `expected`.
fn rejects(check: Check, expected: &str) {
    let message = check.expect_err("a wrong variant passed the suite").0;
    assert!(message.contains(expected), "expected the message to say {expected:?}, got: {message}");
}

#[test]
fn catalogue_and_suites_name_the_same_exercises() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let catalog = stubgen::Catalog::load(&root).unwrap();
    let listed: Vec<&str> = catalog.exercises.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(listed, crate::exercise_ids(), "exercises/info.toml and for_each_exercise! differ");
    assert!(crate::report::stub_marker() == stubgen::NOT_STARTED);
}

#[test]
fn attention_weights_rejects_the_known_mistakes() {
    rejects(check_attention_weights(wrong::weights_unscaled), "the 1/√d_k factor is missing");
    rejects(check_attention_weights(wrong::weights_one_over_dk), "you scaled by 1/d_k");
    rejects(
        check_attention_weights(wrong::weights_scaled_after_softmax),
        "applied after the softmax",
    );
    rejects(check_attention_weights(wrong::weights_softmax_over_queries), "over the query axis");
    rejects(check_attention_weights(wrong::weights_ignore_mask), "which the mask forbids");
    rejects(
        check_attention_weights(wrong::weights_mask_after_softmax),
        "The mask belongs before the softmax",
    );
}

#[test]
fn scaled_dot_product_attention_rejects_the_known_mistakes() {
    rejects(check_scaled_dot_product_attention(wrong::sdpa_unscaled), "scale is missing");
    rejects(check_scaled_dot_product_attention(wrong::sdpa_ignore_mask), "pass `mask`");
}

#[test]
fn head_split_and_merge_reject_a_missing_permute() {
    rejects(check_split_heads(wrong::split_heads_no_permute), "reshaped straight to (B, H, S, D)");
    rejects(check_merge_heads(wrong::merge_heads_no_permute), "reshaped straight to (B, S, H·D)");
}

#[test]
fn a_panic_is_reported_as_a_panic_with_advice() {
    let outcome = grade("1.1.split_heads", || check_split_heads(|_x, _h| panic!("shape mismatch")));
    assert!(
        matches!(outcome, Outcome::Panicked(ref m) if m.contains("shape mismatch") && m.contains("dbg!"))
    );
}
