//! §3.2 / §3.3 Counting the parameters of a GPT and of a Llama (参数量计算).
//!
//! GPT-2 (Radford et al. 2019) and nanoGPT: learned token and position embeddings, pre-norm
//! blocks of LayerNorm (weight and bias), attention with a fused QKV projection and an
//! output projection (all with biases), a 4× MLP (with biases), a final LayerNorm, and an
//! LM head tied to the token embedding. Hugging Face: `GPT2LMHeadModel`, whose
//! `num_parameters()` is 124,439,808 for `gpt2`.
//!
//! Llama (Touvron et al. 2023, arXiv 2302.13971 and 2307.09288): no biases, RMSNorm (a
//! weight only), RoPE (no position table), a SwiGLU MLP with three matrices, grouped-query
//! attention in the larger models, and an untied LM head. Hugging Face: `LlamaForCausalLM`,
//! 6,738,415,616 parameters for Llama-2-7b.

// §3.2's second exercise lives with the block it wires; re-exported so that the section's
// stub file holds both.
pub use crate::architectures::gpt::parts::block_forward;

/// The shape of a GPT-2-style model.
#[derive(Debug, Clone, Copy)]
pub struct GptDims {
    pub vocab: u64,
    /// The number of learned positions (`n_positions`, the context length); 0 for a model
    /// with RoPE or ALiBi, which has no position table (§3.4).
    pub context: u64,
    pub d_model: u64,
    pub layers: u64,
}

/// GPT-2 small, the shape of Hugging Face's `gpt2`.
pub const GPT2_SMALL: GptDims = GptDims { vocab: 50257, context: 1024, d_model: 768, layers: 12 };

/// The parameters of a GPT-2-style model with a tied LM head (the model described at the
/// top of this file), as Hugging Face's `num_parameters()` counts them.
///
/// Worked example: the tiny GPT of §3.2 (vocab 96, context 64, width 32, 2 layers) has
/// 30,592; GPT-2 small has 124,439,808.
/// ```
/// use solutions::architectures::param_count::{gpt_param_count, GptDims};
/// let tiny = GptDims { vocab: 96, context: 64, d_model: 32, layers: 2 };
/// assert_eq!(gpt_param_count(tiny), 30_592);
/// ```
/// ```
/// use solutions::architectures::param_count::{gpt_param_count, GPT2_SMALL};
/// assert_eq!(gpt_param_count(GPT2_SMALL), 124_439_808);
/// ```
// ANCHOR: gpt_param_count
pub fn gpt_param_count(c: GptDims) -> u64 {
    // In all: Vd + Td + L(12d² + 13d) + 2d. Per block: two LayerNorms (4d), the QKV
    // projection (3d² + 3d), the attention output (d² + d), the MLP (4d² + 4d, 4d² + d).
    let d = c.d_model;
    let embeddings = c.vocab * d + c.context * d;
    let attention = (3 * d * d + 3 * d) + (d * d + d);
    let mlp = (4 * d * d + 4 * d) + (4 * d * d + d);
    let norms = 2 * (2 * d);
    // Subtle: the LM head shares the token embedding's matrix, so it adds nothing.
    embeddings + c.layers * (attention + mlp + norms) + 2 * d
}
// ANCHOR_END: gpt_param_count

/// The shape of a Llama-style model.
#[derive(Debug, Clone, Copy)]
pub struct LlamaDims {
    pub vocab: u64,
    pub d_model: u64,
    pub layers: u64,
    /// The hidden width of the SwiGLU MLP (11008 for Llama 2 7B).
    pub d_ff: u64,
    pub heads: u64,
    /// Key/value heads: `heads` for multi-head attention, fewer for GQA, 1 for MQA.
    pub kv_heads: u64,
}

impl LlamaDims {
    /// The width of one attention head, d_model / heads (128 in every Llama 2).
    pub const fn head_dim(&self) -> u64 {
        self.d_model / self.heads
    }
}

/// Llama 2 7B, from its Hugging Face `config.json` (`meta-llama/Llama-2-7b-hf`): the one
/// place these numbers are written.
pub const LLAMA2_7B: LlamaDims =
    LlamaDims { vocab: 32000, d_model: 4096, layers: 32, d_ff: 11008, heads: 32, kv_heads: 32 };

/// Llama 2 70B (`meta-llama/Llama-2-70b-hf`): grouped-query attention, 8 K/V heads for 64.
pub const LLAMA2_70B: LlamaDims =
    LlamaDims { d_model: 8192, layers: 80, d_ff: 28672, heads: 64, kv_heads: 8, ..LLAMA2_7B };

/// The parameters of a Llama-style model (no biases, RMSNorm, SwiGLU, GQA, untied head).
///
/// ```
/// use solutions::architectures::param_count::{llama_param_count, LLAMA2_7B};
/// assert_eq!(llama_param_count(LLAMA2_7B), 6_738_415_616);
/// ```
pub fn llama_param_count(c: LlamaDims) -> u64 {
    let d = c.d_model;
    let kv_width = c.kv_heads * (d / c.heads);
    // W_q and W_o are d × d; W_k and W_v only map to the K/V heads.
    let attention = 2 * d * d + 2 * d * kv_width;
    // SwiGLU: gate and up (d → d_ff), down (d_ff → d).
    let mlp = 3 * d * c.d_ff;
    let norms = 2 * d;
    // Untied: input embedding and LM head are separate V × d matrices; one final RMSNorm.
    2 * c.vocab * d + c.layers * (attention + mlp + norms) + d
}

#[cfg(test)]
mod tests;
