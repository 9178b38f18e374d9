//! The three-way proof of every graded suite: it passes on the library, fails on the
//! pristine stubs, and rejects each plausible wrong variant with the message meant for it.

use crate::foundations::self_attention::check_split_heads;
use crate::{grade, Check, Outcome};

mod foundations;
mod nlp;

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
pub(crate) fn rejects(check: Check, expected: &str) {
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
fn a_panic_is_reported_as_a_panic_with_advice() {
    let outcome = grade("1.1.split_heads", || check_split_heads(|_x, _h| panic!("shape mismatch")));
    assert!(
        matches!(outcome, Outcome::Panicked(ref m) if m.contains("shape mismatch") && m.contains("dbg!"))
    );
}
