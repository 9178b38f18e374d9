//! §4.5 Prompt tuning: a soft prompt for a frozen GPT (提示微调 / 软提示).
//!
//! Paper: Lester, Al-Rfou and Constant 2021, "The Power of Scale for Parameter-Efficient
//! Prompt Tuning", arXiv 2104.08691, §2. The model is frozen; what is learned is a matrix
//! $P_e \in \mathbb R^{p \times C}$ of $p$ *virtual tokens*, which are prepended to the
//! embedded input $X_e \in \mathbb R^{T \times C}$, so that the frozen network reads
//! $[P_e; X_e] \in \mathbb R^{(p+T) \times C}$. Only $P_e$ receives updates: $p \cdot C$
//! trainable numbers per task instead of the whole model. Hugging Face: `peft`'s
//! `PromptTuningConfig(task_type="CAUSAL_LM", num_virtual_tokens=p,
//! prompt_tuning_init="RANDOM" | "TEXT")`, whose `PeftModelForCausalLM.forward`
//! concatenates the prompt in front of `inputs_embeds` and lets GPT-2 add the position
//! embeddings 0..p+T to the whole sequence, as [`soft_prompt`] does.

use crate::architectures::gpt::Gpt;
use crate::architectures::lm_masks::{additive, causal_mask};
use crate::architectures::params::{keep, mat, Dyn, Matrix, BUILD_UNSUPPORTED};
use crate::Dev;
use dfdx::nn::tensor_collection::{ModuleVisitor, TensorCollection};
use dfdx::prelude::*;

/// The trainable part of prompt tuning: `p` virtual-token embeddings, (p, C).
#[derive(Debug, Clone)]
pub struct SoftPrompt {
    /// (p, C), one row per virtual token, in the width of the model's embeddings.
    pub embedding: Matrix,
}

impl SoftPrompt {
    /// A prompt initialised with the embeddings of real tokens (`peft`'s
    /// `prompt_tuning_init="TEXT"`; Lester et al. §3.2 found initialising from vocabulary
    /// embeddings better than random for small models): row i is row `ids[i]` of `wte`.
    pub fn from_tokens(model: &Gpt, ids: &[usize]) -> Self {
        let dev = model.wte.device().clone();
        let c = model.config.d_model;
        let ids_t = dev.tensor_from_vec(ids.to_vec(), (ids.len(),));
        let rows = mat::<NoneTape>(&model.wte).gather(ids_t); // (p, C)
                                                              // Subtle: a fresh tensor (new id, own data), not a view of wte, so that training the
                                                              // prompt can never write into the frozen table.
        Self { embedding: dev.tensor_from_vec(rows.as_vec(), (Dyn(ids.len()), Dyn(c))) }
    }

    /// Virtual tokens p.
    pub fn len(&self) -> usize {
        self.embedding.shape().0 .0
    }

    /// Whether the prompt has no virtual token.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

// ANCHOR: soft_prompt
/// The input of the frozen GPT's first block with a soft prompt: the `p` virtual tokens
/// `prompt` (p, C), then the embedded `tokens` (B, T), with the learned position embedding
/// of 0..p+T added to the whole sequence. Returns (B, p+T, C); the tape is `prompt`'s only.
///
/// Worked example: p = 2, one row of T = 3 tokens, learned positions. Row 0 of the result is
/// `prompt[0] + wpe[0]`, row 1 `prompt[1] + wpe[1]`, and row 2 + j is `wte[tokens[j]] +
/// wpe[2 + j]`: the first real token sits at position 2, as it would after two real tokens.
pub fn soft_prompt<T: Tape<f32, Dev>>(
    model: &Gpt,
    prompt: Tensor<(usize, usize), f32, Dev, T>,
    tokens: &Tensor<(usize, usize), usize, Dev>,
) -> Tensor<(usize, usize, usize), f32, Dev, T> {
    let (b, t) = *tokens.shape();
    let (p, c) = *prompt.shape();
    let dev = prompt.device().clone();
    // The frozen embedding table, read without the tape: a constant, like
    // `requires_grad_(False)` in PyTorch. (B, T, C)
    let ids = dev.tensor_from_vec(tokens.as_vec(), (b * t,));
    let embedded = mat::<NoneTape>(&model.wte).gather(ids).reshape_like(&(b, t, c));
    // The same p virtual tokens in front of every row of the batch: (p, C) -> (B, p, C).
    let virtual_tokens = prompt.broadcast_like::<_, Axis<0>>(&(b, p, c));
    let x = (virtual_tokens, embedded).concat_along(Axis::<1>); // (B, p+T, C)
    match &model.wpe {
        // Subtle: positions are added after the concatenation, so the real tokens sit at
        // p..p+T and the virtual ones at 0..p, as in `peft`. Adding wpe[0..T] to the tokens
        // first would give token 0 position 0 with p tokens in front of it.
        Some(wpe) => {
            assert!(
                p + t <= wpe.shape().0 .0,
                "{p} virtual + {t} real tokens exceed the {} learned positions",
                wpe.shape().0 .0
            );
            let pos = mat::<NoneTape>(wpe).slice((0..p + t, ..)); // (p+T, C)
            x + pos.broadcast_like::<_, Axis<0>>(&(b, p + t, c))
        }
        // RoPE and ALiBi act inside attention, on positions 0..p+T alike.
        None => x,
    }
}
// ANCHOR_END: soft_prompt

impl Gpt {
    // ANCHOR: forward_with_prompt
    /// Logits (B, p+T, V) of the frozen model reading `prompt` (p, C) and then `tokens`
    /// (B, T): [`soft_prompt`]'s input through the same blocks and head as
    /// [`Gpt::forward`]. Logit row p − 1 + j predicts real token j; row p + T − 1 the token
    /// after the input.
    pub fn forward_with_prompt<T: Tape<f32, Dev>>(
        &self,
        prompt: Tensor<(usize, usize), f32, Dev, T>,
        tokens: &Tensor<(usize, usize), usize, Dev>,
    ) -> Tensor<(usize, usize, usize), f32, Dev, T> {
        let (b, t) = *tokens.shape();
        let (p, c) = *prompt.shape();
        let dev = prompt.device().clone();
        let x = soft_prompt(self, prompt, tokens).reshape_like(&(b * (p + t), c));
        // Virtual tokens are ordinary positions to attention: causal over all p + T.
        let mask = additive(&dev, &vec![causal_mask(p + t); b]);
        // Subtle: dfdx 0.13 has no `requires_grad`: the blocks read their weights on the
        // prompt's tape, so backward computes their gradients too (and drops them: only the
        // prompt is a leaf of its `alloc_grads()`). What freezes the model is that the
        // optimizer holds the prompt alone; `tests.rs` checks the weights stay bit-identical.
        self.blocks_and_head(x, &mask, (b, p + t))
    }
    // ANCHOR_END: forward_with_prompt
}

// ANCHOR: soft_prompt_params
/// Trainable numbers of a soft prompt of `p` virtual tokens at width `d`: $p \cdot d$.
///
/// ```
/// use solutions::training::soft_prompt::soft_prompt_params;
/// // 20 virtual tokens for GPT-2 small (d = 768): 15,360 numbers.
/// assert_eq!(soft_prompt_params(20, 768), 15_360);
/// ```
pub fn soft_prompt_params(p: u64, d: u64) -> u64 {
    p * d
}
// ANCHOR_END: soft_prompt_params

impl TensorCollection<f32, Dev> for SoftPrompt {
    type To<E2: Dtype, D2: Device<E2>> = Self;

    fn iter_tensors<V: ModuleVisitor<Self, f32, Dev>>(
        visitor: &mut V,
    ) -> Result<Option<Self::To<V::E2, V::D2>>, V::Err> {
        visitor.visit_fields(
            Self::tensor("prompt_embeddings", |s| &s.embedding, |s| &mut s.embedding, keep()),
            |_| unreachable!("{BUILD_UNSUPPORTED}"),
        )
    }
}

#[cfg(test)]
pub(crate) mod tests;
