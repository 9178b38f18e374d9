//! Numbers the question bank does not type in by hand: a numeric question with
//! `computed_by = "NAME"` names one of these computations, and a test evaluates it and
//! fails if the bank's `value` disagrees with the library.
//!
//! Add a computation here when a chapter's numeric answer can be derived from library
//! code (ZeRO memory, LoRA parameters, BN/LN parameter counts, ...).

use dfdx::prelude::*;
use solutions::Dev;

/// A named computation that a numeric question's answer must equal.
pub struct Computation {
    /// The name a bank entry gives in `computed_by`.
    pub name: &'static str,
    /// What it computes, for the book and for error messages.
    pub what: &'static str,
    pub compute: fn() -> f64,
}

/// Every computation a bank entry may name.
pub const ALL: &[Computation] = &[Computation {
    name: "mha_params_d512_h8",
    what: "trainable parameters of dfdx's `MultiHeadAttention<512, 8>`, biases included",
    compute: mha_params_d512_h8,
}];

/// The computation called `name`, if there is one.
pub fn find(name: &str) -> Option<&'static Computation> {
    ALL.iter().find(|c| c.name == name)
}

/// §1.1: counted by dfdx itself on a real module, so the bank's 4·512² + 4·512 is checked
/// against the layer, not against the same formula typed twice.
fn mha_params_d512_h8() -> f64 {
    let dev = Dev::default();
    let mha = dev.build_module::<builders::MultiHeadAttention<512, 8>, f32>();
    mha.num_trainable_params() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use solutions::foundations::self_attention::MultiHeadSelfAttention;

    #[test]
    fn names_are_unique() {
        for (i, c) in ALL.iter().enumerate() {
            assert!(ALL[i + 1..].iter().all(|d| d.name != c.name), "`{}` twice", c.name);
        }
    }

    /// The course's own layer has exactly as many parameters as dfdx's, which is what
    /// the §1.1 question asks about: four 512×512 weights and four 512-long biases.
    #[test]
    fn the_course_layer_has_as_many_parameters_as_dfdx_s() {
        let dev = Dev::default();
        let ours = MultiHeadSelfAttention::<512, 8>::new(&dev);
        let count: usize = [&ours.w_q, &ours.w_k, &ours.w_v, &ours.w_o]
            .iter()
            .map(|l| l.weight.shape().num_elements() + l.bias.shape().num_elements())
            .sum();
        assert_eq!(count as f64, mha_params_d512_h8());
        assert_eq!(count, 4 * 512 * 512 + 4 * 512);
    }
}
