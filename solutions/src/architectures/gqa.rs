//! §3.3 Grouped-query and multi-query attention: `repeat_kv` (分组查询注意力 / 多查询注意力).
//!
//! Papers: Shazeer 2019, *Fast Transformer Decoding: One Write-Head is All You Need*,
//! arXiv 1911.02150 (MQA: one key/value head shared by all query heads); Ainslie et al.
//! 2023, *GQA*, arXiv 2305.13245 (G key/value heads, each shared by a group of H/G query
//! heads; Llama 2 70B uses 8 for 64). Hugging Face: `repeat_kv` in
//! `transformers.models.llama.modeling_llama`, which this reproduces.
//!
//! Only the K/V *projections* and the KV cache shrink (see `kv_cache.rs`); at attention
//! time each K/V head is repeated for the query heads of its group, and attention is
//! ordinary multi-head attention from there on.

use crate::Dev;
use dfdx::prelude::*;

// §3.3's other exercises, re-exported so that the section's exercise file (generated from
// this module) holds all three; each is defined, tested and quoted by the book in its own
// file.
pub use crate::architectures::kv_cache::kv_cache_bytes_per_token;
pub use crate::architectures::swiglu::swiglu;

/// Repeats each of the G key (or value) heads of `x` (B, G, S, D) `n_rep` times, giving
/// (B, G·n_rep, S, D), one K/V head for each query head.
///
/// Worked example: two K/V heads `k0, k1` and `n_rep = 2` give four heads
/// `k0, k0, k1, k1` (not `k0, k1, k0, k1`: a group is a run of adjacent query heads).
/// ```
/// # use dfdx::prelude::*;
/// # use solutions::architectures::gqa::repeat_kv;
/// let dev = Cpu::default();
/// // B = 1, G = 2 heads, S = 1 position, D = 1 feature: head 0 holds 10, head 1 holds 20.
/// let k = dev.tensor_from_vec(vec![10.0f32, 20.0], (1, 2, 1, 1));
/// assert_eq!(repeat_kv(k, 2).as_vec(), [10.0, 10.0, 20.0, 20.0]);
/// ```
/// PyTorch: Hugging Face's `repeat_kv`, which equals `x.repeat_interleave(n_rep, dim=1)`.
// ANCHOR: repeat_kv
pub fn repeat_kv<B: Dim, S: Dim, T: Tape<f32, Dev>>(
    x: Tensor<(B, usize, S, usize), f32, Dev, T>,
    n_rep: usize,
) -> Tensor<(B, usize, S, usize), f32, Dev, T> {
    let (b, g, s, d) = *x.shape();
    // PyTorch: x[:, :, None].expand(B, G, n_rep, S, D).reshape(B, G * n_rep, S, D).
    // Insert a repeat axis right after the head axis, (B, G, n_rep, S, D), without copying.
    let expanded = x.broadcast_like::<_, Axis<2>>(&(b, g, n_rep, s, d));
    // Subtle: merging (G, n_rep) into one axis keeps the copies of a head adjacent.
    expanded.reshape_like(&(b, g * n_rep, s, d))
}
// ANCHOR_END: repeat_kv

#[cfg(test)]
mod tests;
