//! §1.3: plausible wrong sinusoidal tables and token permutations.

use crate::gradient::Tr;
use crate::wrong::through_vec;
use dfdx::prelude::*;
use solutions::foundations::positional_encoding::permute_tokens;
use solutions::Dev;

type T2 = Tensor<(usize, usize), f32, Dev>;
type T3 = Tensor<(usize, usize, usize), f32, Dev, Tr>;

fn table(dev: &Dev, len: usize, d: usize, cos_first: bool, exponent_scale: f64) -> T2 {
    let mut v = Vec::with_capacity(len * d);
    for p in 0..len {
        for i in 0..d / 2 {
            let angle = p as f64 * 10000f64.powf(-exponent_scale * i as f64 / d as f64);
            let (s, c) = (angle.sin() as f32, angle.cos() as f32);
            v.extend(if cos_first { [c, s] } else { [s, c] });
        }
    }
    dev.tensor_from_vec(v, (len, d))
}

/// Put the cosine in the even column.
pub fn table_sin_cos_swapped(dev: &Dev, len: usize, d: usize) -> T2 {
    table(dev, len, d, true, 2.0)
}

/// ω_i = 10000^(−i/d).
pub fn table_exponent_i_over_d(dev: &Dev, len: usize, d: usize) -> T2 {
    table(dev, len, d, false, 1.0)
}

/// Sent token t to position perm[t] (a scatter): the inverse permutation.
pub fn permute_tokens_scatter(x: T3, perm: &[usize]) -> T3 {
    let (b, s, m) = *x.shape();
    let v = x.as_vec();
    let mut out = vec![0.0; v.len()];
    for bb in 0..b {
        for (t, &p) in perm.iter().enumerate() {
            let (to, from) = ((bb * s + p) * m, (bb * s + t) * m);
            out[to..to + m].copy_from_slice(&v[from..from + m]);
        }
    }
    x.device().tensor_from_vec(out, (b, s, m)).put_tape(Tr::default())
}

/// Gathered with the tokens in front, then reshaped instead of permuted back.
pub fn permute_tokens_not_moved_back(x: T3, perm: &[usize]) -> T3 {
    let (b, s, m) = *x.shape();
    let idx = x.device().tensor_from_vec(perm.to_vec(), (s,));
    x.permute::<_, Axes3<1, 0, 2>>().gather(idx).reshape_like(&(b, s, m))
}

/// The right permutation, copied out and back in: the gradient never reaches x.
pub fn permute_tokens_through_vec(x: T3, perm: &[usize]) -> T3 {
    through_vec(permute_tokens(x, perm))
}
