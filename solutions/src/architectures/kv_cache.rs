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

/// The bytes of KV cache for `tokens` cached tokens (batch × sequence length):
/// $2 \cdot \text{layers} \cdot \text{kv\_heads} \cdot \text{head\_dim} \cdot
/// \text{bytes\_per\_value} \cdot \text{tokens}$, the 2 counting K and V.
///
/// ```
/// use solutions::architectures::kv_cache::kv_cache_bytes;
/// // Llama 2 7B (32 layers, 32 K/V heads of 128) in fp16: 0.5 MiB per token.
/// assert_eq!(kv_cache_bytes(32, 32, 128, 2, 1), 524_288);
/// // Llama 2 70B (80 layers, GQA with 8 K/V heads of 128): 320 KiB per token.
/// assert_eq!(kv_cache_bytes(80, 8, 128, 2, 1), 327_680);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gqa_divides_the_cache_by_the_group_size() {
        // Llama 2 70B: 64 query heads share 8 K/V heads, so the cache is 8× smaller
        // than multi-head attention's would be.
        let mha = kv_cache_bytes(80, 64, 128, 2, 1);
        let gqa = kv_cache_bytes(80, 8, 128, 2, 1);
        assert_eq!(mha, 8 * gqa);
        assert_eq!(mha, 2_621_440);
    }

    #[test]
    fn a_full_context_of_llama_2_7b() {
        // 4096 tokens × 0.5 MiB = 2 GiB for one sequence.
        assert_eq!(kv_cache_bytes(32, 32, 128, 2, 4096), 2 << 30);
    }
}
