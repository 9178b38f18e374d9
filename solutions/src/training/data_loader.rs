//! §3.5 The random-window data loader with a held-out split (数据加载与验证集划分).
//!
//! nanoGPT (`train.py`, `get_batch`; `data/shakespeare_char/prepare.py`): the corpus is one
//! long stream of token ids; its first 90 % is for training, the last 10 % is held out for
//! validation. A batch is `B` windows of `T` consecutive tokens starting at random offsets,
//! and the targets are the same windows shifted one token to the right: at every position
//! the model is asked for the next token. PyTorch has no single equivalent; nanoGPT's is
//! `torch.randint` plus `torch.stack` over slices of a `np.memmap`.
//!
//! Random windows rather than epochs over fixed chunks: every offset is a training example,
//! the windows overlap freely, and the loader needs no state but a random number generator.
//! That is what makes an exact resume cheap: [`batch_rng`] derives the generator of step
//! `s` from `(seed, s)` alone, so a resumed run draws the very batches it would have drawn.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

// §3.5's other exercises, re-exported so that the section's exercise file (generated from
// this module) holds all three; each is defined, tested and quoted by the book in its own
// file.
pub use crate::training::grad_clip::clip_grad_norm;
pub use crate::training::lr_schedule::lr_at_step;

/// Splits a token stream into (train, validation), the first `train_fraction` for training,
/// as nanoGPT's `n = len(data); train = data[:int(n * 0.9)]; val = data[int(n * 0.9):]`.
///
/// Subtle: the split is contiguous, not shuffled. Shuffled windows would leak: a validation
/// window overlapping a training window would be half memorised.
pub fn train_val_split(tokens: &[u32], train_fraction: f64) -> (&[u32], &[u32]) {
    let n = (tokens.len() as f64 * train_fraction) as usize;
    tokens.split_at(n.min(tokens.len()))
}

/// `batch` random windows of `context` tokens from `data`, and their targets: row `b` of
/// `x` is `data[i..i + context]` and row `b` of `y` is `data[i + 1..i + context + 1]`, with
/// the start `i` drawn as `rng.gen_range(0..data.len() - context)`, one per row, in order.
///
/// Worked example: `data = [10, 11, 12, 13, 14]`, `context = 3`. The possible starts are 0
/// and 1 (`gen_range(0..2)`); start 1 gives `x = [11, 12, 13]` and `y = [12, 13, 14]`. The
/// last start, `len - context - 1`, is the last one whose target still fits.
///
/// Panics when `data` has no more than `context` tokens: no window has a target.
// ANCHOR: get_batch
pub fn get_batch(
    data: &[u32],
    batch: usize,
    context: usize,
    rng: &mut impl Rng,
) -> (Vec<Vec<u32>>, Vec<Vec<u32>>) {
    assert!(
        data.len() > context,
        "get_batch: {} tokens cannot hold a window of {context} plus its next-token target; \
         use a longer text or a shorter context",
        data.len()
    );
    let (mut x, mut y) = (Vec::with_capacity(batch), Vec::with_capacity(batch));
    for _ in 0..batch {
        // Starts 0..=len-context-1: the target window ends on the last token.
        let i = rng.gen_range(0..data.len() - context);
        x.push(data[i..i + context].to_vec()); // (T,)
        y.push(data[i + 1..i + 1 + context].to_vec()); // (T,), shifted by one
    }
    (x, y)
}
// ANCHOR_END: get_batch

/// The random number generator for the batch of training step `step` of a run seeded with
/// `seed`. A fresh generator per step, derived from `(seed, step)` only, means a run resumed
/// at step `s` draws exactly the batches the uninterrupted run drew, with nothing but the
/// seed and the step saved.
///
/// The two numbers are mixed with SplitMix64 (Steele, Lea & Flood 2014; the seeding
/// function of `xoshiro`), so that neighbouring steps get unrelated streams.
pub fn batch_rng(seed: u64, step: u64) -> StdRng {
    StdRng::seed_from_u64(splitmix64(seed ^ splitmix64(step)))
}

/// SplitMix64's output function: a bijection on `u64` whose outputs look independent.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Flattens a batch of rows into one row-major `Vec<usize>` of `B · T` ids, the layout of a
/// dfdx `(B, T)` tensor of token ids (`dev.tensor_from_vec(flat, (b, t))`).
pub fn flatten_batch(rows: &[Vec<u32>]) -> Vec<usize> {
    rows.iter().flatten().map(|&t| t as usize).collect()
}

#[cfg(test)]
mod tests;
