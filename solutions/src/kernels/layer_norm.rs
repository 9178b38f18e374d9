//! LayerNorm over the features of each row, forward and backward each in one pass per row.
//!
//! Paper: Ba, Kiros & Hinton 2016, arXiv 1607.06450. PyTorch: `F.layer_norm(x, (C,), w, b,
//! eps)`. The readable composition (§1.8, `gpt/parts.rs`'s `LayerNorm::forward`) is a mean,
//! a subtraction, a square, a second mean, a sqrt, a division, a gain and a shift: eight
//! passes and eight buffers forward, as many backward. Here the forward keeps x̂ and 1/σ per
//! row, and the backward is the closed form
//! dx = (1/σ)·(dx̂ − mean(dx̂) − x̂·mean(dx̂ ⊙ x̂)) with dx̂ = dy ⊙ w, dw = Σ dy ⊙ x̂, db = Σ dy.

use super::linear::Rows;
use super::values;
use crate::architectures::params::Vector;
use crate::Dev;
use dfdx::prelude::*;

/// (N, C) -> (N, C): `(x − mean) / √(var + eps) · w + b` per row, with the biased variance
/// (as PyTorch), the gradients of x, `w` and `b` recorded on x's tape.
pub fn layer_norm<T: Tape<f32, Dev>>(x: Rows<T>, w: &Vector, b: &Vector, eps: f32) -> Rows<T> {
    let (n, c) = *x.shape();
    assert!(w.shape().0 .0 == c && b.shape().0 .0 == c, "layer_norm: gain/bias are not ({c},)");
    let dev = x.device().clone();
    let (x, mut tape) = x.split_tape();
    let (wv, bv) = (values(w), values(b));
    // x̂ overwrites the copy of x; the output is a second buffer.
    let mut xhat = values(&x);
    let mut rstd = vec![0.0f32; n];
    let mut y = vec![0.0f32; n * c];
    super::simd(|| {
        for ((row, r), y_row) in xhat.chunks_exact_mut(c).zip(&mut rstd).zip(y.chunks_exact_mut(c))
        {
            // Centre the row in place, then its variance is a dot product with itself.
            let mean = super::sum(row) / c as f32;
            row.iter_mut().for_each(|v| *v -= mean);
            *r = 1.0 / (super::dot(row, row) / c as f32 + eps).sqrt();
            for (((xh, y), w), b) in row.iter_mut().zip(y_row).zip(&wv).zip(&bv) {
                *xh *= *r;
                *y = *xh * w + b;
            }
        }
    });
    let out = dev.tensor_from_vec(y, (n, c));
    if T::OWNS_TAPE {
        let (x_g, out_g, w, b) = (x.ghost(), out.ghost(), w.clone(), b.clone());
        tape.add_backward_op(move |grads| {
            grads.try_alloc_for(&x_g)?;
            grads.try_alloc_for(&w)?;
            grads.try_alloc_for(&b)?;
            let dy = std::mem::take(&mut **grads.get_or_alloc_mut(&out_g)?);
            let (mut dw, mut db) = (vec![0.0f32; c], vec![0.0f32; c]);
            // dx̂ = dy ⊙ w of the current row.
            let mut g = vec![0.0f32; c];
            let dx = grads.get_or_alloc_mut(&x_g)?;
            super::simd(|| {
                let rows = dy.chunks_exact(c).zip(xhat.chunks_exact(c)).zip(dx.chunks_exact_mut(c));
                for (((dy, xh), dx), r) in rows.zip(&rstd) {
                    for ((((g, dy), xh), w), (dw, db)) in
                        g.iter_mut().zip(dy).zip(xh).zip(&wv).zip(dw.iter_mut().zip(&mut db))
                    {
                        *g = dy * w;
                        *dw += dy * xh;
                        *db += dy;
                    }
                    // mean(dx̂) and mean(dx̂ ⊙ x̂).
                    let (m1, m2) = (super::sum(&g) / c as f32, super::dot(&g, xh) / c as f32);
                    for ((dx, g), xh) in dx.iter_mut().zip(&g).zip(xh) {
                        *dx += r * (g - m1 - xh * m2);
                    }
                }
            });
            super::add_into(grads.get_or_alloc_mut(&w)?, &dw);
            super::add_into(grads.get_or_alloc_mut(&b)?, &db);
            Ok(())
        });
    }
    out.put_tape(tape)
}

#[cfg(test)]
mod tests;
