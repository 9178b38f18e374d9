//! Numbers the question bank does not type in by hand: a numeric question with
//! `computed_by = "NAME"` names one of these computations, and a test evaluates it and
//! fails if the bank's `value` disagrees with the library.
//!
//! Add a computation here when a chapter's numeric answer can be derived from library
//! code (ZeRO memory, LoRA parameters, BN/LN parameter counts, ...).

use dfdx::prelude::*;
use solutions::foundations::alibi::alibi_slopes;
use solutions::foundations::normalization::layer_norm_params;
use solutions::foundations::optimizers::state_floats_per_param;
use solutions::foundations::rope_scaling::{interpolate_positions, ntk_scaled_base};
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
pub const ALL: &[Computation] = &[
    Computation {
        name: "mha_params_d512_h8",
        what: "trainable parameters of dfdx's `MultiHeadAttention<512, 8>`, biases included",
        compute: mha_params_d512_h8,
    },
    Computation {
        name: "bn_learnable_params_c64",
        what: "trainable parameters of dfdx's `BatchNorm1D<64>` (γ and β)",
        compute: bn_learnable_params_c64,
    },
    Computation {
        name: "bn_stored_numbers_c64",
        what: "numbers a `BatchNorm1D<64>` stores: γ, β, running mean and running variance",
        compute: bn_stored_numbers_c64,
    },
    Computation {
        name: "ln_params_d768",
        what: "trainable parameters of dfdx's `LayerNorm1D<768>`",
        compute: ln_params_d768,
    },
    Computation {
        name: "ln_params_3x4x5",
        what: "`normalization::layer_norm_params(&[3, 4, 5])`: a LayerNorm over a 3×4×5 map",
        compute: || layer_norm_params(&[3, 4, 5]) as f64,
    },
    Computation {
        name: "adam_state_floats_per_param",
        what: "`optimizers::state_floats_per_param(\"adam\")`",
        compute: || state_floats_per_param("adam").unwrap() as f64,
    },
    Computation {
        name: "sgd_momentum_state_floats_per_param",
        what: "`optimizers::state_floats_per_param(\"sgd_momentum\")`",
        compute: || state_floats_per_param("sgd_momentum").unwrap() as f64,
    },
    Computation {
        name: "alibi_slope_head1_of_8",
        what: "`alibi::alibi_slopes(8)[0]`, the slope of the first of 8 heads",
        compute: || alibi_slopes(8)[0] as f64,
    },
    Computation {
        name: "alibi_slope_head8_of_8",
        what: "`alibi::alibi_slopes(8)[7]`, the slope of the last of 8 heads",
        compute: || alibi_slopes(8)[7] as f64,
    },
    Computation {
        name: "pi_position_3000_of_8192_trained_2048",
        what: "`rope_scaling::interpolate_positions(3000, 2048, 8192)`",
        compute: || interpolate_positions(3000, 2048, 8192),
    },
    Computation {
        name: "ntk_base_10000_s4_d128",
        what: "`rope_scaling::ntk_scaled_base(10000.0, 4.0, 128)`",
        compute: || ntk_scaled_base(10000.0, 4.0, 128),
    },
];

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

/// §1.8: counted by dfdx on a real module, not by the library's own formula.
fn bn_learnable_params_c64() -> f64 {
    let bn = Dev::default().build_module::<builders::BatchNorm1D<64>, f32>();
    bn.num_trainable_params() as f64
}

/// §1.8: every tensor the module holds, learned or not.
fn bn_stored_numbers_c64() -> f64 {
    let bn = Dev::default().build_module::<builders::BatchNorm1D<64>, f32>();
    let sizes = [&bn.scale, &bn.bias, &bn.running_mean, &bn.running_var];
    sizes.iter().map(|t| t.shape().num_elements()).sum::<usize>() as f64
}

/// §1.8: counted by dfdx on a real module.
fn ln_params_d768() -> f64 {
    let ln = Dev::default().build_module::<builders::LayerNorm1D<768>, f32>();
    ln.num_trainable_params() as f64
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

    /// The counts computed from dfdx modules agree with the library's formulas.
    #[test]
    fn module_counts_agree_with_the_library_formulas() {
        use solutions::foundations::normalization::{batch_norm_params, batch_norm_state};
        assert_eq!(bn_learnable_params_c64(), batch_norm_params(64) as f64);
        assert_eq!(bn_stored_numbers_c64(), batch_norm_state(64) as f64);
        assert_eq!(ln_params_d768(), layer_norm_params(&[768]) as f64);
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
