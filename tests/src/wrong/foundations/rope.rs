//! §1.4: plausible wrong RoPE frequencies and rotations.

use crate::gradient::Tr;
use crate::wrong::through_vec;
use dfdx::prelude::*;
use solutions::foundations::rope::apply_rope;
use solutions::Dev;

type T4 = Tensor<(usize, usize, usize, usize), f32, Dev, Tr>;

/// θ_i = base^(−i/d).
pub fn frequencies_i_over_d(d: usize, base: f64) -> Vec<f64> {
    (0..d / 2).map(|i| base.powf(-(i as f64) / d as f64)).collect()
}

/// Rotates with the given pairing and direction, by loops.
fn rotate(x: T4, offset: usize, base: f64, halves: bool, sign: f64) -> T4 {
    let (b, h, s, d) = *x.shape();
    let v = x.as_vec();
    let mut out = v.clone();
    for row in 0..b * h * s {
        let m = (offset + row % s) as f64;
        for i in 0..d / 2 {
            let angle = sign * m * base.powf(-2.0 * i as f64 / d as f64);
            let (p, q) = if halves { (i, i + d / 2) } else { (2 * i, 2 * i + 1) };
            let (x0, x1) = (v[row * d + p] as f64, v[row * d + q] as f64);
            out[row * d + p] = (x0 * angle.cos() - x1 * angle.sin()) as f32;
            out[row * d + q] = (x0 * angle.sin() + x1 * angle.cos()) as f32;
        }
    }
    x.device().tensor_from_vec(out, (b, h, s, d)).put_tape(Tr::default())
}

/// Paired feature i with i + d/2 (Hugging Face's rotate_half).
pub fn rope_rotate_half(x: T4, offset: usize, base: f64) -> T4 {
    rotate(x, offset, base, true, 1.0)
}

/// x'_{2i} = x_{2i}·cos + x_{2i+1}·sin: a positive sine in the first row, so it turns by −mθ.
pub fn rope_wrong_sign(x: T4, offset: usize, base: f64) -> T4 {
    rotate(x, offset, base, false, -1.0)
}

/// Forgot the KV-cache offset.
pub fn rope_ignores_offset(x: T4, _offset: usize, base: f64) -> T4 {
    rotate(x, 0, base, false, 1.0)
}

/// All d exponents 2i/d for i < d: twice as many frequencies as pairs.
pub fn frequencies_one_per_feature(d: usize, base: f64) -> Vec<f64> {
    (0..d).map(|i| base.powf(-2.0 * i as f64 / d as f64)).collect()
}

/// θ_i = base^(+2i/d): the speeds grow instead of falling.
pub fn frequencies_sign_flipped(d: usize, base: f64) -> Vec<f64> {
    (0..d / 2).map(|i| base.powf(2.0 * i as f64 / d as f64)).collect()
}

/// The right rotation, copied out and back in: the tape is dropped.
pub fn rope_through_vec(x: T4, offset: usize, base: f64) -> T4 {
    through_vec(apply_rope(x, offset, base))
}
