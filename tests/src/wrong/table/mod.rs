//! The wrong variants as one table keyed by exercise id: each entry names a plausible
//! mistake, runs the exercise's check on it, and gives the fragment of the message meant for
//! that mistake. The proofs (`proofs/mod.rs`) require at least two entries per exercise,
//! each rejected with its own fragment and with no other entry's fragment for the same
//! exercise, so that every diagnosis is distinct and a new exercise without wrong variants
//! fails `cargo test`.

use crate::Check;

mod applications;
mod architectures;
mod distillation;
mod foundations;
mod inference;
mod nlp;
mod react;
mod reasoning;
mod training;

/// One plausible wrong implementation of one exercise.
pub struct Variant {
    /// The exercise id, as in `exercises/info.toml`.
    pub id: &'static str,
    /// The wrong function's path under `crate::wrong`.
    pub name: &'static str,
    /// The exercise's check, run on the wrong function.
    pub run: fn() -> Check,
    /// A fragment of the message meant for this mistake, and for no other of the exercise.
    pub fragment: &'static str,
}

/// `variant!("1.1.split_heads", check_split_heads(wrong::split_heads_no_permute), "…")`.
macro_rules! variant {
    ($id:literal, $check:ident($($wrong:ident)::+), $fragment:expr) => {
        $crate::wrong::table::Variant {
            id: $id,
            name: stringify!($($wrong)::+),
            run: || $check($($wrong)::+),
            fragment: $fragment,
        }
    };
}
use variant;

/// Every wrong variant of every exercise.
pub fn all() -> Vec<Variant> {
    let mut all = foundations::variants();
    all.extend(nlp::variants());
    all.extend(architectures::variants());
    all.extend(inference::variants());
    all.extend(training::variants());
    all.extend(applications::variants());
    all.extend(reasoning::variants());
    all.extend(react::variants());
    all.extend(distillation::variants());
    all
}

/// The fragment of the message for an implementation whose values are right but whose
/// output is off the tape.
pub const TAPE_DROPPED: &str = "the tape was dropped";
