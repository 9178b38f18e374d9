//! §1.1: plausible wrong attention weights, attention, and head split and merge.

use crate::gradient::Tr;
use crate::wrong::through_vec;
use dfdx::prelude::*;
use solutions::foundations::self_attention::{
    attention_weights, merge_heads, scaled_dot_product_attention, split_heads, Mask,
};
use solutions::Dev;

type T4 = Tensor<(usize, usize, usize, usize), f32, Dev, Tr>;
type T3 = Tensor<(usize, usize, usize), f32, Dev, Tr>;
type M3 = Mask<usize, usize, usize>;

fn scores(q: T4, k: T4, scale: f32, mask: Option<&M3>) -> T4 {
    let s = q.matmul(k.permute::<_, Axes4<0, 1, 3, 2>>()) * scale;
    match mask {
        Some(m) => {
            let shape = *s.shape();
            s + m.clone().broadcast_like::<_, Axis<1>>(&shape)
        }
        None => s,
    }
}
fn sqrt_dk(q: &T4) -> f32 {
    (q.shape().3 as f32).sqrt()
}

/// Forgot the 1/√d_k.
pub fn weights_unscaled(q: T4, k: T4, mask: Option<&M3>) -> T4 {
    scores(q, k, 1.0, mask).softmax::<Axis<3>>()
}
/// Took the source notes' 1/d_k literally.
pub fn weights_one_over_dk(q: T4, k: T4, mask: Option<&M3>) -> T4 {
    let d = q.shape().3 as f32;
    scores(q, k, 1.0 / d, mask).softmax::<Axis<3>>()
}
/// Scaled the probabilities instead of the logits.
pub fn weights_scaled_after_softmax(q: T4, k: T4, mask: Option<&M3>) -> T4 {
    let s = sqrt_dk(&q);
    scores(q, k, 1.0, mask).softmax::<Axis<3>>() / s
}
/// Normalised over the queries instead of the keys.
pub fn weights_softmax_over_queries(q: T4, k: T4, mask: Option<&M3>) -> T4 {
    let s = sqrt_dk(&q);
    scores(q, k, 1.0 / s, mask).softmax::<Axis<2>>()
}
/// Dropped the mask.
pub fn weights_ignore_mask(q: T4, k: T4, _mask: Option<&M3>) -> T4 {
    let s = sqrt_dk(&q);
    scores(q, k, 1.0 / s, None).softmax::<Axis<3>>()
}
/// Added the mask to the probabilities.
pub fn weights_mask_after_softmax(q: T4, k: T4, mask: Option<&M3>) -> T4 {
    let s = sqrt_dk(&q);
    let w = scores(q, k, 1.0 / s, None).softmax::<Axis<3>>();
    match mask {
        Some(m) => {
            let shape = *w.shape();
            w + m.clone().broadcast_like::<_, Axis<1>>(&shape)
        }
        None => w,
    }
}
/// Forgot to forward the mask.
pub fn sdpa_ignore_mask(q: T4, k: T4, v: T4, _mask: Option<&M3>) -> T4 {
    attention_weights(q, k, None).matmul(v)
}
/// Built its own weights without the scale.
pub fn sdpa_unscaled(q: T4, k: T4, v: T4, mask: Option<&M3>) -> T4 {
    weights_unscaled(q, k, mask).matmul(v)
}
/// Reshaped straight to (B, H, S, D).
pub fn split_heads_no_permute(x: T3, heads: usize) -> T4 {
    let (b, s, m) = *x.shape();
    x.reshape_like(&(b, heads, s, m / heads))
}
/// Reshaped straight to (B, S, H·D).
pub fn merge_heads_no_permute(x: T4) -> T3 {
    let (b, h, s, d) = *x.shape();
    x.reshape_like(&(b, s, h * d))
}

/// The right weights, copied out and back in: the tape is dropped.
pub fn weights_through_vec(q: T4, k: T4, mask: Option<&M3>) -> T4 {
    through_vec(attention_weights(q, k, mask))
}
/// The right output, copied out and back in: the tape is dropped.
pub fn sdpa_through_vec(q: T4, k: T4, v: T4, mask: Option<&M3>) -> T4 {
    through_vec(scaled_dot_product_attention(q, k, v, mask))
}
/// The right split, rebuilt from a Vec: the tape is dropped.
pub fn split_heads_through_vec(x: T3, heads: usize) -> T4 {
    through_vec(split_heads(x, heads))
}
/// The right merge, rebuilt from a Vec: the tape is dropped.
pub fn merge_heads_through_vec(x: T4) -> T3 {
    through_vec(merge_heads(x))
}
