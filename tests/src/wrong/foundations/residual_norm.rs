//! §1.7: plausible wrong residual blocks.

use dfdx::prelude::*;
use solutions::foundations::residual_norm::{Mlp, Norm};
use solutions::Dev;

type X = Tensor<(usize, Const<8>), f32, Dev>;

/// Post-Norm written as Pre-Norm: x + F(LN(x)).
pub fn post_norm_as_pre_norm(x: X, norm: &Norm<8>, sublayer: &Mlp<8, 32>) -> X {
    let branch = sublayer.forward(norm.forward(x.clone()));
    x + branch
}

/// Pre-Norm written as Post-Norm: LN(x + F(x)).
pub fn pre_norm_as_post_norm(x: X, norm: &Norm<8>, sublayer: &Mlp<8, 32>) -> X {
    let branch = sublayer.forward(x.clone());
    norm.forward(x + branch)
}

/// Normalised the residual stream as well: LN(x) + F(LN(x)).
pub fn pre_norm_normalises_the_stream(x: X, norm: &Norm<8>, sublayer: &Mlp<8, 32>) -> X {
    let n = norm.forward(x);
    let branch = sublayer.forward(n.clone());
    n + branch
}
