//! The graded suites (评测), written once and run three ways.
//!
//! Each exercise has a `check_*` function that takes the implementation under test as a
//! value and returns `Ok(())` or a [`Failure`] whose message says what is wrong, by how
//! much, and the likely cause. The same function runs
//! 1. against the library (`solutions`), where it must pass;
//! 2. against the pristine stubs generated from the library, where it must fail;
//! 3. against plausible wrong implementations, where it must fail with the message meant
//!    for that mistake.
//!
//! All three are proven by this crate's own tests (`cargo test` at the root). Learners run
//! the same checks on their own code through `exercises/tests/grade.rs`.

pub mod compare;
pub mod foundations;
pub mod report;

pub use report::{grade, Failure, Outcome};

/// The result of one check.
pub type Check = Result<(), Failure>;

/// Calls `$callback!(krate, test_name, "id", module::path, item, check)` once per exercise,
/// where `krate` is the implementation under test (`solutions`, `exercises`, or a module
/// holding stubs or wrong variants). This list binds each exercise id to its check.
#[macro_export]
macro_rules! for_each_exercise {
    ($callback:ident, $krate:ident) => {
        $callback!(
            $krate,
            ex_1_1_attention_weights,
            "1.1.attention_weights",
            foundations::self_attention,
            attention_weights,
            check_attention_weights
        );
        $callback!(
            $krate,
            ex_1_1_scaled_dot_product_attention,
            "1.1.scaled_dot_product_attention",
            foundations::self_attention,
            scaled_dot_product_attention,
            check_scaled_dot_product_attention
        );
        $callback!(
            $krate,
            ex_1_1_split_heads,
            "1.1.split_heads",
            foundations::self_attention,
            split_heads,
            check_split_heads
        );
        $callback!(
            $krate,
            ex_1_1_merge_heads,
            "1.1.merge_heads",
            foundations::self_attention,
            merge_heads,
            check_merge_heads
        );
    };
}

/// The ids [`for_each_exercise!`] knows, to check them against `exercises/info.toml`.
pub fn exercise_ids() -> Vec<&'static str> {
    let mut ids = vec![];
    macro_rules! id {
        ($krate:ident, $test:ident, $id:literal, $($rest:tt)*) => {
            ids.push($id)
        };
    }
    for_each_exercise!(id, unused);
    ids
}

/// One `#[test]` that grades one exercise of `$krate`; used by `exercises/tests/grade.rs`.
#[macro_export]
macro_rules! grade_test {
    ($krate:ident, $test:ident, $id:literal, $($module:ident)::+, $item:ident, $check:ident) => {
        #[test]
        fn $test() {
            let outcome = $crate::grade($id, || $crate::$($module)::+::$check($krate::$($module)::+::$item));
            if let Some(message) = outcome.failure() {
                panic!("\n{message}\n");
            }
        }
    };
}

#[cfg(test)]
#[allow(unused_variables, dead_code, clippy::all)]
mod pristine {
    include!(concat!(env!("OUT_DIR"), "/pristine.rs"));
}

#[cfg(test)]
mod proofs;
#[cfg(test)]
mod wrong;
