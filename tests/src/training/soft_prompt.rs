//! Graded suite for §4.5's `soft_prompt`: the input of the frozen GPT's first block with p
//! virtual tokens in front, recomputed here by plain loops over the model's tables.
//!
//! The cases have p, B and T all different (so a transposed or mis-broadcast prompt shows),
//! a model with a learned position table (so the positions' shift shows) and one with RoPE
//! (none to add). Each usual slip is recomputed and named: the prompt appended after the
//! tokens, the real tokens left at positions 0..T, the positions forgotten. Then the
//! gradient reaching the prompt is compared with the library's, and the frozen tables must
//! receive none.

use crate::compare::{all_close, close, Tol};
use crate::gradient::{backward_weighted, check_gradient, grad_of, plain, traced, Tr};
use crate::{Check, Failure};
use dfdx::prelude::*;
use solutions::architectures::gpt::{Gpt, GptConfig, Positions};
use solutions::Dev;

/// A prompt (p, C) on the tape.
pub type TPrompt = Tensor<(usize, usize), f32, Dev, Tr>;
/// Token ids (B, T).
pub type Ids = Tensor<(usize, usize), usize, Dev>;
/// The block input (B, p+T, C) on the tape.
pub type TInput = Tensor<(usize, usize, usize), f32, Dev, Tr>;

/// Where the prompt goes and which positions each part gets: the right way and the slips.
#[derive(Clone, Copy, PartialEq)]
enum Layout {
    Right,
    Appended,
    Unshifted,
    UnshiftedBoth,
    NoPositions,
}

/// The block input under `layout`, in f64, flattened (B, p+T, C).
fn reference(
    model: &Gpt,
    prompt: &[f32],
    (p, c): (usize, usize),
    ids: &[usize],
    (b, t): (usize, usize),
    layout: Layout,
) -> Vec<f64> {
    let wte = model.wte.as_vec();
    let wpe = model.wpe.as_ref().map(|w| w.as_vec());
    let mut out = Vec::with_capacity(b * (p + t) * c);
    for r in 0..b {
        for i in 0..p + t {
            // Which vector sits at row i, and which position (if any) it gets.
            let (vector, pos): (&[f32], Option<usize>) = match layout {
                Layout::Appended if i < t => (&wte[ids[r * t + i] * c..][..c], Some(i)),
                Layout::Appended => (&prompt[(i - t) * c..][..c], Some(i)),
                _ if i < p => {
                    let pos = match layout {
                        Layout::Unshifted | Layout::NoPositions => None,
                        _ => Some(i),
                    };
                    (&prompt[i * c..][..c], pos)
                }
                _ => {
                    let pos = match layout {
                        Layout::Unshifted | Layout::UnshiftedBoth => Some(i - p),
                        Layout::NoPositions => None,
                        _ => Some(i),
                    };
                    (&wte[ids[r * t + i - p] * c..][..c], pos)
                }
            };
            for k in 0..c {
                let add = match (&wpe, pos) {
                    (Some(w), Some(j)) => w[j * c + k] as f64,
                    _ => 0.0,
                };
                out.push(vector[k] as f64 + add);
            }
        }
    }
    out
}

/// (label, model, prompt, tokens).
type Case = (&'static str, Gpt, Tensor<(usize, usize), f32, Dev>, Ids);

fn cases() -> Vec<Case> {
    let config = |positions| GptConfig {
        vocab: 16,
        context: 12,
        d_model: 8,
        heads: 2,
        layers: 1,
        positions,
    };
    let dev = Dev::seed_from_u64(45);
    let mut out = vec![];
    for (label, positions, (p, b, t), seed) in [
        (
            "the worked example (p = 2, one row of T = 3, learned positions)",
            Positions::Learned,
            (2, 1, 3),
            1,
        ),
        (
            "a seeded case (p = 3, B = 2, T = 4, learned positions)",
            Positions::Learned,
            (3, 2, 4),
            2,
        ),
        (
            "a seeded case with RoPE (p = 2, B = 3, T = 5, no position table)",
            Positions::Rope,
            (2, 3, 5),
            3,
        ),
    ] {
        let model = Gpt::new(&Dev::seed_from_u64(seed), config(positions));
        let prompt = dev.sample_normal_like(&(p, 8));
        let ids: Vec<usize> = (0..b * t).map(|i| (i * 7 + seed as usize) % 16).collect();
        out.push((label, model, prompt, dev.tensor_from_vec(ids, (b, t))));
    }
    out
}

/// Grades `soft_prompt(model, prompt, tokens)`.
pub fn check_soft_prompt<F>(f: F) -> Check
where
    F: Fn(&Gpt, TPrompt, &Ids) -> TInput,
{
    let tol = Tol { abs: 1e-5, rel: 1e-5 };
    for (label, model, prompt, ids) in cases() {
        let ((p, c), (b, t)) = (*prompt.shape(), *ids.shape());
        let out = plain(f(&model, traced(&prompt), &ids));
        let (gs, got) = (out.shape().concrete().to_vec(), out.as_vec());
        let shape = [b, p + t, c];
        let dims = ((p, c), (b, t));
        let recompute =
            |layout| reference(&model, &prompt.as_vec(), dims.0, &ids.as_vec(), dims.1, layout);
        let want = recompute(Layout::Right);
        if gs == shape && !all_close(&got, &want, tol) {
            let cause = [
                (
                    Layout::Appended,
                    "the virtual tokens come after the real ones: prompt tuning \
                  *prepends* them, so that every real token (and the prediction after the \
                  input) can attend to them under the causal mask",
                ),
                (
                    Layout::Unshifted,
                    "the real tokens kept positions 0..T and the virtual tokens \
                  got none: add the position embeddings after concatenating, so that the \
                  virtual tokens take 0..p and the real ones p..p+T",
                ),
                (
                    Layout::UnshiftedBoth,
                    "the real tokens kept positions 0..T, the same as the \
                  virtual tokens in front of them: with p tokens before it, real token j sits \
                  at position p + j",
                ),
                (
                    Layout::NoPositions,
                    "no position embedding was added: with GPT-2's learned \
                  positions the block input is token (or virtual token) plus wpe[position]",
                ),
            ]
            .into_iter()
            .find(|(layout, _)| all_close(&got, &recompute(*layout), tol));
            if let Some((_, cause)) = cause {
                return Err(Failure::new(format!("soft_prompt on {label}: {cause}.")));
            }
        }
        close(
            &format!("soft_prompt on {label}, at (row, position, feature) "),
            &got,
            &gs,
            &want,
            &shape,
            tol,
        )?;
        // The gradient: it must reach the prompt, and only the prompt.
        let mut g = backward_weighted(f(&model, traced(&prompt), &ids));
        let lib = solutions::training::soft_prompt::soft_prompt;
        let mut w = backward_weighted(lib(&model, traced(&prompt), &ids));
        let what = format!("soft_prompt on {label}");
        check_gradient(
            &what,
            "prompt",
            &grad_of(&mut g, &prompt),
            &grad_of(&mut w, &prompt),
            &[p, c],
        )?;
        let frozen = [Some(&model.wte), model.wpe.as_ref()];
        for (name, table) in ["wte", "wpe"].iter().zip(frozen) {
            let Some(table) = table else { continue };
            if grad_of(&mut g, table).iter().any(|&x| x != 0.0) {
                return Err(Failure::new(format!(
                    "{what}: the values are right, but the frozen table `{name}` received a \
                     gradient: it was read on the tape (e.g. `mat::<T>(&model.{name})`). The \
                     base model is frozen: read its tables without the tape \
                     (`mat::<NoneTape>`), like `requires_grad_(False)` in PyTorch, so that \
                     backward computes the prompt's gradient and nothing else."
                )));
            }
        }
    }
    Ok(())
}
