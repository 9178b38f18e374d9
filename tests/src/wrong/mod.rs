//! Plausible wrong implementations, one per mistake a learner is likely to make. Each must
//! be rejected by its suite with the message meant for that mistake: `table/` lists them by
//! exercise id, `proofs/mod.rs` proves it.

use crate::gradient::Tr;
use dfdx::prelude::*;
use solutions::Dev;

pub mod applications;
pub mod architectures;
pub mod distillation;
pub mod dpo;
pub mod foundations;
pub mod inference;
pub mod memory;
pub mod nlp;
pub mod number_formats;
pub mod peft;
pub mod pipeline;
pub mod ppo;
pub mod react;
pub mod reasoning;
pub mod ring_allreduce;
pub mod sft_data;
pub mod soft_prompt;
pub mod table;
pub mod tensor_parallel;
pub mod training;

/// The mistake that breaks training without changing a value: the result is copied out
/// with `as_vec()` and back into a new tensor, whose fresh tape has no path to the inputs.
pub fn through_vec<S: Shape>(out: Tensor<S, f32, Dev, Tr>) -> Tensor<S, f32, Dev, Tr> {
    let (dev, shape) = (out.device().clone(), *out.shape());
    dev.tensor_from_vec(out.as_vec(), shape).put_tape(Tr::default())
}
