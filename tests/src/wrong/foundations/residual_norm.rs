//! §1.7: plausible wrong residual blocks.

use crate::gradient::Tr;
use crate::wrong::through_vec;
use dfdx::prelude::*;
use solutions::foundations::residual_norm::{post_norm_block, pre_norm_block, Mlp, Norm};
use solutions::Dev;

type X = Tensor<(usize, Const<8>), f32, Dev, Tr>;

/// Post-Norm written as Pre-Norm: x + F(LN(x)).
pub fn post_norm_as_pre_norm(x: X, norm: &Norm<8>, sublayer: &Mlp<8, 32>) -> X {
    let branch = sublayer.forward(norm.forward(x.with_empty_tape()));
    x + branch
}

/// Pre-Norm written as Post-Norm: LN(x + F(x)).
pub fn pre_norm_as_post_norm(x: X, norm: &Norm<8>, sublayer: &Mlp<8, 32>) -> X {
    let branch = sublayer.forward(x.with_empty_tape());
    norm.forward(x + branch)
}

/// Normalised the residual stream as well: LN(x) + F(LN(x)).
pub fn pre_norm_normalises_the_stream(x: X, norm: &Norm<8>, sublayer: &Mlp<8, 32>) -> X {
    let n = norm.forward(x);
    let branch = sublayer.forward(n.with_empty_tape());
    n + branch
}

/// The right Pre-Norm block, copied out and back in: the tape is dropped.
pub fn pre_norm_through_vec(x: X, norm: &Norm<8>, sublayer: &Mlp<8, 32>) -> X {
    through_vec(pre_norm_block(x, norm, sublayer))
}

/// The right Post-Norm block, copied out and back in: the tape is dropped.
pub fn post_norm_through_vec(x: X, norm: &Norm<8>, sublayer: &Mlp<8, 32>) -> X {
    through_vec(post_norm_block(x, norm, sublayer))
}

/// The branch fed a detached copy of x (a Vec round trip): the values are right, but the
/// gradient only flows through the identity path.
pub fn pre_norm_branch_detached(x: X, norm: &Norm<8>, sublayer: &Mlp<8, 32>) -> X {
    let (dev, shape) = (x.device().clone(), *x.shape());
    let copy = dev.tensor_from_vec(x.as_vec(), shape);
    let branch = sublayer.forward(norm.forward(copy));
    x + branch
}
