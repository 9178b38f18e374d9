use super::*;

use crate::architectures::param_count::{LLAMA2_70B, LLAMA2_7B};

#[test]
fn gqa_divides_the_cache_by_the_group_size() {
    // Llama 2 70B: 64 query heads share 8 K/V heads, so the cache is 8× smaller
    // than multi-head attention's would be: 2.5 MiB per token against 320 KiB.
    let mha = kv_cache_bytes_per_token(&LlamaDims { kv_heads: 64, ..LLAMA2_70B }, 2);
    let gqa = kv_cache_bytes_per_token(&LLAMA2_70B, 2);
    assert_eq!((mha, gqa), (2_621_440, 327_680));
    assert_eq!(mha / gqa, LLAMA2_70B.heads / LLAMA2_70B.kv_heads);
    // So the 10× larger 70B model caches less per token than the 7B one.
    assert!(gqa < kv_cache_bytes_per_token(&LLAMA2_7B, 2));
}

#[test]
fn a_full_context_of_llama_2_7b() {
    // 4096 tokens × 0.5 MiB = 2 GiB for one sequence.
    let d = LLAMA2_7B;
    assert_eq!(kv_cache_bytes(d.layers, d.kv_heads, d.head_dim(), 2, 4096), 2 << 30);
}
