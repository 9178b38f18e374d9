//! §1.5 ALiBi: attention with linear biases (线性偏置注意力).
//!
//! Paper: Press, Smith and Lewis, *Train Short, Test Long*, 2021, arXiv 2108.12409, §3.
//! Hugging Face: `build_alibi_tensor` in `transformers.models.bloom` (BLOOM uses ALiBi).
//!
//! ALiBi adds no position vector to the tokens. Instead each head h subtracts
//! $m_h \cdot (i - j)$ from the score of query i on key j: the further back the key, the
//! larger the penalty, with a different slope $m_h$ per head so that some heads look far
//! and some near. The slopes are a geometric sequence that starts at $2^{-8/n}$ and has
//! that same ratio, for n heads.

use crate::Dev;
use dfdx::prelude::*;

/// The per-head slopes of the paper. For a power of two n they are
/// $2^{-8/n}, 2^{-16/n}, \dots, 2^{-8}$. Otherwise the paper takes the slopes of the
/// largest power of two $c < n$, then the first $n - c$ of every other slope of $2c$ heads
/// (entries 0, 2, 4, … of that sequence), which fall between the first ones. This is the
/// `get_slopes` function of the paper's code.
///
/// ```
/// # use solutions::foundations::alibi::alibi_slopes;
/// assert_eq!(
///     alibi_slopes(8),
///     [0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625, 0.0078125, 0.00390625]
/// );
/// ```
// ANCHOR: alibi_slopes
pub fn alibi_slopes(heads: usize) -> Vec<f32> {
    assert!(heads > 0, "ALiBi needs at least one head");
    let geometric = |n: usize| -> Vec<f32> {
        let start = 2f64.powf(-8.0 / n as f64);
        (1..=n).map(|i| start.powi(i as i32) as f32).collect()
    };
    if heads.is_power_of_two() {
        return geometric(heads);
    }
    let c = 1 << heads.ilog2(); // the largest power of two below `heads`
    let mut slopes = geometric(c);
    slopes.extend(geometric(2 * c).into_iter().step_by(2).take(heads - c));
    slopes
}
// ANCHOR_END: alibi_slopes

/// The bias (H, S, S) added to the attention scores: $-m_h (i - j)$ where key $j \le i$,
/// and $-\infty$ where $j > i$, so it carries the causal mask too. Added to scores of shape
/// (B, H, S, S), it broadcasts over the batch.
// ANCHOR: alibi_bias
pub fn alibi_bias(dev: &Dev, heads: usize, seq: usize) -> Tensor<(usize, usize, usize), f32, Dev> {
    let mut bias = Vec::with_capacity(heads * seq * seq);
    for m in alibi_slopes(heads) {
        for i in 0..seq {
            // Subtle: the bias grows linearly without bound; the softmax only sees
            // differences within a row, so a far key is down-weighted by e^{-m·distance}.
            bias.extend(
                (0..seq).map(|j| if j <= i { -m * (i - j) as f32 } else { f32::NEG_INFINITY }),
            );
        }
    }
    dev.tensor_from_vec(bias, (heads, seq, seq))
}
// ANCHOR_END: alibi_bias

#[cfg(test)]
mod tests;
