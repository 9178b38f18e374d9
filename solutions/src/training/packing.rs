//! §4.6 Packing SFT samples (样本拼接 / packing): many short samples in one fixed-length
//! row, each attending only to itself and counting its positions from 0.
//!
//! Papers: Krell et al. 2021, *Efficient Sequence Packing without Cross-contamination*
//! (arXiv 2107.02027), which shows why the block-diagonal mask and restarted positions are
//! needed; Raffel et al. 2020 (T5, arXiv 1910.10683) packed without them. Hugging Face:
//! `DataCollatorWithFlattening` (restarted `position_ids`, `labels` = −100 on the first
//! token of every sample) and TRL's `SFTConfig(packing=True)`; PyTorch's
//! `CrossEntropyLoss(ignore_index=-100)`.
//!
//! Labels follow Hugging Face's convention: `labels[t]` is the token at t itself (or
//! [`IGNORE_INDEX`]), and the loss scores the logits at t − 1 against it
//! ([`causal_lm_loss`]). A row's parts:
//!
//! | field | sample tokens | padding |
//! |---|---|---|
//! | `tokens` | the sample | `pad` |
//! | `labels` | the token, but −100 on each sample's first token | −100 |
//! | `positions` | 0, 1, 2, … restarted per sample | 0 |
//! | `segments` | `Some(index of the sample)` | `None` |

use crate::architectures::gpt::Gpt;
use crate::architectures::lm_masks::Allowed;
use crate::architectures::params::mat;
use crate::foundations::self_attention::Mask;
use crate::Dev;
use dfdx::prelude::*;

/// The label that the loss skips: PyTorch's `CrossEntropyLoss` default `ignore_index`,
/// which Hugging Face's models use for every position that must not be trained.
pub const IGNORE_INDEX: i64 = -100;

/// One packed row of `row_len` tokens; every field is (T,), T = `row_len`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackedRow {
    pub tokens: Vec<usize>,
    /// The token id where it is trained, [`IGNORE_INDEX`] on each sample's first token
    /// (whose prediction would come from the previous sample) and on padding.
    pub labels: Vec<i64>,
    /// Hugging Face's `position_ids`: 0 at the start of every sample, 0 on padding.
    pub positions: Vec<usize>,
    /// Which input sample each token comes from; `None` on padding.
    pub segments: Vec<Option<usize>>,
}

// ANCHOR: pack
/// Packs `samples` (token ids) into rows of exactly `row_len` tokens by greedy first fit:
/// in input order, each sample goes into the first row that still has room for it, or
/// starts a new row. Rows are filled up with `pad`. A sample longer than `row_len` is
/// truncated to its first `row_len` tokens (`max_length` truncation); an empty one is
/// skipped.
///
/// Worked example, `row_len` 4, pad 0, samples `[5, 6, 7]`, `[8, 9]`, `[3]`: `[8, 9]` does
/// not fit after `[5, 6, 7]`, so it opens row 1; `[3]` fits in row 0's last slot.
/// ```
/// use solutions::training::packing::{pack, IGNORE_INDEX as X};
/// let rows = pack(&[vec![5, 6, 7], vec![8, 9], vec![3]], 4, 0);
/// assert_eq!(rows[0].tokens, [5, 6, 7, 3]);
/// assert_eq!(rows[0].labels, [X, 6, 7, X]);
/// assert_eq!(rows[0].positions, [0, 1, 2, 0]);
/// assert_eq!(rows[0].segments, [Some(0), Some(0), Some(0), Some(2)]);
/// assert_eq!(rows[1].tokens, [8, 9, 0, 0]);
/// assert_eq!(rows[1].labels, [X, 9, X, X]);
/// assert_eq!(rows[1].positions, [0, 1, 0, 0]);
/// ```
pub fn pack(samples: &[Vec<usize>], row_len: usize, pad: usize) -> Vec<PackedRow> {
    assert!(row_len > 0, "rows must hold at least one token");
    // Which samples each row holds, in the order they arrived.
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut free: Vec<usize> = Vec::new();
    for (i, s) in samples.iter().enumerate().filter(|(_, s)| !s.is_empty()) {
        let len = s.len().min(row_len);
        // Subtle: first fit looks back at every open row, not only the last one: a short
        // sample fills the tail an earlier long one left, which "in order" packing wastes.
        match free.iter().position(|&f| f >= len) {
            Some(r) => {
                rows[r].push(i);
                free[r] -= len;
            }
            None => {
                rows.push(vec![i]);
                free.push(row_len - len);
            }
        }
    }
    rows.iter().map(|members| build_row(samples, members, row_len, pad)).collect()
}
// ANCHOR_END: pack

/// For comparison, "in order" (next fit): a sample that does not fit closes the current
/// row for good. The data order is kept exactly, at the cost of more padding.
pub fn pack_in_order(samples: &[Vec<usize>], row_len: usize, pad: usize) -> Vec<PackedRow> {
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut used = row_len; // no open row yet
    for (i, s) in samples.iter().enumerate().filter(|(_, s)| !s.is_empty()) {
        let len = s.len().min(row_len);
        if used + len > row_len {
            rows.push(Vec::new());
            used = 0;
        }
        rows.last_mut().unwrap().push(i);
        used += len;
    }
    rows.iter().map(|members| build_row(samples, members, row_len, pad)).collect()
}

/// No packing: one sample per row, padded to `row_len` (the baseline for the padding).
pub fn pad_each(samples: &[Vec<usize>], row_len: usize, pad: usize) -> Vec<PackedRow> {
    let rows: Vec<Vec<usize>> =
        (0..samples.len()).filter(|&i| !samples[i].is_empty()).map(|i| vec![i]).collect();
    rows.iter().map(|members| build_row(samples, members, row_len, pad)).collect()
}

/// The row holding `members` (sample indices) one after the other, then padding.
fn build_row(samples: &[Vec<usize>], members: &[usize], row_len: usize, pad: usize) -> PackedRow {
    let mut row = PackedRow {
        tokens: Vec::with_capacity(row_len),
        labels: Vec::with_capacity(row_len),
        positions: Vec::with_capacity(row_len),
        segments: Vec::with_capacity(row_len),
    };
    for &i in members {
        for (p, &tok) in samples[i].iter().take(row_len).enumerate() {
            row.tokens.push(tok);
            // The first token would be predicted from the previous sample's last one.
            row.labels.push(if p == 0 { IGNORE_INDEX } else { tok as i64 });
            row.positions.push(p);
            row.segments.push(Some(i));
        }
    }
    let fill = row_len - row.tokens.len();
    row.tokens.extend(std::iter::repeat_n(pad, fill));
    row.labels.extend(std::iter::repeat_n(IGNORE_INDEX, fill));
    row.positions.extend(std::iter::repeat_n(0, fill));
    row.segments.extend(std::iter::repeat_n(None, fill));
    row
}

// ANCHOR: block_causal_mask
/// The row's attention mask, block-diagonal and causal: query i sees key j when j ≤ i and
/// both come from the same sample. What FlashAttention's `cu_seqlens` encode.
pub fn block_causal_mask(row: &PackedRow) -> Allowed {
    let s = &row.segments;
    (0..s.len())
        .map(|i| {
            (0..s.len())
                // Subtle: a padding token sees itself, so that its softmax row is not all
                // −∞ (NaN, which 0 · NaN would carry into the loss); its label is ignored.
                .map(|j| i == j || (j <= i && s[i].is_some() && s[i] == s[j]))
                .collect()
        })
        .collect()
}
// ANCHOR_END: block_causal_mask

/// The share of padding tokens among all tokens of `rows`.
pub fn padding_fraction(rows: &[PackedRow]) -> f64 {
    let total: usize = rows.iter().map(|r| r.tokens.len()).sum();
    let pads: usize = rows.iter().map(|r| r.segments.iter().filter(|s| s.is_none()).count()).sum();
    pads as f64 / total.max(1) as f64
}

/// `text` cut into sentences (after `.`, `!`, `?`, `。`, `！`, `？`, and at line ends), each
/// as character ids: the samples of the padding measurement on the course corpus.
pub fn sentences_as_chars(text: &str) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut cur: Vec<usize> = Vec::new();
        for ch in line.chars() {
            cur.push(ch as usize);
            if matches!(ch, '.' | '!' | '?' | '。' | '！' | '？') {
                out.push(std::mem::take(&mut cur));
            }
        }
        out.push(cur);
    }
    // Drop the whitespace between sentences, and empty pieces.
    out.into_iter()
        .map(|s| {
            let t: String = s.iter().filter_map(|&c| char::from_u32(c as u32)).collect();
            t.trim().chars().map(|c| c as usize).collect::<Vec<usize>>()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// The padding share of the three ways to make rows of `row_len` from `samples`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PaddingReport {
    pub samples: usize,
    /// Sample tokens after truncation to `row_len`.
    pub tokens: usize,
    /// The fewest rows that could hold them: ⌈tokens / row_len⌉.
    pub min_rows: usize,
    /// (rows, padding fraction) for one sample per row, in-order and first-fit packing.
    pub unpacked: (usize, f64),
    pub in_order: (usize, f64),
    pub first_fit: (usize, f64),
}

/// Measures [`PaddingReport`] on `samples`.
pub fn padding_report(samples: &[Vec<usize>], row_len: usize) -> PaddingReport {
    let measure = |rows: Vec<PackedRow>| (rows.len(), padding_fraction(&rows));
    let tokens: usize = samples.iter().map(|s| s.len().min(row_len)).sum();
    PaddingReport {
        samples: samples.iter().filter(|s| !s.is_empty()).count(),
        tokens,
        min_rows: tokens.div_ceil(row_len),
        unpacked: measure(pad_each(samples, row_len, 0)),
        in_order: measure(pack_in_order(samples, row_len, 0)),
        first_fit: measure(pack(samples, row_len, 0)),
    }
}

impl Gpt {
    // ANCHOR: forward_packed
    /// Logits (B, T, V) for packed rows: [`Gpt::forward`] with the learned position
    /// embedding read at `positions` (B·T ids, restarted per sample) and every block under
    /// the given `mask` (B, T, T), e.g. [`block_causal_mask`] in additive form.
    ///
    /// RoPE and ALiBi take no position ids here: their attention scores depend only on the
    /// distance j − i, which a block-diagonal mask keeps the same as in the unpacked sample.
    pub fn forward_packed<T: Tape<f32, Dev>>(
        &self,
        tokens: Tensor<(usize, usize), usize, Dev, T>,
        positions: &[usize],
        mask: &Mask<usize, usize, usize>,
    ) -> Tensor<(usize, usize, usize), f32, Dev, T> {
        let (b, t) = *tokens.shape();
        assert_eq!(positions.len(), b * t, "one position id per token (B·T)");
        let dev = tokens.device().clone();
        let (tokens, tape) = tokens.split_tape();
        let ids = dev.tensor_from_vec(tokens.as_vec(), (b * t,));
        let tok = mat::<NoneTape>(&self.wte).put_tape(tape).gather(ids); // (N, C)
        let x = match &self.wpe {
            // Subtle: row `positions[n]` of wpe for token n, not row n mod T: this is where
            // a packed sample's first token gets position 0 again.
            Some(wpe) => {
                tok + mat::<T>(wpe).gather(dev.tensor_from_vec(positions.to_vec(), (b * t,)))
            }
            None => tok,
        };
        self.blocks_and_head(x, mask, (b, t))
    }
    // ANCHOR_END: forward_packed
}

// ANCHOR: causal_lm_loss
/// Hugging Face's causal-LM loss with labels (B·T, [`IGNORE_INDEX`] where untrained): the
/// logits at t − 1 scored against `labels[t]`, averaged over the trained tokens only
/// (token-weighted, not per row or per sample).
/// PyTorch: `F.cross_entropy(logits[:, :-1].flatten(0, 1), labels[:, 1:].flatten(),
/// ignore_index=-100)`.
pub fn causal_lm_loss<T: Tape<f32, Dev>>(
    logits: Tensor<(usize, usize, usize), f32, Dev, T>,
    labels: &[i64],
) -> Tensor<(), f32, Dev, T> {
    let (b, t, v) = *logits.shape();
    assert_eq!(labels.len(), b * t, "one label per token (B·T)");
    let dev = logits.device().clone();
    // Position t − 1 predicts label t: drop each row's first label and last logits.
    let shifted: Vec<i64> = (0..b).flat_map(|r| labels[r * t + 1..(r + 1) * t].to_vec()).collect();
    let n = b * (t - 1);
    let trained = shifted.iter().filter(|&&l| l != IGNORE_INDEX).count();
    assert!(trained > 0, "no label is trained: the loss would be 0/0");
    // Ignored rows pick any id (0) and are then multiplied by 0.
    let ids: Vec<usize> = shifted.iter().map(|&l| l.max(0) as usize).collect();
    let keep: Vec<f32> = shifted.iter().map(|&l| f32::from(u8::from(l != IGNORE_INDEX))).collect();
    let logp = logits.slice((.., 0..t - 1, ..)).reshape_like(&(n, v)).log_softmax::<Axis<1>>();
    let picked = logp.select(dev.tensor_from_vec(ids, (n,))); // (N,)
    (picked * dev.tensor_from_vec(keep, (n,))).sum().negate() / trained as f32
}
// ANCHOR_END: causal_lm_loss

#[cfg(test)]
mod tests;
