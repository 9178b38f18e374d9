//! Chapter 4's wrong variants, with the check each runs and the fragment meant for it.

use super::{variant, Variant};
use crate::training::number_formats::*;
use crate::wrong::number_formats as nf;

/// §4.1 to §4.9.
pub fn variants() -> Vec<Variant> {
    vec![
        // §4.7
        variant!("4.7.to_bf16", check_to_bf16(nf::to_bf16_truncate), "you truncated"),
        variant!("4.7.to_bf16", check_to_bf16(nf::to_bf16_ties_away), "rounded away from zero"),
        variant!("4.7.to_bf16", check_to_bf16(nf::to_bf16_nan_to_inf), "NaN became infinity"),
        variant!("4.7.from_bf16", check_from_bf16(nf::from_bf16_value), "the integer's value"),
        variant!("4.7.from_bf16", check_from_bf16(nf::from_bf16_no_shift), "into the low half"),
        variant!("4.7.from_bf16", check_from_bf16(nf::from_bf16_unsigned), "sign was lost"),
    ]
}
