//! §5.5 The KV cache (KV 缓存): attend with the keys and values of every past token kept.
//!
//! A decoder's token t only ever attends to tokens 0..=t, and nothing a later token does
//! changes the keys and values of an earlier one. So during generation each layer can keep
//! them (the cache) and compute only the new token's query, key and value: one decode step
//! projects one token instead of the whole sequence. Papers: the cache is as old as
//! Transformer decoding (Vaswani et al. 2017, arXiv 1706.03762, §3.2.3's auto-regressive
//! decoder); Pope et al. 2022, *Efficiently Scaling Transformer Inference*, arXiv 2211.05102,
//! §2 on its memory, and Shazeer 2019 (arXiv 1911.02150) on shrinking it with fewer K/V
//! heads. Hugging Face: `past_key_values` / `DynamicCache.update` (one (B, kv_heads, T,
//! head_dim) tensor each for K and V per layer), called inside `LlamaAttention.forward`
//! before attending; PyTorch: `torch.cat([past_k, k], dim=-2)`.
//!
//! This file holds the cache and one step of attention with it; `cached_forward.rs` runs
//! chapter 3's GPT and Llama through it, and §3.3's `architectures::kv_cache` counts its
//! bytes.

use crate::architectures::gqa::repeat_kv;
use crate::foundations::self_attention::scaled_dot_product_attention;
use crate::Dev;
use dfdx::prelude::*;

/// Heads × positions × features of one layer, (heads, T, head_dim): no batch axis, since
/// generation here decodes one sequence.
pub type Heads = Tensor<(usize, usize, usize), f32, Dev>;

// ANCHOR: layer_cache
/// One layer's cache: the keys and values of every position seen so far, each
/// (kv_heads, T, head_dim). With grouped-query attention only the `kv_heads` K/V heads are
/// stored, never their copies for the query heads.
#[derive(Debug, Clone)]
pub struct LayerCache {
    /// (kv_heads, T, head_dim)
    pub k: Heads,
    /// (kv_heads, T, head_dim)
    pub v: Heads,
}
// ANCHOR_END: layer_cache

impl LayerCache {
    /// An empty cache, (kv_heads, 0, head_dim).
    pub fn new(dev: &Dev, kv_heads: usize, head_dim: usize) -> Self {
        let empty = || dev.zeros_like(&(kv_heads, 0, head_dim));
        Self { k: empty(), v: empty() }
    }

    /// The number of cached positions T.
    pub fn len(&self) -> usize {
        self.k.shape().1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keeps only the first `len` positions (to reuse the cache of a shared prefix).
    pub fn truncate(&mut self, len: usize) {
        let (g, _, d) = *self.k.shape();
        if len == 0 {
            // Subtle: dfdx 0.13 cannot slice to an empty range; start afresh instead.
            *self = Self::new(self.k.device(), g, d);
        } else if len < self.len() {
            self.k = self.k.clone().slice((.., 0..len, ..));
            self.v = self.v.clone().slice((.., 0..len, ..));
        }
    }
}

/// The whole model's cache: one [`LayerCache`] per layer.
#[derive(Debug, Clone)]
pub struct KvCache {
    pub layers: Vec<LayerCache>,
}

impl KvCache {
    /// An empty cache for `layers` layers of `kv_heads` K/V heads of `head_dim` features.
    pub fn new(dev: &Dev, layers: usize, kv_heads: usize, head_dim: usize) -> Self {
        Self { layers: (0..layers).map(|_| LayerCache::new(dev, kv_heads, head_dim)).collect() }
    }

    /// The cached positions (every layer holds the same number).
    pub fn len(&self) -> usize {
        self.layers.first().map_or(0, LayerCache::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keeps the first `len` positions of every layer.
    pub fn truncate(&mut self, len: usize) {
        self.layers.iter_mut().for_each(|l| l.truncate(len));
    }

    /// The bytes the cache's tensors hold, measured on the tensors themselves (the values
    /// each K and V tensor really stores, times their size), to compare with §3.3's
    /// formula `kv_cache_bytes`.
    pub fn bytes(&self) -> u64 {
        let size = |t: &Heads| match t.shape().1 {
            0 => 0, // dfdx 0.13 cannot copy out an empty tensor
            _ => std::mem::size_of_val(crate::kernels::values(t).as_slice()),
        };
        self.layers.iter().map(|l| (size(&l.k) + size(&l.v)) as u64).sum()
    }
}

/// The mask of `new` queries that sit at the end of `total` positions, (new, total): query
/// i is position total − new + i, and sees keys 0..=total − new + i.
///
/// Subtle: this is the causal mask's *bottom* rows. The top rows, `j <= i`, would let a
/// single new query see key 0 only.
pub fn cached_causal_mask(dev: &Dev, new: usize, total: usize) -> Tensor<(usize, usize), f32, Dev> {
    let past = total - new;
    let row =
        |i: usize| (0..total).map(move |j| if j <= past + i { 0.0 } else { f32::NEG_INFINITY });
    dev.tensor_from_vec((0..new).flat_map(row).collect(), (new, total))
}

/// One step of attention with the cache, for one layer: append the new positions' keys `k`
/// and values `v` (kv_heads, Tn, D) to `cache`, then let the new queries `q` (H, Tn, D)
/// attend over all S = cached + Tn positions, each seeing itself and what precedes it.
/// `bias`, (H, Tn, S), is added to the scores (ALiBi's; `None` for the others). Returns
/// (H, Tn, D). Query head h reads K/V head h / (H / kv_heads), as in §3.3's `repeat_kv`.
///
/// Worked example (one head, D = 1, so scores are q·k): the cache holds keys [0, 0] with
/// values [1, 2]; the new token has q = 1, k = ln 2 ≈ 0.693, v = 4. After appending, the
/// keys are [0, 0, ln 2] and the scores e⁰, e⁰, e^{ln 2} = 1, 1, 2 weigh the values
/// [1, 2, 4]: (1 + 2 + 8) / 4 = 2.75. Without the new token (appended after attending)
/// it would be 1.5.
/// ```
/// use dfdx::prelude::*;
/// use solutions::inference::kv_cache::{attend_with_cache, LayerCache};
/// let dev = Cpu::default();
/// let mut cache = LayerCache {
///     k: dev.tensor_from_vec(vec![0.0, 0.0], (1, 2, 1)),
///     v: dev.tensor_from_vec(vec![1.0, 2.0], (1, 2, 1)),
/// };
/// let col = |x: f32| dev.tensor_from_vec(vec![x], (1, 1, 1));
/// let y = attend_with_cache(&mut cache, col(1.0), col(2f32.ln()), col(4.0), None);
/// assert!((y.as_vec()[0] - 2.75).abs() < 1e-5);
/// assert_eq!(cache.len(), 3);
/// ```
// ANCHOR: attend_with_cache
pub fn attend_with_cache(
    cache: &mut LayerCache,
    q: Heads,
    k: Heads,
    v: Heads,
    bias: Option<&Heads>,
) -> Heads {
    let (h, tn, d) = *q.shape();
    let g = k.shape().0;
    // Append first: the new token is one of the positions it attends to.
    cache.k = (cache.k.clone(), k).concat_along(Axis::<1>); // (G, S, D)
    cache.v = (cache.v.clone(), v).concat_along(Axis::<1>);
    let s = cache.len();
    // Each K/V head serves H / G query heads; the copies are made now, never stored.
    let expand = |x: &Heads| {
        let x = repeat_kv(x.clone().reshape_like(&(1, g, s, d)), h / g); // (1, H, S, D)
        x.reshape_like(&(h, 1, s, d))
    };
    let mask = cached_causal_mask(q.device(), tn, s).broadcast_like::<_, Axis<0>>(&(h, tn, s));
    let mask = match bias {
        Some(b) => mask + b.clone(),
        None => mask,
    };
    // Heads folded into §1.1's batch axis, (H, 1, ·, D): each head gets its own mask row,
    // which ALiBi's per-head slopes need.
    let q = q.reshape_like(&(h, 1, tn, d));
    let y = scaled_dot_product_attention(q, expand(&cache.k), expand(&cache.v), Some(&mask));
    y.reshape_like(&(h, tn, d))
}
// ANCHOR_END: attend_with_cache

#[cfg(test)]
mod tests;
