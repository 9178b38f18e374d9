//! §4.5 P-tuning: virtual tokens made by a prompt encoder (P-tuning / 提示编码器).
//!
//! Paper: Liu et al. 2021, "GPT Understands, Too", arXiv 2103.10385, §3.2. Where prompt
//! tuning ([`super::soft_prompt`]) trains the virtual-token embeddings directly, P-tuning
//! trains a small network that *produces* them: $h_i = \mathrm{MLP}(\mathrm{LSTM}(e_{0..p}))_i$
//! from trainable inputs $e_i$. The paper's reasons: trained directly, the embeddings are
//! stuck near the (discrete, pre-trained) embedding manifold of the model and each one moves
//! on its own, while a reparameterisation couples them and eases optimisation. After
//! training the encoder is run once and thrown away; inference uses its p × C output like a
//! soft prompt. Hugging Face: `peft`'s `PromptEncoderConfig(num_virtual_tokens=p,
//! encoder_hidden_size=H, encoder_reparameterization_type="MLP" | "LSTM")`.
//!
//! Deviation, stated: our encoder is the MLP variant (two `Conv1D` layers with a ReLU),
//! not the paper's bidirectional LSTM. dfdx 0.13 has no recurrent layer; `peft` offers the
//! MLP as an equal option; and the LSTM's job, making the virtual tokens depend on each
//! other, matters less for p = 4 tokens than the reparameterisation both variants share.
//! What the MLP cannot do is let token i see token j: each row is encoded on its own.

use crate::architectures::gpt::Conv1D;
use crate::architectures::params::{keep, mat, normal, Matrix, BUILD_UNSUPPORTED};
use crate::Dev;
use dfdx::nn::tensor_collection::{ModuleVisitor, TensorCollection};
use dfdx::prelude::*;

/// The trainable part of P-tuning: the encoder's inputs and its two layers.
#[derive(Debug, Clone)]
pub struct PromptEncoder {
    /// (p, C): one trainable input per virtual token (`peft`'s `embedding`).
    pub input: Matrix,
    /// C -> H, followed by a ReLU.
    pub hidden: Conv1D,
    /// H -> C: back to the width of the model's embeddings.
    pub output: Conv1D,
}

impl PromptEncoder {
    /// `p` virtual tokens for a model of width `c`, through a hidden layer of `h`: inputs
    /// N(0, 1) (an `nn.Embedding`'s default), both layers N(0, 1/fan-in).
    ///
    /// Subtle: an output layer scaled down to the GPT's 0.02 looks tidier but made prompts
    /// too small to move attention, and training stalled (measured while writing this).
    pub fn new(dev: &Dev, p: usize, c: usize, h: usize) -> Self {
        Self {
            input: normal(dev, p, c, 1.0),
            hidden: Conv1D::new(dev, c, h, 1.0 / (c as f32).sqrt()),
            output: Conv1D::new(dev, h, c, 1.0 / (h as f32).sqrt()),
        }
    }

    // ANCHOR: encode
    /// The virtual tokens (p, C) = W₂·ReLU(W₁·e + b₁) + b₂ for each input row e: the
    /// prompt that [`crate::architectures::gpt::Gpt::forward_with_prompt`] reads, on
    /// whatever tape `e` (the encoder's inputs) carries.
    fn encode<T: Tape<f32, Dev>>(
        &self,
        e: Tensor<(usize, usize), f32, Dev, T>,
    ) -> Tensor<(usize, usize), f32, Dev, T> {
        self.output.forward(self.hidden.forward(e).relu()) // (p, H) -> (p, C)
    }
    // ANCHOR_END: encode

    /// The prompt for training, on a tape that collects into `grads` (from
    /// `encoder.alloc_grads()`): the gradient reaches the inputs and both layers.
    pub fn prompt_traced(
        &self,
        grads: Gradients<f32, Dev>,
    ) -> Tensor<(usize, usize), f32, Dev, OwnedTape<f32, Dev>> {
        self.encode(mat::<NoneTape>(&self.input).traced(grads))
    }

    /// The prompt without a tape: what is kept for inference once training is done.
    pub fn prompt(&self) -> Tensor<(usize, usize), f32, Dev> {
        self.encode(mat::<NoneTape>(&self.input))
    }

    /// Virtual tokens p.
    pub fn len(&self) -> usize {
        self.input.shape().0 .0
    }

    /// Whether the encoder makes no virtual token.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

// ANCHOR: p_tuning_params
/// Trainable numbers of P-tuning's MLP encoder for `p` virtual tokens at width `d` with a
/// hidden layer of `h`: the inputs $pd$, the first layer $dh + h$, the second $hd + d$.
/// Only $pd$ of them are kept for inference.
///
/// ```
/// use solutions::training::p_tuning::p_tuning_params;
/// // 4 tokens, width 32, hidden 64: 128 + 2,112 + 2,080 = 4,320.
/// assert_eq!(p_tuning_params(4, 32, 64), 4_320);
/// ```
pub fn p_tuning_params(p: u64, d: u64, h: u64) -> u64 {
    p * d + (d * h + h) + (h * d + d)
}
// ANCHOR_END: p_tuning_params

impl TensorCollection<f32, Dev> for PromptEncoder {
    type To<E2: Dtype, D2: Device<E2>> = Self;

    fn iter_tensors<V: ModuleVisitor<Self, f32, Dev>>(
        visitor: &mut V,
    ) -> Result<Option<Self::To<V::E2, V::D2>>, V::Err> {
        visitor.visit_fields(
            (
                Self::tensor("embedding", |s| &s.input, |s| &mut s.input, keep()),
                Self::module("mlp.0", |s| &s.hidden, |s| &mut s.hidden),
                Self::module("mlp.2", |s| &s.output, |s| &mut s.output),
            ),
            |_| unreachable!("{BUILD_UNSUPPORTED}"),
        )
    }
}

#[cfg(test)]
mod tests;
