//! §4.5: plausible wrong soft-prompt inputs.

use crate::gradient::Tr;
use crate::wrong::through_vec;
use dfdx::prelude::*;
use solutions::architectures::gpt::Gpt;
use solutions::architectures::params::mat;
use solutions::training::soft_prompt::soft_prompt;
use solutions::Dev;

type Prompt = Tensor<(usize, usize), f32, Dev, Tr>;
type Ids = Tensor<(usize, usize), usize, Dev>;
type Input = Tensor<(usize, usize, usize), f32, Dev, Tr>;

/// The embedded tokens (B, T, C) and the positions (n, C), constants off the tape.
type Parts = (Tensor<(usize, usize, usize), f32, Dev>, Option<Tensor<(usize, usize), f32, Dev>>);

/// The embedded tokens (B, T, C) from the frozen table, and the positions 0..n (n, C).
fn parts(model: &Gpt, tokens: &Ids, n: usize) -> Parts {
    let (b, t) = *tokens.shape();
    let c = model.config.d_model;
    let ids = tokens.device().tensor_from_vec(tokens.as_vec(), (b * t,));
    let embedded = mat::<NoneTape>(&model.wte).gather(ids).reshape_like(&(b, t, c));
    let pos = model.wpe.as_ref().map(|w| mat::<NoneTape>(w).slice((0..n, ..)));
    (embedded, pos)
}

/// The virtual tokens after the real ones.
pub fn soft_prompt_appended(model: &Gpt, prompt: Prompt, tokens: &Ids) -> Input {
    let ((b, t), (p, c)) = (*tokens.shape(), *prompt.shape());
    let (embedded, pos) = parts(model, tokens, p + t);
    // Subtle: the tape must be on the left of a concatenation, so the constant carries one.
    let virt = prompt.broadcast_like::<_, Axis<0>>(&(b, p, c));
    let x = (embedded.retaped::<Tr>(), virt).concat_along(Axis::<1>);
    match pos {
        Some(pos) => x + pos.broadcast_like::<_, Axis<0>>(&(b, p + t, c)),
        None => x,
    }
}

/// Positions added to the tokens before the prompt is put in front: the real tokens keep
/// 0..T and the virtual ones get none.
pub fn soft_prompt_unshifted(model: &Gpt, prompt: Prompt, tokens: &Ids) -> Input {
    let ((b, t), (p, c)) = (*tokens.shape(), *prompt.shape());
    let (embedded, pos) = parts(model, tokens, t);
    let embedded = match pos {
        Some(pos) => embedded + pos.broadcast_like::<_, Axis<0>>(&(b, t, c)),
        None => embedded,
    };
    (prompt.broadcast_like::<_, Axis<0>>(&(b, p, c)), embedded).concat_along(Axis::<1>)
}

/// The right values, with the frozen token table read on the prompt's tape.
pub fn soft_prompt_traced_table(model: &Gpt, prompt: Prompt, tokens: &Ids) -> Input {
    let ((b, t), (p, c)) = (*tokens.shape(), *prompt.shape());
    let ids = tokens.device().tensor_from_vec(tokens.as_vec(), (b * t,));
    let embedded = mat::<Tr>(&model.wte).gather(ids).reshape_like(&(b, t, c));
    let x = (prompt.broadcast_like::<_, Axis<0>>(&(b, p, c)), embedded).concat_along(Axis::<1>);
    match &model.wpe {
        Some(w) => {
            x + mat::<NoneTape>(w).slice((0..p + t, ..)).broadcast_like::<_, Axis<0>>(&(
                b,
                p + t,
                c,
            ))
        }
        None => x,
    }
}

/// The right values, copied out and back in: no gradient reaches the prompt.
pub fn soft_prompt_through_vec(model: &Gpt, prompt: Prompt, tokens: &Ids) -> Input {
    through_vec(soft_prompt(model, prompt, tokens))
}
