//! §1.7 Pre-Norm vs Post-Norm residual blocks (Pre-Norm 与 Post-Norm).
//!
//! Papers: the original Transformer normalises after the residual sum (Post-Norm,
//! arXiv 1706.03762); Xiong et al., *On Layer Normalization in the Transformer
//! Architecture*, 2020, arXiv 2002.04745, analyse why Post-Norm needs a learning-rate
//! warm-up and Pre-Norm does not. PyTorch: `nn.TransformerEncoderLayer(norm_first=...)`.
//!
//! Post-Norm: $x_{l+1} = \mathrm{LN}(x_l + F(x_l))$. Every path from the output back to an
//! early layer passes through L normalisations. Pre-Norm: $x_{l+1} = x_l + F(\mathrm{LN}(x_l))$.
//! The residual stream is an untouched sum, so the gradient reaches every layer through an
//! identity path. Pre-Norm trains more easily; Post-Norm, when it trains, often ends
//! slightly better. One argument: a deep Pre-Norm stack behaves like a shallower, wider one,
//! because each layer adds a small update to an ever larger sum.

use crate::Dev;
use dfdx::prelude::*;

/// A position-wise MLP sublayer: Linear, GELU, Linear, as in a Transformer block.
pub type Mlp<const M: usize, const F: usize> =
    (modules::Linear<M, F, f32, Dev>, FastGeLU, modules::Linear<F, M, f32, Dev>);

/// The layer normalisation used by both blocks.
pub type Norm<const M: usize> = modules::LayerNorm1D<M, f32, Dev>;

/// Pre-Norm: $x + F(\mathrm{LN}(x))$. `x` is (B, M); `sublayer` is F.
// ANCHOR: pre_norm_block
pub fn pre_norm_block<B: Dim, const M: usize, T, F>(
    x: Tensor<(B, Const<M>), f32, Dev, T>,
    norm: &Norm<M>,
    sublayer: &F,
) -> Tensor<(B, Const<M>), f32, Dev, T>
where
    T: Tape<f32, Dev>,
    F: Module<Tensor<(B, Const<M>), f32, Dev, T>, Output = Tensor<(B, Const<M>), f32, Dev, T>>,
    F::Error: std::fmt::Debug,
{
    // The branch works on a copy of x with an empty tape; adding x back merges the tapes,
    // so the gradient flows through both the branch and the identity path.
    let branch = sublayer.forward(norm.forward(x.with_empty_tape()));
    // The residual stream itself is never normalised.
    x + branch
}
// ANCHOR_END: pre_norm_block

/// Post-Norm: $\mathrm{LN}(x + F(x))$, the original Transformer's order.
// ANCHOR: post_norm_block
pub fn post_norm_block<B: Dim, const M: usize, T, F>(
    x: Tensor<(B, Const<M>), f32, Dev, T>,
    norm: &Norm<M>,
    sublayer: &F,
) -> Tensor<(B, Const<M>), f32, Dev, T>
where
    T: Tape<f32, Dev>,
    F: Module<Tensor<(B, Const<M>), f32, Dev, T>, Output = Tensor<(B, Const<M>), f32, Dev, T>>,
    F::Error: std::fmt::Debug,
{
    let branch = sublayer.forward(x.with_empty_tape());
    // Normalising the sum puts a LayerNorm on the residual path of every layer.
    norm.forward(x + branch)
}
// ANCHOR_END: post_norm_block

/// Which residual ordering a stack uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    PreNorm,
    PostNorm,
}

/// A stack of `depth` residual MLP blocks of width M (hidden 4M), freshly initialised.
pub struct Stack<const M: usize, const F: usize> {
    pub placement: Placement,
    pub layers: Vec<(Norm<M>, Mlp<M, F>)>,
    /// Pre-Norm stacks end with a final LayerNorm (as GPT-2 does); Post-Norm ones already
    /// end normalised.
    pub final_norm: Norm<M>,
}

impl<const M: usize, const F: usize> Stack<M, F> {
    pub fn new(dev: &Dev, placement: Placement, depth: usize) -> Self {
        let layers = (0..depth)
            .map(|_| {
                let norm = dev.build_module::<builders::LayerNorm1D<M>, f32>();
                let mut mlp = dev.build_module::<(
                    builders::Linear<M, F>,
                    builders::FastGeLU,
                    builders::Linear<F, M>,
                ), f32>();
                // The usual Transformer initialisation, N(0, 1/fan_in): the branch then
                // contributes about as much as the stream it is added to. (dfdx's default
                // uniform init makes every branch tiny and hides the effect.)
                mlp.0.weight = dev.sample_normal() * (1.0 / (M as f32).sqrt());
                mlp.2.weight = dev.sample_normal() * (1.0 / (F as f32).sqrt());
                (norm, mlp)
            })
            .collect();
        let final_norm = dev.build_module::<builders::LayerNorm1D<M>, f32>();
        Self { placement, layers, final_norm }
    }

    pub fn forward<B: Dim, T: Tape<f32, Dev>>(
        &self,
        mut x: Tensor<(B, Const<M>), f32, Dev, T>,
    ) -> Tensor<(B, Const<M>), f32, Dev, T> {
        for (norm, mlp) in &self.layers {
            x = match self.placement {
                Placement::PreNorm => pre_norm_block(x, norm, mlp),
                Placement::PostNorm => post_norm_block(x, norm, mlp),
            };
        }
        match self.placement {
            Placement::PreNorm => self.final_norm.forward(x),
            Placement::PostNorm => x,
        }
    }

    /// The gradient norm of each layer's first weight matrix for the loss
    /// $\mathrm{mean}((\text{stack}(x) - y)^2)$ on a random batch: where, at
    /// initialisation, the learning signal is strong and where it is weak.
    pub fn layer_gradient_norms(&self, dev: &Dev, batch: usize) -> Vec<f32> {
        let x: Tensor<(usize, Const<M>), f32, Dev> = dev.sample_normal_like(&(batch, Const));
        let y: Tensor<(usize, Const<M>), f32, Dev> = dev.sample_normal_like(&(batch, Const));
        let out = self.forward(x.trace(Gradients::leaky()));
        let grads = mse_loss(out, y).backward();
        let norm = |w: &Tensor<Rank2<F, M>, f32, Dev>| {
            grads.get(w).as_vec().iter().map(|g| g * g).sum::<f32>().sqrt()
        };
        self.layers.iter().map(|(_, mlp)| norm(&mlp.0.weight)).collect()
    }
}

pub mod training;

#[cfg(test)]
mod tests;
