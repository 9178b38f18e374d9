//! The three-way proof of every graded suite: it passes on the library, fails on the
//! pristine stubs, and rejects each plausible wrong variant of the table in
//! `wrong/table/` with the message meant for it.

use crate::foundations::self_attention::check_split_heads;
use crate::wrong::table::{self, Variant};
use crate::{grade, Outcome};
use std::collections::BTreeMap;

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

/// The table's variants grouped by exercise id.
fn by_exercise() -> BTreeMap<&'static str, Vec<Variant>> {
    let mut map: BTreeMap<&str, Vec<Variant>> = BTreeMap::new();
    table::all().into_iter().for_each(|v| map.entry(v.id).or_default().push(v));
    map
}

#[test]
fn every_exercise_has_at_least_two_wrong_variants() {
    let map = by_exercise();
    let ids = crate::exercise_ids();
    let unknown: Vec<&&str> = map.keys().filter(|id| !ids.contains(id)).collect();
    assert!(unknown.is_empty(), "the table names exercises that do not exist: {unknown:?}");
    let thin: Vec<String> = ids
        .iter()
        .map(|id| (id, map.get(id).map_or(0, Vec::len)))
        .filter(|&(_, n)| n < 2)
        .map(|(id, n)| format!("{id} ({n})"))
        .collect();
    assert!(thin.is_empty(), "exercises with fewer than two wrong variants: {}", thin.join(", "));
    let mut names: Vec<&str> = map.values().flatten().map(|v| v.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), map.values().map(Vec::len).sum::<usize>(), "a variant is listed twice");
}

/// Runs every variant of the chapter `prefix` and collects what went wrong: a variant that
/// passes, one rejected without its fragment, one whose message also holds another
/// variant's fragment (so the diagnoses could not tell them apart).
fn prove_rejections(prefix: &str) {
    let mut problems = vec![];
    for (id, variants) in by_exercise().into_iter().filter(|(id, _)| id.starts_with(prefix)) {
        for v in &variants {
            let outcome = grade(id, v.run);
            let Some(message) = outcome.failure() else {
                problems.push(format!("{id}: {} passed the suite", v.name));
                continue;
            };
            if !matches!(outcome, Outcome::Failed(_)) {
                problems.push(format!("{id}: {} did not fail cleanly: {message}", v.name));
            } else if !message.contains(v.fragment) {
                problems.push(format!("{id}: {} lacks {:?}: {message}", v.name, v.fragment));
            }
            for other in variants.iter().filter(|o| o.fragment != v.fragment) {
                if message.contains(other.fragment) {
                    problems.push(format!(
                        "{id}: {}'s message also says {:?}, meant for {}",
                        v.name, other.fragment, other.name
                    ));
                }
            }
            let shared = variants.iter().filter(|o| o.fragment == v.fragment).count();
            if shared > 1 {
                problems.push(format!("{id}: {shared} variants share {:?}", v.fragment));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
}

#[test]
fn chapter_1_rejects_each_wrong_variant_with_its_own_diagnosis() {
    prove_rejections("1.");
}

#[test]
fn chapter_2_rejects_each_wrong_variant_with_its_own_diagnosis() {
    prove_rejections("2.");
}

#[test]
fn chapter_3_rejects_each_wrong_variant_with_its_own_diagnosis() {
    prove_rejections("3.");
}

#[test]
fn chapter_4_rejects_each_wrong_variant_with_its_own_diagnosis() {
    prove_rejections("4.");
}

#[test]
fn chapter_5_rejects_each_wrong_variant_with_its_own_diagnosis() {
    prove_rejections("5.");
}

#[test]
fn chapter_6_rejects_each_wrong_variant_with_its_own_diagnosis() {
    prove_rejections("6.");
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
    let Outcome::Panicked(message) = outcome else { panic!("not a panic: {outcome:?}") };
    assert!(message.contains("shape mismatch") && message.contains("dbg!"), "{message}");
}
