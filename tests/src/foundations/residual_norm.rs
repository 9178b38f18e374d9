//! Graded suite for §1.7: the Pre-Norm and Post-Norm residual blocks.
//!
//! The reference evaluates LayerNorm and the MLP (Linear, tanh-GELU, Linear) by hand in f64
//! from the modules' own weights, with a γ and β far from 1 and 0 so that every placement of
//! the norm gives different numbers. A wrong block is compared with the other orderings a
//! learner might have written (the other block, the stream normalised too, the residual
//! forgotten) to name it.

use crate::compare::{all_close, check_shape, close, Tol};
use crate::gradient::{backward_weighted, check_gradient, grad_of, plain, traced, Tr};
use crate::{Check, Failure};
use dfdx::prelude::*;
use solutions::foundations::residual_norm::{Mlp, Norm};
use solutions::Dev;

const M: usize = 8;
const H: usize = 32;
type X = Tensor<(usize, Const<M>), f32, Dev>;
/// x on a gradient tape: what the blocks are called with.
type GX = Tensor<(usize, Const<M>), f32, Dev, Tr>;
/// The library's block, whose gradient the learner's must match.
type Block = fn(GX, &Norm<M>, &Mlp<M, H>) -> GX;

/// The modules' weights in f64, and the two functions they compute.
struct Reference {
    gamma: Vec<f64>,
    beta: Vec<f64>,
    eps: f64,
    w1: Vec<f64>,
    b1: Vec<f64>,
    w2: Vec<f64>,
    b2: Vec<f64>,
}

fn f64s(v: Vec<f32>) -> Vec<f64> {
    v.into_iter().map(f64::from).collect()
}

impl Reference {
    fn new(norm: &Norm<M>, mlp: &Mlp<M, H>) -> Self {
        Self {
            gamma: f64s(norm.gamma.as_vec()),
            beta: f64s(norm.beta.as_vec()),
            eps: norm.epsilon,
            w1: f64s(mlp.0.weight.as_vec()),
            b1: f64s(mlp.0.bias.as_vec()),
            w2: f64s(mlp.2.weight.as_vec()),
            b2: f64s(mlp.2.bias.as_vec()),
        }
    }
    fn ln(&self, x: &[f64]) -> Vec<f64> {
        let mean = x.iter().sum::<f64>() / M as f64;
        let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / M as f64;
        (0..M)
            .map(|i| (x[i] - mean) / (var + self.eps).sqrt() * self.gamma[i] + self.beta[i])
            .collect()
    }
    /// Linear (weights stored (out, in)), GELU (tanh form, as dfdx's FastGeLU), Linear.
    fn mlp(&self, x: &[f64]) -> Vec<f64> {
        let gelu = |v: f64| {
            0.5 * v
                * (1.0 + ((2.0 / std::f64::consts::PI).sqrt() * (v + 0.044715 * v.powi(3))).tanh())
        };
        let h: Vec<f64> = (0..H)
            .map(|o| gelu(self.b1[o] + (0..M).map(|i| self.w1[o * M + i] * x[i]).sum::<f64>()))
            .collect();
        (0..M)
            .map(|o| self.b2[o] + (0..H).map(|i| self.w2[o * H + i] * h[i]).sum::<f64>())
            .collect()
    }
    fn rows(&self, x: &[f32], block: impl Fn(&Self, &[f64]) -> Vec<f64>) -> Vec<f64> {
        x.chunks(M)
            .flat_map(|r| block(self, &r.iter().map(|&v| v as f64).collect::<Vec<_>>()))
            .collect()
    }
}

fn add(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x + y).collect()
}

/// The blocks, right and wrong, as functions of one row.
fn pre(r: &Reference, x: &[f64]) -> Vec<f64> {
    add(x, &r.mlp(&r.ln(x)))
}
fn post(r: &Reference, x: &[f64]) -> Vec<f64> {
    r.ln(&add(x, &r.mlp(x)))
}
fn stream_normalised(r: &Reference, x: &[f64]) -> Vec<f64> {
    let n = r.ln(x);
    add(&n, &r.mlp(&n))
}
fn no_residual_pre(r: &Reference, x: &[f64]) -> Vec<f64> {
    r.mlp(&r.ln(x))
}
fn no_residual_post(r: &Reference, x: &[f64]) -> Vec<f64> {
    r.ln(&r.mlp(x))
}
fn norm_on_branch_output(r: &Reference, x: &[f64]) -> Vec<f64> {
    add(x, &r.ln(&r.mlp(x)))
}

type RowFn = fn(&Reference, &[f64]) -> Vec<f64>;

/// Builds the modules with a seed, runs the block, compares, and names the mistake.
fn check_block<F>(f: F, name: &str, lib: Block, want: RowFn, mistakes: &[(RowFn, &str)]) -> Check
where
    F: Fn(GX, &Norm<M>, &Mlp<M, H>) -> GX,
{
    let dev = Dev::seed_from_u64(71);
    let mut norm = dev.build_module::<builders::LayerNorm1D<M>, f32>();
    // γ and β far from 1 and 0, so that LN(x) differs from a plain standardisation.
    norm.gamma = dev.sample_normal() * 0.5 + 1.5;
    norm.beta = dev.sample_normal();
    let mlp = dev
        .build_module::<(builders::Linear<M, H>, builders::FastGeLU, builders::Linear<H, M>), f32>(
        );
    let reference = Reference::new(&norm, &mlp);
    // A stream far from normalised: mean 2, spread 3.
    let x: X = dev.sample_normal_like(&(5, Const)) * 3.0 + 2.0;
    let xv = x.as_vec();
    let got = plain(f(traced(&x), &norm, &mlp));
    let label = format!("{name} on x (5, 8)");
    let (rows, _) = *got.shape();
    check_shape(&label, &[rows, M], &[5, M])?;
    let g = got.as_vec();
    let tol = Tol { abs: 1e-4, rel: 1e-4 };
    let expected = reference.rows(&xv, want);
    if all_close(&g, &expected, tol) {
        // The values are right; now the gradient must flow back to x through both paths.
        let mut got = backward_weighted(f(traced(&x), &norm, &mlp));
        let mut want = backward_weighted(lib(traced(&x), &norm, &mlp));
        let (gx, wx) = (grad_of(&mut got, &x), grad_of(&mut want, &x));
        return check_gradient(&label, "x", &gx, &wx, &[5, M]);
    }
    for (mistake, cause) in mistakes {
        if all_close(&g, &reference.rows(&xv, mistake), tol) {
            return Err(Failure::new(format!("{label}: {cause}")));
        }
    }
    close(&label, &g, &[rows, M], &expected, &[5, M], tol)
}

/// Grades `pre_norm_block(x, norm, sublayer)`: x + F(LN(x)).
pub fn check_pre_norm_block<F>(f: F) -> Check
where
    F: Fn(GX, &Norm<M>, &Mlp<M, H>) -> GX,
{
    let lib: Block = solutions::foundations::residual_norm::pre_norm_block;
    check_block(f, "pre_norm_block", lib, pre, &[
        (post, "your block computes LN(x + F(x)), which is Post-Norm. Pre-Norm normalises only the \
                branch's input: x + F(LN(x))."),
        (stream_normalised, "your block computes LN(x) + F(LN(x)): the residual stream was \
                             normalised too. Add the sublayer's output to x itself, so that an \
                             identity path runs through every layer."),
        (no_residual_pre, "your block returns F(LN(x)) alone: the residual connection is missing. \
                           Add x back: x + F(LN(x))."),
    ])
}

/// Grades `post_norm_block(x, norm, sublayer)`: LN(x + F(x)).
pub fn check_post_norm_block<F>(f: F) -> Check
where
    F: Fn(GX, &Norm<M>, &Mlp<M, H>) -> GX,
{
    let lib: Block = solutions::foundations::residual_norm::post_norm_block;
    check_block(
        f,
        "post_norm_block",
        lib,
        post,
        &[
            (
                pre,
                "your block computes x + F(LN(x)), which is Pre-Norm. Post-Norm (the original \
                 Transformer) feeds x to the sublayer as it is and normalises the sum: LN(x + \
                 F(x)).",
            ),
            (
                norm_on_branch_output,
                "your block computes x + LN(F(x)): the norm sits on the branch's output. Post-Norm \
                 normalises the residual sum: LN(x + F(x)).",
            ),
            (
                no_residual_post,
                "your block returns LN(F(x)): the residual connection is missing. Normalise the \
                 sum x + F(x).",
            ),
        ],
    )
}
