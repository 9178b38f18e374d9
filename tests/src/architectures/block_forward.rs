//! Graded suite for §3.2's `block_forward`: the residual wiring of a pre-norm GPT-2 block,
//! `x + attn(ln_1(x))`, then `x + mlp(ln_2(x))`.
//!
//! The sub-layers are the library's (the learner only wires them), drawn with weights large
//! enough that every wrong wiring moves the output well past the tolerance (GPT-2's own
//! initialisation makes the residual branches tiny, which would hide the mistakes). Before
//! the generic comparison, each typical mistake is recomputed from the same parts and named
//! on a match: post-norm, the residual taken from the normalised copy, the MLP reading the
//! stream from before attention (a parallel block), and the two LayerNorms swapped.

use crate::compare::{close, Tol};
use crate::gradient::{check_input_gradient, plain, traced, Tr};
use crate::{Check, Failure};
use dfdx::prelude::*;
use solutions::architectures::gpt::{Attention, Block, Conv1D, LayerNorm, Mlp, Positions};
use solutions::architectures::params::Dyn;
use solutions::foundations::self_attention::{causal_mask, Mask};
use solutions::Dev;

type S<T = Tr> = Tensor<(usize, usize), f32, Dev, T>;
type M = Mask<usize, usize, usize>;

/// A block of width `c` whose every weight is N(0, 0.3²) and whose LayerNorms have
/// random gains and biases, so that ln_1 and ln_2 differ and every branch is O(1).
fn loud_block(dev: &Dev, c: usize, heads: usize) -> Block {
    let lin = |i, o| {
        let mut l = Conv1D::new(dev, i, o, 0.3);
        l.bias = dev.sample_normal_like(&(Dyn(o),)) * 0.1;
        l
    };
    let ln = || {
        let mut n = LayerNorm::new(dev, c);
        n.weight = dev.sample_normal_like(&(Dyn(c),)) * 0.3 + 1.0;
        n.bias = dev.sample_normal_like(&(Dyn(c),)) * 0.2;
        n
    };
    Block {
        ln_1: ln(),
        attn: Attention {
            c_attn: lin(c, 3 * c),
            c_proj: lin(c, c),
            heads,
            positions: Positions::Learned,
        },
        ln_2: ln(),
        mlp: Mlp { c_fc: lin(c, 4 * c), c_proj: lin(4 * c, c) },
    }
}

/// What each typical wiring mistake computes, with the library's sub-layers.
fn mistakes(b: &Block, x: &S<NoneTape>, mask: &M) -> Vec<(Vec<f32>, &'static str)> {
    let x = || x.clone();
    let attn = |h: S<NoneTape>| b.attn.forward(h, mask);
    let post = {
        let h = b.ln_1.forward(x() + attn(x()));
        b.ln_2.forward(h.clone() + b.mlp.forward(h))
    };
    let normed_stream = {
        let h = b.ln_1.forward(x());
        let h = h.clone() + attn(h);
        let g = b.ln_2.forward(h);
        g.clone() + b.mlp.forward(g)
    };
    let parallel = x() + attn(b.ln_1.forward(x())) + b.mlp.forward(b.ln_2.forward(x()));
    let swapped = {
        let h = x() + attn(b.ln_2.forward(x()));
        h.clone() + b.mlp.forward(b.ln_1.forward(h))
    };
    let no_residual = b.mlp.forward(b.ln_2.forward(attn(b.ln_1.forward(x()))));
    vec![
        (
            post.as_vec(),
            "this is the post-norm wiring, ln(x + f(x)), of the original Transformer: the \
             LayerNorm sits on the residual stream. GPT-2 is pre-norm: the stream x is never \
             normalised, only the copy each sub-layer reads, x + f(ln(x))",
        ),
        (
            normed_stream.as_vec(),
            "the residual was added to the normalised copy, ln(x) + f(ln(x)): the stream must \
             carry x itself past each sub-layer, x + f(ln(x)), or the identity path (and the \
             gradient highway it gives a deep stack) is gone",
        ),
        (
            parallel.as_vec(),
            "the MLP read the stream from before attention, x + attn(ln_1(x)) + \
             mlp(ln_2(x)): that is GPT-J's parallel block. GPT-2's is sequential: the MLP \
             reads ln_2 of the stream *after* attention has added its output",
        ),
        (
            swapped.as_vec(),
            "the two LayerNorms are swapped: ln_1 belongs to attention and ln_2 to the MLP \
             (each has its own learned gain and bias)",
        ),
        (
            no_residual.as_vec(),
            "there is no residual connection: the sub-layers' outputs replaced the stream \
             instead of being added to it, x + f(ln(x))",
        ),
    ]
}

/// Grades `block_forward(block, x, mask)`: (N, C) -> (N, C), N = B·T.
pub fn check_block_forward<F>(f: F) -> Check
where
    F: Fn(&Block, S, &M) -> S,
{
    let tol = Tol { abs: 1e-4, rel: 1e-4 };
    for (seed, b, t, c, heads) in [(40, 1, 3, 4, 1), (41, 2, 4, 8, 2), (42, 2, 5, 12, 3)] {
        let dev = Dev::seed_from_u64(seed);
        let block = loud_block(&dev, c, heads);
        let x: S<NoneTape> = dev.sample_normal_like(&(b * t, c));
        let mask = causal_mask(&dev, b, t);
        let label = format!(
            "block_forward on x ({}, {c}) = {b} sequences of {t} tokens, {heads} heads, at ",
            b * t
        );
        let out = plain(f(&block, traced(&x), &mask));
        let (n, cc) = *out.shape();
        let got = out.as_vec();
        let want = solutions::architectures::gpt::block_forward(&block, x.clone(), &mask);
        let want: Vec<f64> = want.as_vec().into_iter().map(f64::from).collect();
        if let Err(e) = close(&label, &got, &[n, cc], &want, &[b * t, c], tol) {
            let like = |w: &[f32]| {
                w.len() == got.len()
                    && got.iter().zip(w).all(|(&a, &b)| tol.allows(a as f64, b as f64))
            };
            let cause = mistakes(&block, &x, &mask)
                .into_iter()
                .find(|(w, _)| like(w))
                .map_or("the pre-norm block is x + attn(ln_1(x)), then x + mlp(ln_2(x))", |m| m.1);
            return Err(Failure::new(format!("{} Likely cause: {cause}.", e.0)));
        }
        // The values are right; the gradient must reach x along both paths.
        check_input_gradient(
            &format!("block_forward on x ({}, {c})", b * t),
            "x",
            &x,
            |x| f(&block, x, &mask),
            |x| solutions::architectures::gpt::block_forward(&block, x, &mask),
        )?;
    }
    Ok(())
}
