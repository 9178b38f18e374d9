//! §5.5 Incremental decoding (增量解码): chapter 3's GPT and Llama run one new token at a
//! time through the KV cache.
//!
//! The same weights and the same parts as their `forward` (§3.2, §3.3): the embeddings,
//! LayerNorm or RMSNorm, the projections and the MLP are called as they are, on the new
//! tokens only (Tn rows instead of T); attention alone changes, to [`attend_with_cache`].
//! Positions enter at the cache's length: rows past..past + Tn of GPT-2's table, RoPE with
//! offset `past`, ALiBi's bias rows past..past + Tn. Hugging Face: `model(input_ids,
//! past_key_values=cache, use_cache=True)`, as `generate()` calls it after the first step.
//! Inference only: no tape.

use super::kv_cache::{attend_with_cache, Heads, KvCache, LayerCache};
use crate::architectures::gpt::{Attention as GptAttention, Gpt, Positions, Stream, ROPE_BASE};
use crate::architectures::llama::rope_half::apply_rope_half;
use crate::architectures::llama::{linear, Attention as LlamaAttention, Llama};
use crate::architectures::params::mat;
use crate::foundations::alibi::alibi_bias;
use crate::foundations::rope::apply_rope;
use crate::Dev;
use dfdx::prelude::*;

/// Logits for the new tokens only, (Tn, V).
pub type NewLogits = Tensor<(usize, usize), f32, Dev>;

/// (Tn, n·D) -> (n, Tn, D): the new tokens' features cut into `n` heads.
fn to_heads(x: Stream<NoneTape>, n: usize) -> Heads {
    let (t, w) = *x.shape();
    x.reshape_like(&(t, n, w / n)).permute::<_, Axes3<1, 0, 2>>().reshape_like(&(n, t, w / n))
}

/// (H, Tn, D) -> (Tn, H·D): the heads' outputs side by side again.
fn from_heads(y: Heads) -> Stream<NoneTape> {
    let (h, t, d) = *y.shape();
    y.permute::<_, Axes3<1, 0, 2>>().reshape_like(&(t, h * d))
}

/// RoPE (§1.4's layout) on (H, Tn, D) at positions past..past + Tn.
fn rope_at(x: Heads, past: usize) -> Heads {
    let (h, t, d) = *x.shape();
    apply_rope(x.reshape_like(&(1, h, t, d)), past, ROPE_BASE).reshape_like(&(h, t, d))
}

// ANCHOR: gpt_attention_step
/// GPT-2's attention for the new tokens x (Tn, C), with `cache` holding the past.
fn gpt_attention_step(
    attn: &GptAttention,
    x: Stream<NoneTape>,
    cache: &mut LayerCache,
    bias: Option<&Heads>,
) -> Stream<NoneTape> {
    let (past, c) = (cache.len(), x.shape().1);
    let qkv = attn.c_attn.forward(x); // (Tn, 3C): only the new tokens are projected
    let part = |i: usize| to_heads(qkv.clone().slice((.., i * c..(i + 1) * c)), attn.heads);
    let (mut q, mut k, v) = (part(0), part(1), part(2)); // (H, Tn, D) each
    if attn.positions == Positions::Rope {
        // Subtle: rotate by the absolute positions past..past + Tn, never from 0: the cached
        // keys were rotated by theirs, and the scores depend on the difference.
        (q, k) = (rope_at(q, past), rope_at(k, past));
    }
    let y = attend_with_cache(cache, q, k, v, bias); // (H, Tn, D)
    attn.c_proj.forward(from_heads(y))
}
// ANCHOR_END: gpt_attention_step

impl Gpt {
    /// An empty cache for this model: `layers` × (heads, 0, d_model / heads), K and V.
    pub fn new_cache(&self) -> KvCache {
        let c = &self.config;
        KvCache::new(self.wte.device(), c.layers, c.heads, c.d_model / c.heads)
    }

    // ANCHOR: gpt_forward_with_cache
    /// Logits (Tn, V) for `tokens`, the Tn tokens that follow the `cache.len()` tokens whose
    /// keys and values `cache` holds; their own keys and values are appended to it. With
    /// an empty cache and all the tokens it equals `forward` (the prompt, "prefill"); then
    /// one token at a time (decoding).
    pub fn forward_with_cache(&self, tokens: &[usize], cache: &mut KvCache) -> NewLogits {
        let dev: Dev = self.wte.device().clone();
        let (tn, past) = (tokens.len(), cache.len());
        let ids = dev.tensor_from_vec(tokens.to_vec(), (tn,));
        let mut x = mat::<NoneTape>(&self.wte).gather(ids); // (Tn, C)
        if let Some(wpe) = &self.wpe {
            let rows = wpe.shape().0 .0;
            assert!(past + tn <= rows, "{} tokens exceed the {rows} learned positions", past + tn);
            x = x + mat::<NoneTape>(wpe).slice((past..past + tn, ..));
        }
        // ALiBi's bias for the new queries: rows past..past + Tn of §1.5's (H, S, S) bias.
        let bias = (self.config.positions == Positions::Alibi).then(|| {
            alibi_bias(&dev, self.config.heads, past + tn).slice((.., past.., ..))
            // (H, Tn, S)
        });
        for (block, layer) in self.h.iter().zip(&mut cache.layers) {
            let a = gpt_attention_step(
                &block.attn,
                block.ln_1.forward(x.clone()),
                layer,
                bias.as_ref(),
            );
            x = x + a;
            x = x.clone() + block.mlp.forward(block.ln_2.forward(x));
        }
        let x = self.ln_f.forward(x);
        x.matmul(mat::<NoneTape>(&self.wte).permute::<_, Axes2<1, 0>>()) // (Tn, V)
    }
    // ANCHOR_END: gpt_forward_with_cache
}

// ANCHOR: llama_attention_step
/// Llama's grouped-query attention for the new tokens x (Tn, C): only kv_heads K/V heads
/// are projected and cached.
fn llama_attention_step(
    attn: &LlamaAttention,
    x: Stream<NoneTape>,
    cache: &mut LayerCache,
) -> Stream<NoneTape> {
    let past = cache.len();
    let q = to_heads(linear(x.clone(), &attn.q_proj), attn.heads); // (H, Tn, D)
    let k = to_heads(linear(x.clone(), &attn.k_proj), attn.kv_heads); // (G, Tn, D)
    let v = to_heads(linear(x, &attn.v_proj), attn.kv_heads);
    let rope = |x: Heads| {
        let (h, t, d) = *x.shape();
        apply_rope_half(x.reshape_like(&(1, h, t, d)), past, attn.rope_base)
            .reshape_like(&(h, t, d))
    };
    let y = attend_with_cache(cache, rope(q), rope(k), v, None); // (H, Tn, D)
    linear(from_heads(y), &attn.o_proj)
}
// ANCHOR_END: llama_attention_step

impl Llama {
    /// An empty cache: `layers` × (kv_heads, 0, d_model / heads), K and V.
    pub fn new_cache(&self) -> KvCache {
        let c = &self.config;
        KvCache::new(self.embed_tokens.device(), c.layers, c.kv_heads, c.d_model / c.heads)
    }

    /// Logits (Tn, V) for the Tn `tokens` after those `cache` holds; as
    /// [`Gpt::forward_with_cache`].
    pub fn forward_with_cache(&self, tokens: &[usize], cache: &mut KvCache) -> NewLogits {
        let dev: Dev = self.embed_tokens.device().clone();
        let ids = dev.tensor_from_vec(tokens.to_vec(), (tokens.len(),));
        let mut x = mat::<NoneTape>(&self.embed_tokens).gather(ids); // (Tn, C)
        for (block, layer) in self.layers.iter().zip(&mut cache.layers) {
            let h = llama_attention_step(
                &block.self_attn,
                block.input_layernorm.forward(x.clone()),
                layer,
            );
            x = x + h;
            x = x.clone() + block.mlp.forward(block.post_attention_layernorm.forward(x));
        }
        linear(self.norm.forward(x), &self.lm_head) // (Tn, V)
    }
}

// ANCHOR: cached_gpt
/// Next-token logits for generation, with a cache that remembers which tokens it holds.
/// [`CachedGpt::next_logits`] answers what §5.2's `gpt_next_logits` answers, from the same
/// window of at most `context` tokens, but only runs the model on the tokens the cache
/// does not hold yet.
pub struct CachedGpt<'m> {
    pub model: &'m Gpt,
    pub cache: KvCache,
    /// The tokens whose keys and values `cache` holds, position 0 first.
    pub tokens: Vec<usize>,
}

impl<'m> CachedGpt<'m> {
    pub fn new(model: &'m Gpt) -> Self {
        Self { model, cache: model.new_cache(), tokens: vec![] }
    }

    /// The logits (V,) for the token after `seq`.
    pub fn next_logits(&mut self, seq: &[usize]) -> Vec<f32> {
        let window = &seq[seq.len().saturating_sub(self.model.config.context)..];
        // Reuse the longest shared prefix: position i's keys and values depend on tokens
        // 0..=i only. At least the last token is run again, for its logits.
        let shared = self.tokens.iter().zip(window).take_while(|(a, b)| a == b).count();
        let keep = shared.min(window.len() - 1);
        // Subtle: once the window slides (seq longer than the context), every position
        // moves and the prefix no longer matches: the cache restarts, which is exactly the
        // recomputation that nanoGPT's crop does.
        self.cache.truncate(keep);
        self.tokens.truncate(keep);
        let logits = self.model.forward_with_cache(&window[keep..], &mut self.cache);
        self.tokens.extend_from_slice(&window[keep..]);
        let (t, v) = *logits.shape();
        logits.slice((t - 1..t, ..)).reshape_like(&(v,)).as_vec()
    }
}
// ANCHOR_END: cached_gpt

#[cfg(test)]
mod tests;
