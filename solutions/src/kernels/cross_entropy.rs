//! Mean cross-entropy of logits against target ids, log-softmax and all, in one op.
//!
//! PyTorch: `F.cross_entropy(logits, targets)` (one fused ATen kernel). The readable
//! composition (`train_loop::next_token_loss`, `Gpt::loss`) is `log_softmax`, `select`,
//! `mean`, `negate`: four ops, and the log-softmax's backward walks the (N, V) logits
//! again. Here each row's log-sum-exp is computed once and kept, and the backward is the
//! closed form dz = (softmax(z) − onehot(y)) · g / N.

use super::linear::Rows;
use super::values;
use crate::Dev;
use dfdx::prelude::*;

/// −(1/N) Σᵢ log softmax(zᵢ)[yᵢ] for logits (N, V) and N target ids.
pub fn cross_entropy<T: Tape<f32, Dev>>(
    logits: Rows<T>,
    targets: &[usize],
) -> Tensor<(), f32, Dev, T> {
    let (n, v) = *logits.shape();
    assert_eq!(targets.len(), n, "cross_entropy: {n} rows of logits, {} targets", targets.len());
    if let Some(&bad) = targets.iter().find(|&&y| y >= v) {
        panic!("cross_entropy: target id {bad} is outside the vocabulary of {v}");
    }
    let dev = logits.device().clone();
    let (logits, mut tape) = logits.split_tape();
    let z = values(&logits);
    // log Σ exp(z) per row, shifted by the row's max so that exp cannot overflow.
    let lse: Vec<f32> = z
        .chunks_exact(v)
        .map(|row| {
            let max = super::max(row);
            max + row.iter().map(|x| (x - max).exp()).sum::<f32>().ln()
        })
        .collect();
    // Summed in f64: N terms of similar size, as dfdx's `mean` gives them to float rounding.
    let total: f64 =
        z.chunks_exact(v).zip(&lse).zip(targets).map(|((r, l), &y)| (l - r[y]) as f64).sum();
    let out = dev.tensor_from_vec(vec![(total / n as f64) as f32], ());
    if T::OWNS_TAPE {
        let (z_g, out_g, targets) = (logits.ghost(), out.ghost(), targets.to_vec());
        tape.add_backward_op(move |grads| {
            grads.try_alloc_for(&z_g)?;
            let g = grads.get_or_alloc_mut(&out_g)?[0] / n as f32;
            let dz = grads.get_or_alloc_mut(&z_g)?;
            let rows = dz.chunks_exact_mut(v).zip(z.chunks_exact(v)).zip(&lse).zip(&targets);
            for (((dz, z), l), &y) in rows {
                for (d, x) in dz.iter_mut().zip(z) {
                    *d += (x - l).exp() * g;
                }
                dz[y] -= g;
            }
            Ok(())
        });
    }
    out.put_tape(tape)
}

#[cfg(test)]
mod tests;
