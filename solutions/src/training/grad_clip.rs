//! §3.5 Gradient clipping by global norm (梯度裁剪).
//!
//! Paper: Pascanu, Mikolov & Bengio 2013, "On the difficulty of training recurrent neural
//! networks", arXiv 1211.5063, §3.2. PyTorch: `torch.nn.utils.clip_grad_norm_`, which
//! nanoGPT calls with `grad_clip = 1.0` before every optimizer step.
//!
//! All the gradients of a model, flattened and concatenated, form one vector `g`. If its
//! length (L2 norm) exceeds `max_norm`, the whole vector is scaled down to that length. The
//! direction of the step is kept, only its size is capped: one unlucky batch (a rare token,
//! a loss spike) cannot throw the weights far away. Clipping each tensor on its own would
//! change the direction; the global norm does not.
//!
//! $$ \|g\| = \sqrt{\textstyle\sum_{\text{tensors } t} \sum_i g_{t,i}^2}, \qquad
//!    g \leftarrow g \cdot \min\left(1, \frac{\text{max\_norm}}{\|g\| + 10^{-6}}\right) $$

use super::named_params::for_each_grad;
use crate::Dev;
use dfdx::nn::tensor_collection::TensorCollection;
use dfdx::tensor::{CpuError, Gradients};

/// The factor PyTorch multiplies every gradient by: `max_norm / (total_norm + 1e-6)`,
/// capped at 1 so that small gradients are never scaled up.
///
/// Subtle: the `1e-6` keeps a zero gradient from dividing by zero, and it also means a
/// gradient whose norm is exactly `max_norm` is still scaled, by `1 - 1e-6 / max_norm`:
/// that is PyTorch's behaviour, kept so that ours and PyTorch's agree at the boundary too.
// ANCHOR: clip_coefficient
pub fn clip_coefficient(total_norm: f32, max_norm: f32) -> f32 {
    (max_norm / (total_norm + 1e-6)).min(1.0)
}
// ANCHOR_END: clip_coefficient

/// Clips a model's gradients, given as one flat `Vec` per tensor, to global L2 norm
/// `max_norm`, in place, and returns the norm they had *before* clipping (what nanoGPT
/// logs, and what PyTorch's `clip_grad_norm_` returns).
///
/// Worked example: two tensors `[3.0]` and `[4.0]` have the global norm `√(9 + 16) = 5`.
/// With `max_norm = 1` both are multiplied by `1 / (5 + 1e-6)`, giving `[0.6]` and `[0.8]`
/// (to 1e-6), and the function returns `5.0`. With `max_norm = 10` nothing changes.
///
/// Subtle: the squares are summed in `f64`. A GPT has about a million gradients, and an
/// `f32` running sum of a million small squares loses digits once the sum dwarfs each term.
// ANCHOR: clip_grad_norm
pub fn clip_grad_norm(grads: &mut [Vec<f32>], max_norm: f32) -> f32 {
    // One norm over all tensors together: the square root of the sum of all squares.
    let sum_sq: f64 = grads.iter().flatten().map(|&g| (g as f64) * (g as f64)).sum();
    let total_norm = sum_sq.sqrt() as f32;
    // Scale every gradient by the same factor, so the step keeps its direction.
    let coef = clip_coefficient(total_norm, max_norm);
    if coef < 1.0 {
        grads.iter_mut().flatten().for_each(|g| *g *= coef);
    }
    total_norm
}
// ANCHOR_END: clip_grad_norm

/// [`clip_grad_norm`] on a dfdx model's gradients, in place: one pass over the model's
/// trainable tensors for the norm, a second one to scale. Returns the norm before clipping.
///
/// ```ignore
/// let grads = loss.backward();
/// let norm = clip_model_grads(&model, &mut grads, 1.0)?; // nanoGPT's grad_clip
/// ```
// ANCHOR: clip_model_grads
pub fn clip_model_grads<M: TensorCollection<f32, Dev>>(
    model: &M,
    grads: &mut Gradients<f32, Dev>,
    max_norm: f32,
) -> Result<f32, CpuError> {
    let mut sum_sq = 0.0f64;
    for_each_grad(model, grads, |_, g| sum_sq += sum_of_squares(g))?;
    let total_norm = sum_sq.sqrt() as f32;
    let coef = clip_coefficient(total_norm, max_norm);
    if coef < 1.0 {
        for_each_grad(model, grads, |_, g| g.iter_mut().for_each(|x| *x *= coef))?;
    }
    Ok(total_norm)
}
// ANCHOR_END: clip_model_grads

/// `Σ x²` in `f64`, over eight independent partial sums: one running sum is a chain of
/// dependent additions the CPU cannot overlap; eight let the compiler vectorise the loop.
fn sum_of_squares(x: &[f32]) -> f64 {
    let mut lanes = [0.0f64; 8];
    let chunks = x.chunks_exact(8);
    let tail: f64 = chunks.remainder().iter().map(|&v| (v as f64) * (v as f64)).sum();
    for c in chunks {
        for (l, &v) in lanes.iter_mut().zip(c) {
            *l += (v as f64) * (v as f64);
        }
    }
    lanes.iter().sum::<f64>() + tail
}

#[cfg(test)]
mod tests {
    use super::{clip_grad_norm, clip_model_grads, sum_of_squares};
    use crate::training::named_params::for_each_grad;
    use crate::training::test_model::bigram;
    use dfdx::nn::ZeroGrads;
    use std::collections::HashMap;

    #[test]
    fn hand_worked_three_four_five() {
        let mut g = vec![vec![3.0], vec![4.0]];
        let norm = clip_grad_norm(&mut g, 1.0);
        assert_eq!(norm, 5.0, "the norm of [3] and [4] together is 5, not per tensor");
        assert!((g[0][0] - 0.6).abs() < 1e-6 && (g[1][0] - 0.8).abs() < 1e-6, "got {g:?}");
        // Below the threshold the gradients are left exactly as they were.
        let mut g = vec![vec![3.0], vec![4.0]];
        assert_eq!(clip_grad_norm(&mut g, 10.0), 5.0);
        assert_eq!(g, vec![vec![3.0], vec![4.0]], "clipping must never scale gradients up");
        // A zero gradient has norm 0 and stays zero (no division by zero).
        let mut g = vec![vec![0.0; 3]];
        assert_eq!(clip_grad_norm(&mut g, 1.0), 0.0);
        assert_eq!(g, vec![vec![0.0; 3]]);
    }

    #[test]
    fn eight_lane_sum_of_squares_is_the_plain_sum() {
        // 0² + 1² + … + 20² = 20·21·41/6 = 2870; 21 values leave a remainder of 5 lanes.
        let x: Vec<f32> = (0..=20).map(|k| k as f32).collect();
        assert_eq!(sum_of_squares(&x), 2870.0);
        assert_eq!(sum_of_squares(&[]), 0.0);
    }

    #[derive(serde::Deserialize)]
    struct Case {
        max_norm: f32,
        total_norm: f32,
        clipped: HashMap<String, Vec<f32>>,
    }

    #[derive(serde::Deserialize)]
    struct Reference {
        tolerance: f32,
        grads: HashMap<String, Vec<f32>>,
        cases: Vec<Case>,
    }

    /// `torch.nn.utils.clip_grad_norm_` on the same gradients, stored by
    /// `scripts/reference/grad_clip.py`; checked on a real dfdx model's `Gradients`, and the
    /// flat-`Vec` version must agree with the model version.
    #[test]
    fn matches_pytorch_clip_grad_norm() {
        let r: Reference =
            serde_json::from_str(include_str!("../../../data/reference/grad_clip.json"))
                .expect("data/reference/grad_clip.json does not parse");
        let model = bigram(0);
        let mut worst = 0.0f32;
        for case in &r.cases {
            let mut grads = model.alloc_grads();
            for_each_grad(&model, &mut grads, |name, g| g.copy_from_slice(&r.grads[name])).unwrap();
            let norm = clip_model_grads(&model, &mut grads, case.max_norm).unwrap();
            let rel = (norm - case.total_norm).abs() / case.total_norm;
            assert!(
                rel <= r.tolerance,
                "max_norm {}: total norm {norm}, PyTorch {} (relative error {rel:.1e} > {:.0e}): \
                 is it one norm over all tensors, before clipping?",
                case.max_norm,
                case.total_norm,
                r.tolerance
            );
            let mut flat = Vec::new();
            for_each_grad(&model, &mut grads, |name, g| {
                for (i, (&ours, &torch)) in g.iter().zip(&case.clipped[name]).enumerate() {
                    worst = worst.max((ours - torch).abs());
                    assert!(
                        (ours - torch).abs() <= r.tolerance,
                        "max_norm {}: {name}[{i}] is {ours} after clipping, PyTorch has {torch}",
                        case.max_norm
                    );
                }
                flat.push(r.grads[name].clone());
            })
            .unwrap();
            let flat_norm = clip_grad_norm(&mut flat, case.max_norm);
            assert_eq!(flat_norm, norm, "the Vec version and the model version disagree");
        }
        println!("grad clip: max |ours - PyTorch| = {worst:.2e}");
    }
}
