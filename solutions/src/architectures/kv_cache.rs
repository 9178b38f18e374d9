//! §3.3 / §5.5 The memory of the KV cache (KV 缓存的显存).
//!
//! During autoregressive decoding each layer keeps the keys and values of every past token,
//! so that a new token only computes its own. Per token that is, for each layer, one key
//! and one value vector for each *key/value* head. Multi-query attention (Shazeer 2019,
//! arXiv 1911.02150) keeps one K/V head; grouped-query attention (Ainslie et al. 2023,
//! arXiv 2305.13245; used by Llama 2 70B with 8 K/V heads for 64 query heads) keeps a few,
//! which divides this memory by heads / kv_heads. Hugging Face: the `past_key_values`
//! returned by a model called with `use_cache=True` (a `DynamicCache`), one (B, kv_heads,
//! T, head_dim) tensor for K and one for V per layer.

use crate::architectures::param_count::LlamaDims;

/// The bytes of KV cache for `tokens` cached tokens (batch × sequence length):
/// $2 \cdot \text{layers} \cdot \text{kv\_heads} \cdot \text{head\_dim} \cdot
/// \text{bytes\_per\_value} \cdot \text{tokens}$, the 2 counting K and V.
///
/// Worked example: 2 layers of 4 K/V heads of 8 features, in fp32 (4 bytes), for 10
/// tokens: 2 · 2 · 4 · 8 · 4 · 10 = 5,120 bytes.
/// ```
/// use solutions::architectures::kv_cache::kv_cache_bytes;
/// assert_eq!(kv_cache_bytes(2, 4, 8, 4, 10), 5_120);
/// ```
// ANCHOR: kv_cache_bytes
pub fn kv_cache_bytes(
    layers: u64,
    kv_heads: u64,
    head_dim: u64,
    bytes_per_value: u64,
    tokens: u64,
) -> u64 {
    // K and V, for each layer and each K/V head, a head_dim vector per token.
    2 * layers * kv_heads * head_dim * bytes_per_value * tokens
}
// ANCHOR_END: kv_cache_bytes

/// The KV cache of one token of a Llama-shaped model, from its dimensions.
///
/// ```
/// use solutions::architectures::kv_cache::kv_cache_bytes_per_token;
/// use solutions::architectures::param_count::{LLAMA2_70B, LLAMA2_7B};
/// assert_eq!(kv_cache_bytes_per_token(&LLAMA2_7B, 2), 512 << 10); // 512 KiB in fp16
/// assert_eq!(kv_cache_bytes_per_token(&LLAMA2_70B, 2), 320 << 10); // 320 KiB: GQA
/// ```
pub fn kv_cache_bytes_per_token(dims: &LlamaDims, bytes_per_value: u64) -> u64 {
    kv_cache_bytes(dims.layers, dims.kv_heads, dims.head_dim(), bytes_per_value, 1)
}

#[cfg(test)]
mod tests;
