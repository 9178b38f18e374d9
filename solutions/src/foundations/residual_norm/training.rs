//! A small training run of Pre-Norm and Post-Norm stacks, without learning-rate warm-up.
//!
//! The same residual MLP blocks as [`super::pre_norm_block`] and [`super::post_norm_block`],
//! assembled from dfdx's modules (`Residual`, `Repeated`) so that dfdx's Adam can train
//! them; a test holds the two formulations equal.

use crate::Dev;
use dfdx::optim::{Adam, AdamConfig};
use dfdx::prelude::*;

/// Width, hidden width and depth of the stacks trained here.
pub const M: usize = 32;
pub const F: usize = 128;
pub const DEPTH: usize = 12;

type Mlp = (Linear<M, F>, FastGeLU, Linear<F, M>);
/// x + MLP(LN(x)), repeated, then a final LayerNorm.
pub type PreNormStack = (Repeated<Residual<(LayerNorm1D<M>, Mlp)>, DEPTH>, LayerNorm1D<M>);
/// LN(x + MLP(x)), repeated.
pub type PostNormStack = Repeated<(Residual<Mlp>, LayerNorm1D<M>), DEPTH>;

/// Trains a stack for `steps` Adam steps at a constant learning rate `lr` (no warm-up) to
/// imitate a fixed random teacher network, and returns the loss after every step.
pub fn train<S>(seed: u64, lr: f64, steps: usize) -> Vec<f32>
where
    S: BuildOnDevice<Dev, f32>,
    S::Built: Module<
            Tensor<(usize, Const<M>), f32, Dev, OwnedTape<f32, Dev>>,
            Output = Tensor<(usize, Const<M>), f32, Dev, OwnedTape<f32, Dev>>,
        > + TensorCollection<f32, Dev>,
    <S::Built as Module<Tensor<(usize, Const<M>), f32, Dev, OwnedTape<f32, Dev>>>>::Error:
        std::fmt::Debug,
{
    let dev = Dev::seed_from_u64(seed);
    let teacher = dev.build_module::<(Linear<M, M>, Tanh, Linear<M, M>), f32>();
    let mut model = dev.build_module::<S, f32>();
    let mut grads = model.alloc_grads();
    let mut opt = Adam::new(&model, AdamConfig { lr, ..Default::default() });
    let mut losses = Vec::with_capacity(steps);
    for _ in 0..steps {
        let x: Tensor<(usize, Const<M>), f32, Dev> = dev.sample_normal_like(&(64, Const));
        let y = teacher.forward(x.clone()) * 3.0;
        let loss = mse_loss(model.forward(x.traced(grads)), y);
        losses.push(loss.array());
        grads = loss.backward();
        opt.update(&mut model, &grads).expect("every parameter has a gradient");
        model.zero_grads(&mut grads);
    }
    losses
}

/// The mean loss over the last 20 steps of a run.
pub fn final_loss(losses: &[f32]) -> f32 {
    let tail = &losses[losses.len().saturating_sub(20)..];
    tail.iter().sum::<f32>() / tail.len() as f32
}

#[cfg(test)]
mod tests;
