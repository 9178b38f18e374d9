//! §1.5: plausible wrong ALiBi slopes and biases.

use dfdx::prelude::*;
use solutions::foundations::alibi::alibi_slopes;
use solutions::Dev;

type T3 = Tensor<(usize, usize, usize), f32, Dev>;

/// 1/2, 1/4, 1/8, … whatever the head count.
pub fn slopes_halving(heads: usize) -> Vec<f32> {
    (1..=heads).map(|k| 0.5f32.powi(k as i32)).collect()
}

/// 2^(−8k/n) also when n is not a power of two.
pub fn slopes_geometric_for_any_n(heads: usize) -> Vec<f32> {
    (1..=heads).map(|k| 2f32.powf(-8.0 * k as f32 / heads as f32)).collect()
}

fn bias(dev: &Dev, heads: usize, seq: usize, value: impl Fn(f32, usize, usize) -> f32) -> T3 {
    let mut v = vec![];
    for m in alibi_slopes(heads) {
        for i in 0..seq {
            v.extend((0..seq).map(|j| value(m, i, j)));
        }
    }
    dev.tensor_from_vec(v, (heads, seq, seq))
}

/// −m·|i − j| everywhere: symmetric, not causal.
pub fn bias_not_causal(dev: &Dev, heads: usize, seq: usize) -> T3 {
    bias(dev, heads, seq, |m, i, j| -m * i.abs_diff(j) as f32)
}

/// +m·(i − j): rewards distance instead of penalising it.
pub fn bias_positive(dev: &Dev, heads: usize, seq: usize) -> T3 {
    bias(dev, heads, seq, |m, i, j| if j <= i { m * (i - j) as f32 } else { f32::NEG_INFINITY })
}
