//! §1.1 Scaled dot-product and multi-head self-attention (缩放点积注意力 / 多头自注意力).
//!
//! Paper: Vaswani et al., *Attention Is All You Need*, 2017, arXiv 1706.03762, §3.2.
//! PyTorch: `torch.nn.functional.scaled_dot_product_attention` and
//! `torch.nn.MultiheadAttention`; dfdx: `dfdx::nn::modules::MultiHeadAttention`, which
//! [`MultiHeadSelfAttention`] reproduces exactly and extends with masks.
//!
//! Shapes use dfdx's typed dimensions: `B` batch, `H` heads, `Sq`/`Sk` query and key
//! positions, `D` features per head. `M = H·D` is the model width.

use crate::Dev;
use dfdx::prelude::*;

/// An additive attention mask of shape (B, Sq, Sk), shared by all heads: `0.0` where query
/// `i` may look at key `j`, `-∞` where it may not. This is PyTorch's float `attn_mask`
/// convention; adding it to the scores sends forbidden weights to exactly zero.
// ANCHOR: masks
pub type Mask<B, Sq, Sk> = Tensor<(B, Sq, Sk), f32, Dev>;

/// The causal (decoder) mask: position `i` sees keys `0..=i` and nothing in its future.
pub fn causal_mask(dev: &Dev, batch: usize, seq: usize) -> Mask<usize, usize, usize> {
    let row = |i: usize| (0..seq).map(move |j| if j <= i { 0.0 } else { f32::NEG_INFINITY });
    let one: Vec<f32> = (0..seq).flat_map(row).collect();
    dev.tensor_from_vec(one.repeat(batch), (batch, seq, seq))
}

/// The padding mask: sequence `b` has `lengths[b]` real tokens, and no query may attend to
/// the padding keys after them.
pub fn padding_mask(dev: &Dev, lengths: &[usize], seq: usize) -> Mask<usize, usize, usize> {
    let data: Vec<f32> = lengths
        .iter()
        .flat_map(|&len| {
            (0..seq * seq).map(move |ij| if ij % seq < len { 0.0 } else { f32::NEG_INFINITY })
        })
        .collect();
    dev.tensor_from_vec(data, (lengths.len(), seq, seq))
}
// ANCHOR_END: masks

/// Attention weights $A = \mathrm{softmax}\big(QK^\top/\sqrt{d_k} + \text{mask}\big)$, with
/// the softmax taken over the key axis, so that each query's weights sum to 1.
///
/// `q` is (B, H, Sq, D), `k` is (B, H, Sk, D); the result is (B, H, Sq, Sk).
///
/// Worked example, one head, $d_k = 2$: the query $(1, 0)$ against keys $(1, 0)$ and
/// $(0, 1)$ scores $1/\sqrt2 \approx 0.7071$ and $0$; the softmax gives
/// $e^{0.7071}/(e^{0.7071}+1) \approx 0.6698$ and $0.3302$.
/// ```
/// # use dfdx::prelude::*;
/// # use solutions::foundations::self_attention::attention_weights;
/// let dev = Cpu::default();
/// let q = dev.tensor([[[[1.0f32, 0.0]]]]);
/// let k = dev.tensor([[[[1.0f32, 0.0], [0.0, 1.0]]]]);
/// let a = attention_weights(q, k, None).array();
/// assert!((a[0][0][0][0] - 0.6698).abs() < 1e-4 && (a[0][0][0][1] - 0.3302).abs() < 1e-4);
/// ```
// ANCHOR: attention_weights
pub fn attention_weights<B: Dim, H: Dim, Sq: Dim, Sk: Dim, D: Dim, T: Tape<f32, Dev>>(
    q: Tensor<(B, H, Sq, D), f32, Dev, T>,
    k: Tensor<(B, H, Sk, D), f32, Dev, T>,
    mask: Option<&Mask<B, Sq, Sk>>,
) -> Tensor<(B, H, Sq, Sk), f32, Dev, T> {
    let d_k = q.shape().3.size() as f32;
    // Every query against every key: (B, H, Sq, D) x (B, H, D, Sk) -> (B, H, Sq, Sk).
    let scores = q.matmul(k.permute::<_, Axes4<0, 1, 3, 2>>());
    // Why √d_k: for unit-variance entries Var(q·k) = d_k, so unscaled scores grow with the
    // width and push the softmax into saturation, where its gradient vanishes (§1.2).
    // Subtle: the factor is 1/√d_k (not 1/d_k) and it applies to the logits, before softmax.
    let scores = scores * d_k.sqrt().recip();
    let scores = match mask {
        // The mask is added before the softmax: exp(-∞) = 0 removes the forbidden keys and
        // the remaining weights are renormalised among the allowed ones.
        Some(mask) => {
            let shape = *scores.shape();
            scores + mask.clone().broadcast_like::<_, Axis<1>>(&shape)
        }
        None => scores,
    };
    // Normalise over the keys (the last axis): each query distributes one unit of attention.
    scores.softmax::<Axis<3>>()
}
// ANCHOR_END: attention_weights

/// Scaled dot-product attention $\mathrm{softmax}(QK^\top/\sqrt{d_k} + \text{mask})\,V$:
/// each query's output is the weighted average of the value vectors.
///
/// `q` is (B, H, Sq, D), `k` is (B, H, Sk, D), `v` is (B, H, Sk, Dv); the result is
/// (B, H, Sq, Dv). PyTorch: `F.scaled_dot_product_attention(q, k, v, attn_mask=mask)`.
// ANCHOR: scaled_dot_product_attention
pub fn scaled_dot_product_attention<B: Dim, H: Dim, Sq: Dim, Sk: Dim, D: Dim, Dv: Dim, T>(
    q: Tensor<(B, H, Sq, D), f32, Dev, T>,
    k: Tensor<(B, H, Sk, D), f32, Dev, T>,
    v: Tensor<(B, H, Sk, Dv), f32, Dev, T>,
    mask: Option<&Mask<B, Sq, Sk>>,
) -> Tensor<(B, H, Sq, Dv), f32, Dev, T>
where
    T: Tape<f32, Dev>,
{
    // (B, H, Sq, Sk) x (B, H, Sk, Dv) -> (B, H, Sq, Dv): mix the values by the weights.
    attention_weights(q, k, mask).matmul(v)
}
// ANCHOR_END: scaled_dot_product_attention

/// Split the model width into heads: (B, S, M) -> (B, H, S, M/H).
///
/// Output `[b, h, s, i]` is input `[b, s, h·D + i]` (`D = M/H`): head `h` sees features
/// `h·D .. (h+1)·D` of every token, and the head axis comes before the sequence axis so
/// that each head attends independently. PyTorch does it with `view` and `transpose`.
// ANCHOR: split_heads
pub fn split_heads<B: Dim, S: Dim, M: Dim, T: Tape<f32, Dev>>(
    x: Tensor<(B, S, M), f32, Dev, T>,
    heads: usize,
) -> Tensor<(B, usize, S, usize), f32, Dev, T> {
    let (b, s, m) = *x.shape();
    assert!(m.size().is_multiple_of(heads), "width {} is not divisible by {heads} heads", m.size());
    // Subtle: reshape to (B, S, H, D) first. That is a pure relabelling of the memory, in
    // which each token's features are cut into H slices. Reshaping straight to
    // (B, H, S, D) would instead deal tokens out across heads.
    let x = x.reshape_like(&(b, s, heads, m.size() / heads));
    // Swap the S and H axes: (B, S, H, D) -> (B, H, S, D).
    x.permute::<_, Axes4<0, 2, 1, 3>>()
}
// ANCHOR_END: split_heads

/// Merge the heads back into the model width: (B, H, S, D) -> (B, S, H·D), the exact
/// inverse of [`split_heads`]: output `[b, s, h·D + i]` is input `[b, h, s, i]`. PyTorch does
/// it with `transpose` and `reshape`.
// ANCHOR: merge_heads
pub fn merge_heads<B: Dim, S: Dim, T: Tape<f32, Dev>>(
    x: Tensor<(B, usize, S, usize), f32, Dev, T>,
) -> Tensor<(B, S, usize), f32, Dev, T> {
    let (b, h, s, d) = *x.shape();
    // Bring the tokens back in front of the heads, (B, H, S, D) -> (B, S, H, D), then
    // concatenate each token's head outputs into one vector of H·D features.
    x.permute::<_, Axes4<0, 2, 1, 3>>().reshape_like(&(b, s, h * d))
}
// ANCHOR_END: merge_heads

/// Multi-head self-attention with `H` heads over width `M`: project the tokens to queries,
/// keys and values, attend in every head independently, merge, project back.
///
/// The fields mirror `dfdx::nn::modules::MultiHeadAttention<M, H>` (and PyTorch's
/// `in_proj`/`out_proj` split into four `Linear`s), so weights can be copied across.
// ANCHOR: module
#[derive(Debug, Clone)]
pub struct MultiHeadSelfAttention<const M: usize, const H: usize> {
    pub w_q: modules::Linear<M, M, f32, Dev>,
    pub w_k: modules::Linear<M, M, f32, Dev>,
    pub w_v: modules::Linear<M, M, f32, Dev>,
    pub w_o: modules::Linear<M, M, f32, Dev>,
}

impl<const M: usize, const H: usize> MultiHeadSelfAttention<M, H> {
    /// Fresh weights with dfdx's default `Linear` initialisation, drawn from `dev`'s RNG.
    pub fn new(dev: &Dev) -> Self {
        assert!(M.is_multiple_of(H), "width {M} is not divisible by {H} heads");
        let linear = || dev.build_module::<builders::Linear<M, M>, f32>();
        Self { w_q: linear(), w_k: linear(), w_v: linear(), w_o: linear() }
    }

    /// (B, S, M) -> (B, S, M), with an optional mask of shape (B, S, S).
    pub fn forward<B: Dim, S: Dim, T: Tape<f32, Dev>>(
        &self,
        x: Tensor<(B, S, Const<M>), f32, Dev, T>,
        mask: Option<&Mask<B, S, S>>,
    ) -> Tensor<(B, S, Const<M>), f32, Dev, T> {
        let (b, s, _) = *x.shape();
        // One token stream, three roles. `retaped` shares x's identity without its tape,
        // so the gradients of all three projections still flow back into x.
        let q = split_heads(self.w_q.forward(x.retaped::<T>()), H); // (B, H, S, D)
        let k = split_heads(self.w_k.forward(x.retaped::<T>()), H); // (B, H, S, D)
        let v = split_heads(self.w_v.forward(x), H); // (B, H, S, D)
        let heads = scaled_dot_product_attention(q, k, v, mask); // (B, H, S, D)
        let merged = merge_heads(heads).reshape_like(&(b, s, Const::<M>)); // (B, S, M)
        self.w_o.forward(merged)
    }

    /// The attention weights of every head, (B, H, S, S), for inspection and plots.
    pub fn weights<B: Dim, S: Dim>(
        &self,
        x: Tensor<(B, S, Const<M>), f32, Dev>,
        mask: Option<&Mask<B, S, S>>,
    ) -> Tensor<(B, usize, S, S), f32, Dev> {
        let q = split_heads(self.w_q.forward(x.clone()), H);
        let k = split_heads(self.w_k.forward(x), H);
        attention_weights(q, k, mask)
    }
}
// ANCHOR_END: module

#[cfg(test)]
mod tests;
