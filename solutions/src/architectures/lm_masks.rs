//! §3.1 Causal, prefix and bidirectional language models: their attention masks
//! (因果语言模型、前缀语言模型与双向模型的注意力掩码).
//!
//! One Transformer, three ways of reading. A causal LM (GPT; Radford et al. 2018) lets
//! token i see tokens 0..=i, so it can be trained to predict every next token at once. A
//! prefix LM (UniLM, Dong et al. 2019, arXiv 1905.03197; GLM/ChatGLM, Du et al. 2022,
//! arXiv 2103.10360) reads a prefix bidirectionally and generates the rest causally. A
//! bidirectional encoder (BERT; Devlin et al. 2018, arXiv 1810.04805) lets every token see
//! every real token, and only hides the padding. Hugging Face builds these inside each
//! model (`create_causal_mask`, BERT's `get_extended_attention_mask`); PyTorch takes them
//! as `attn_mask` in `F.scaled_dot_product_attention`, boolean (true = may attend) or
//! additive (0 / -∞), the two forms below.

use crate::foundations::self_attention::Mask;
use crate::Dev;
use dfdx::prelude::*;

/// A boolean mask of one sequence: `allowed[i][j]` is true when query `i` may attend to
/// key `j`.
pub type Allowed = Vec<Vec<bool>>;

/// The causal mask of a decoder (GPT): query `i` sees keys `0..=i`, never its future.
///
/// Worked example, 3 tokens (rows are queries, columns keys, ■ = allowed):
/// ```text
/// ■ □ □
/// ■ ■ □
/// ■ ■ ■
/// ```
/// ```
/// use solutions::architectures::lm_masks::causal_mask;
/// let m = causal_mask(3);
/// assert_eq!(m[0], [true, false, false]);
/// assert_eq!(m[2], [true, true, true]);
/// ```
// ANCHOR: causal_mask
pub fn causal_mask(seq: usize) -> Allowed {
    // Key j is visible from query i exactly when it is not in i's future.
    (0..seq).map(|i| (0..seq).map(|j| j <= i).collect()).collect()
}
// ANCHOR_END: causal_mask

/// The prefix-LM mask (UniLM, GLM/ChatGLM): the first `prefix` tokens attend to each other
/// in both directions; every later token sees the whole prefix and, causally, the tokens
/// generated before it.
///
/// Worked example, 4 tokens of which the first 2 are the prefix:
/// ```text
/// ■ ■ □ □     token 0 already sees token 1: the prefix is read bidirectionally
/// ■ ■ □ □
/// ■ ■ ■ □     after the prefix, the causal rule
/// ■ ■ ■ ■
/// ```
/// ```
/// use solutions::architectures::lm_masks::prefix_lm_mask;
/// let m = prefix_lm_mask(4, 2);
/// assert_eq!(m[0], [true, true, false, false]);
/// assert_eq!(m[2], [true, true, true, false]);
/// ```
/// With `prefix = 0` it is the causal mask; with `prefix = seq` it is fully bidirectional.
// ANCHOR: prefix_lm_mask
pub fn prefix_lm_mask(seq: usize, prefix: usize) -> Allowed {
    assert!(prefix <= seq, "the prefix ({prefix} tokens) is longer than the sequence ({seq})");
    // Subtle: it is the key that decides. Any key inside the prefix is visible to every
    // query, including an earlier query in the prefix; a key after it only to its future.
    (0..seq).map(|i| (0..seq).map(|j| j < prefix || j <= i).collect()).collect()
}
// ANCHOR_END: prefix_lm_mask

/// The bidirectional mask of an encoder (BERT) on a padded sequence with `length` real
/// tokens: every query sees every real key and no padding key.
///
/// Subtle: the padding queries still get a row (they see the real keys), so that no row of
/// the softmax is all -∞; their outputs are ignored by the loss.
// ANCHOR: bidirectional_mask
pub fn bidirectional_mask(seq: usize, length: usize) -> Allowed {
    assert!(length <= seq, "{length} real tokens do not fit in a sequence of {seq}");
    (0..seq).map(|_| (0..seq).map(|j| j < length).collect()).collect()
}
// ANCHOR_END: bidirectional_mask

/// The additive form that §1.1's attention takes: one boolean mask per sequence, stacked
/// into a (B, S, S) tensor of 0.0 (allowed) and -∞ (forbidden).
///
/// PyTorch: a boolean `attn_mask` is turned into this by `masked_fill(~mask, -inf)`.
// ANCHOR: additive
pub fn additive(dev: &Dev, masks: &[Allowed]) -> Mask<usize, usize, usize> {
    let seq = masks.first().map_or(0, |m| m.len());
    let data: Vec<f32> = masks
        .iter()
        .flat_map(|m| m.iter().flatten())
        .map(|&ok| if ok { 0.0 } else { f32::NEG_INFINITY })
        .collect();
    assert_eq!(data.len(), masks.len() * seq * seq, "every mask must be {seq} × {seq}");
    dev.tensor_from_vec(data, (masks.len(), seq, seq))
}
// ANCHOR_END: additive

/// The mask drawn with ■ (allowed) and □ (hidden), one line per query; the book's figures.
pub fn render(mask: &Allowed) -> String {
    let row = |r: &Vec<bool>| r.iter().map(|&ok| if ok { '■' } else { '□' }).collect::<String>();
    mask.iter().map(row).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests;
