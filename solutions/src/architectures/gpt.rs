//! §3.2 A GPT from parts (从零搭建 GPT): GPT-2's architecture on dfdx, sized at run time.
//!
//! Papers: Radford et al. 2018 (GPT) and 2019 (GPT-2, *Language Models are Unsupervised
//! Multitask Learners*: pre-norm blocks, a final LayerNorm, residual projections scaled by
//! 1/√(2·layers)). Hugging Face: `transformers.GPT2LMHeadModel`, whose weights this model
//! loads under the same names (`transformer.h.0.attn.c_attn.weight`, ...) and whose
//! logits, loss and gradients it reproduces (see `gpt/tests.rs`); nanoGPT's `GPT`.
//!
//! In candle's order: the [`GptConfig`], then the parts (attention, MLP, block, in
//! `gpt/parts.rs`), then the public [`Gpt`] with `forward` and the loss. §3.4 adds the
//! choice of position scheme, [`Positions`] (`gpt/positions.rs`): GPT-2's learned table
//! (the default, and the only one Hugging Face's GPT-2 has), RoPE or ALiBi.
//!
//! Training with dfdx's machinery (the model is a `TensorCollection`):
//! ```
//! use dfdx::optim::{Adam, AdamConfig};
//! use dfdx::prelude::*;
//! use solutions::architectures::gpt::{Gpt, GptConfig};
//! let dev = Cpu::seed_from_u64(0);
//! use solutions::architectures::gpt::Positions;
//! let positions = Positions::Learned; // or Rope, Alibi (§3.4)
//! let cfg = GptConfig { vocab: 16, context: 8, d_model: 8, heads: 2, layers: 1, positions };
//! let mut model = Gpt::new(&dev, cfg);
//! let mut opt = Adam::new(&model, AdamConfig { lr: 1e-2, ..Default::default() });
//! let x = dev.tensor_from_vec(vec![1, 2, 3, 4], (1, 4));
//! let y = dev.tensor_from_vec(vec![2, 3, 4, 5], (1, 4));
//! let mut grads = model.alloc_grads();
//! let loss = Gpt::loss(model.forward(x.trace(grads)), &y);
//! grads = loss.backward();
//! opt.update(&mut model, &grads).unwrap();
//! model.zero_grads(&mut grads);
//! ```

pub mod parts;
mod positions;

pub use parts::{block_forward, Attention, Block, Conv1D, LayerNorm, Mlp, Stream, LAYER_NORM_EPS};
pub use positions::{alibi_attention, rotate_qk, OptionalMatrix, Positions, ROPE_BASE};

use crate::architectures::lm_masks::{additive, causal_mask};
use crate::architectures::param_count::GptDims;
use crate::architectures::params::{keep, mat, normal, Matrix, Stack, BUILD_UNSUPPORTED};
use crate::foundations::self_attention::Mask;
use crate::training::train_loop::{LanguageModel, Logits, Tokens, Traced};
use crate::Dev;
use dfdx::nn::tensor_collection::{ModuleVisitor, TensorCollection};
use dfdx::prelude::*;
use serde::{Deserialize, Serialize};
use std::cell::Cell;

// ANCHOR: config
/// The shape of a GPT-2-style model; saved beside a checkpoint as JSON.
///
/// Hugging Face's `GPT2Config` names: `vocab_size`, `n_positions`, `n_embd`, `n_head`,
/// `n_layer`. Dropout is not modelled (nanoGPT's recipe and this course train without it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GptConfig {
    /// Tokens in the vocabulary (V).
    pub vocab: usize,
    /// The training context length. With learned positions also the size of the table,
    /// and so the longest input; RoPE and ALiBi accept longer inputs (§3.4).
    pub context: usize,
    /// The width of the residual stream (C).
    pub d_model: usize,
    /// Attention heads (H); `d_model` must be a multiple of it.
    pub heads: usize,
    /// Transformer blocks (L).
    pub layers: usize,
    /// How positions enter (§3.4). Absent in older configs, which are GPT-2's learned table.
    #[serde(default)]
    pub positions: Positions,
}

// ANCHOR_END: config
impl GptConfig {
    /// The same shape in the parameter-count formula's terms, whose `context` counts
    /// learned positions: `context` rows for a learned table, none for RoPE and ALiBi.
    pub fn dims(&self) -> GptDims {
        GptDims {
            vocab: self.vocab as u64,
            context: self.learned_positions() as u64,
            d_model: self.d_model as u64,
            layers: self.layers as u64,
        }
    }

    /// Rows of the position table `wpe`: `context` when learned, 0 otherwise.
    pub fn learned_positions(&self) -> usize {
        match self.positions {
            Positions::Learned => self.context,
            Positions::Rope | Positions::Alibi => 0,
        }
    }
}

/// A GPT-2: token and position embeddings, `layers` pre-norm blocks, a final LayerNorm,
/// and an LM head tied to the token embedding.
#[derive(Debug, Clone)]
pub struct Gpt {
    pub config: GptConfig,
    /// The token embedding (V, C), also the LM head: logits = h · wteᵀ.
    pub wte: Matrix,
    /// The learned position embedding (context, C); `None` with RoPE or ALiBi.
    pub wpe: Option<Matrix>,
    pub h: Vec<Block>,
    pub ln_f: LayerNorm,
}

impl Gpt {
    /// A fresh model with GPT-2's initialisation, drawn from `dev`'s seeded RNG: weights
    /// and embeddings N(0, 0.02²), residual projections N(0, (0.02/√(2·layers))²), biases
    /// 0, LayerNorm gains 1.
    pub fn new(dev: &Dev, config: GptConfig) -> Self {
        let c = config.d_model;
        assert!(
            c.is_multiple_of(config.heads),
            "width {c} is not divisible by {} heads",
            config.heads
        );
        Self {
            config,
            wte: normal(dev, config.vocab, c, 0.02),
            wpe: (config.positions == Positions::Learned)
                .then(|| normal(dev, config.context, c, 0.02)),
            h: (0..config.layers).map(|_| Block::new(dev, &config)).collect(),
            ln_f: LayerNorm::new(dev, c),
        }
    }

    /// Logits (B, T, V) for tokens (B, T): the score of every vocabulary entry as the next
    /// token after each prefix `tokens[b][..=t]`. The tape (for training) rides on the
    /// tokens, as in dfdx's `Embedding`: pass `tokens.trace(grads)` to train.
    // ANCHOR: forward
    pub fn forward<T: Tape<f32, Dev>>(
        &self,
        tokens: Tensor<(usize, usize), usize, Dev, T>,
    ) -> Tensor<(usize, usize, usize), f32, Dev, T> {
        let (b, t) = *tokens.shape();
        let c = self.config.d_model;
        let dev = tokens.device().clone();
        let (tokens, tape) = tokens.split_tape();
        let ids = dev.tensor_from_vec(tokens.as_vec(), (b * t,));
        // Token embeddings: row `token` of wte for each of the N = B·T tokens, (N, C).
        let tok = mat::<NoneTape>(&self.wte).put_tape(tape).gather(ids);
        let x = match &self.wpe {
            // Position embeddings: rows 0..T of wpe, the same for every sequence, (N, C).
            Some(wpe) => {
                assert!(t <= wpe.shape().0 .0, "{t} tokens exceed the {} learned positions", {
                    wpe.shape().0 .0
                });
                let pos = mat::<T>(wpe).slice((0..t, ..));
                let pos = pos.broadcast_like::<_, Axis<0>>(&(b, t, c));
                tok + pos.reshape_like(&(b * t, c))
            }
            // RoPE and ALiBi add nothing here: their positions act inside attention (§3.4).
            None => tok,
        };
        // One causal mask for all blocks, (B, T, T) in §1.1's additive form.
        let mask = additive(&dev, &vec![causal_mask(t); b]);
        self.blocks_and_head(x, &mask, (b, t))
    }
    // ANCHOR_END: forward

    // ANCHOR: blocks_and_head
    /// The blocks, the final LayerNorm and the LM head on embedded tokens x (B·T, C), for
    /// `forward` and for the forward passes that embed or mask differently (packing, §4.6).
    pub fn blocks_and_head<T: Tape<f32, Dev>>(
        &self,
        mut x: Tensor<(usize, usize), f32, Dev, T>,
        mask: &Mask<usize, usize, usize>,
        (b, t): (usize, usize),
    ) -> Tensor<(usize, usize, usize), f32, Dev, T> {
        for block in &self.h {
            x = block.forward(x, mask);
        }
        let x = self.ln_f.forward(x);
        // Subtle: the LM head is wte itself, transposed: the same matrix turns a token into
        // a vector and scores a vector against every token, and receives both gradients.
        // x · wteᵀ as one fused op (`kernels::linear`), equal to
        // `x.matmul(mat::<T>(&self.wte).permute::<_, Axes2<1, 0>>())`.
        let logits = crate::kernels::linear::matmul_transposed(x, &self.wte); // (N, V)
        logits.reshape_like(&(b, t, self.config.vocab))
    }
    // ANCHOR_END: blocks_and_head

    // ANCHOR: loss
    /// The mean cross-entropy of logits (B, T, V) against targets (B, T):
    /// $-\frac{1}{BT}\sum_{b,t} \log \mathrm{softmax}(z_{b,t})_{y_{b,t}}$.
    /// PyTorch: `F.cross_entropy(logits.view(-1, V), targets.view(-1))`.
    pub fn loss<T: Tape<f32, Dev>>(
        logits: Tensor<(usize, usize, usize), f32, Dev, T>,
        targets: &Tensor<(usize, usize), usize, Dev>,
    ) -> Tensor<(), f32, Dev, T> {
        let (b, t, v) = *logits.shape();
        assert_eq!((b, t), *targets.shape(), "logits (B, T, V) and targets (B, T) disagree");
        let logp = logits.reshape_like(&(b * t, v)).log_softmax::<Axis<1>>();
        // Pick each row's log-probability of its target: (N, V) -> (N,).
        let ids = targets.device().tensor_from_vec(targets.as_vec(), (b * t,));
        let picked = logp.select(ids);
        picked.mean().negate()
    }

    // ANCHOR_END: loss
    /// Hugging Face's loss for `model(tokens, labels=tokens)`: the logits at position t
    /// are scored against token t + 1, over B·(T−1) positions (the last has no target).
    pub fn next_token_loss<T: Tape<f32, Dev>>(
        logits: Tensor<(usize, usize, usize), f32, Dev, T>,
        tokens: &Tensor<(usize, usize), usize, Dev>,
    ) -> Tensor<(), f32, Dev, T> {
        let (b, t, _) = *logits.shape();
        let ids = tokens.as_vec();
        let next: Vec<usize> = (0..b).flat_map(|i| ids[i * t + 1..(i + 1) * t].to_vec()).collect();
        let targets = tokens.device().tensor_from_vec(next, (b, t - 1));
        Self::loss(logits.slice((.., 0..t - 1, ..)), &targets)
    }
}

impl TensorCollection<f32, Dev> for Gpt {
    type To<E2: Dtype, D2: Device<E2>> = Self;

    fn iter_tensors<V: ModuleVisitor<Self, f32, Dev>>(
        visitor: &mut V,
    ) -> Result<Option<Self::To<V::E2, V::D2>>, V::Err> {
        // Subtle: the first field also records how many blocks this model has, and whether
        // it has a position table, which the `Stack` of blocks and the optional `wpe` read
        // when they are visited next (see params.rs for why).
        let layers = Cell::new(0);
        let learned = Cell::new(false);
        visitor.visit_fields(
            (
                Self::tensor(
                    "transformer.wte.weight",
                    |s| {
                        layers.set(s.h.len());
                        learned.set(s.wpe.is_some());
                        &s.wte
                    },
                    |s| {
                        layers.set(s.h.len());
                        learned.set(s.wpe.is_some());
                        &mut s.wte
                    },
                    keep(),
                ),
                OptionalMatrix {
                    name: "transformer.wpe.weight",
                    present: &learned,
                    get: |s: &Self| s.wpe.as_ref(),
                    get_mut: |s| s.wpe.as_mut(),
                },
                Stack {
                    prefix: "transformer.h",
                    len: &layers,
                    get: |s: &Self| &s.h[..],
                    get_mut: |s| &mut s.h[..],
                },
                Self::module("transformer.ln_f", |s| &s.ln_f, |s| &mut s.ln_f),
            ),
            |_| unreachable!("{BUILD_UNSUPPORTED}"),
        )
    }
}

/// What the training loop of §3.5 drives: `forward` with and without a tape.
impl LanguageModel for Gpt {
    fn forward_traced(&self, tokens: Tokens<Traced>) -> Logits<Traced> {
        self.forward(tokens)
    }
    fn forward_logits(&self, tokens: Tokens) -> Logits {
        self.forward(tokens)
    }
}

#[cfg(test)]
mod tests;
