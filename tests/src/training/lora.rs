//! Graded suites for §4.5's LoRA: `lora_forward` (a frozen layer plus its scaled low-rank
//! update) and `lora_merge` (the plain layer it folds into).
//!
//! The layers have a non-zero B (a fresh adapter's B = 0 would hide every mistake in the
//! update), α ≠ r and α ≠ 1 (so a missing or wrong scaling shows), and the first cases are
//! square (k = d), where applying ΔW transposed (x·BA instead of x·(BA)ᵀ, the A/B mix-up)
//! still has the right shape and can be named. Then rectangular layers catch axis slips,
//! and for `lora_forward` the gradients with respect to x, A and B are compared with the
//! library's: A and B are what training updates.

use crate::compare::{close, Tol};
use crate::gradient::{backward_weighted, check_gradient, check_input_gradient, grad_of};
use crate::gradient::{plain, traced, Tr};
use crate::{Check, Failure};
use dfdx::prelude::*;
use solutions::architectures::gpt::Conv1D;
use solutions::architectures::params::{Dyn, Matrix};
use solutions::training::lora::LoraLinear;
use solutions::Dev;

type S<T = Tr> = Tensor<(usize, usize), f32, Dev, T>;

/// (label, layer, x): the worked example, then seeded layers (k, d, r, α).
fn cases() -> Vec<(String, LoraLinear, S<NoneTape>)> {
    let dev = Dev::default();
    let m = |r, c, v: &[f32]| -> Matrix { dev.tensor_from_vec(v.to_vec(), (Dyn(r), Dyn(c))) };
    let worked = LoraLinear {
        base: Conv1D { weight: m(2, 2, &[1.0, 0.0, 0.0, 1.0]), bias: dev.zeros_like(&(Dyn(2),)) },
        lora_a: m(1, 2, &[1.0, 1.0]),
        lora_b: m(2, 1, &[0.5, 0.0]),
        alpha: 2.0,
    };
    let mut out = vec![(
        "the worked example (W₀ = I, A = (1, 1), B = (0.5, 0)ᵀ, α = 2, r = 1)".to_string(),
        worked,
        dev.tensor_from_vec(vec![1.0, 2.0], (1, 2)),
    )];
    for (seed, k, d, r, alpha, n) in [
        (50, 6, 6, 2, 5.0, 4),
        (51, 8, 8, 4, 3.0, 5),
        (52, 6, 9, 3, 12.0, 4),
        (53, 10, 4, 2, 0.5, 3),
    ] {
        let dev = Dev::seed_from_u64(seed);
        let mut base = Conv1D::new(&dev, k, d, 0.4);
        base.bias = dev.sample_normal_like(&(Dyn(d),)) * 0.3;
        let lora_a: Matrix = dev.sample_normal_like(&(Dyn(r), Dyn(k))) * 0.5;
        let lora_b: Matrix = dev.sample_normal_like(&(Dyn(d), Dyn(r))) * 0.5;
        let layer = LoraLinear { base, lora_a, lora_b, alpha };
        let label = format!("a layer of k = {k} inputs, d = {d} outputs, r = {r}, α = {alpha}");
        out.push((label, layer, dev.sample_normal_like(&(n, k))));
    }
    out
}

/// xAᵀBᵀ (N, d) and the frozen layer's xW₀ᵀ + b, by plain loops in f64.
fn parts(l: &LoraLinear, x: &S<NoneTape>) -> (Vec<f64>, Vec<f64>, (usize, usize, usize)) {
    let (n, k) = *x.shape();
    let (d, r) = (l.lora_b.shape().0 .0, l.lora_a.shape().0 .0);
    let f = |v: Vec<f32>| v.into_iter().map(f64::from).collect::<Vec<f64>>();
    let (xs, a, b) = (f(x.as_vec()), f(l.lora_a.as_vec()), f(l.lora_b.as_vec()));
    let (w, bias) = (f(l.base.weight.as_vec()), f(l.base.bias.as_vec()));
    let mut update = vec![0.0; n * d];
    let mut frozen = vec![0.0; n * d];
    for i in 0..n {
        let ax: Vec<f64> =
            (0..r).map(|j| (0..k).map(|c| xs[i * k + c] * a[j * k + c]).sum()).collect();
        for o in 0..d {
            update[i * d + o] = (0..r).map(|j| b[o * r + j] * ax[j]).sum();
            frozen[i * d + o] = bias[o] + (0..k).map(|c| xs[i * k + c] * w[c * d + o]).sum::<f64>();
        }
    }
    (frozen, update, (n, k, d))
}

/// x·(BA) (N, d) for a square layer: ΔW applied without its transpose. `None` otherwise.
fn transposed_update(l: &LoraLinear, x: &S<NoneTape>) -> Option<Vec<f64>> {
    let (n, k) = *x.shape();
    let (d, r) = (l.lora_b.shape().0 .0, l.lora_a.shape().0 .0);
    if k != d {
        return None;
    }
    let (xs, a, b) = (x.as_vec(), l.lora_a.as_vec(), l.lora_b.as_vec());
    // (BA)[c][o] = Σ_j B[c][j] A[j][o]; row i of x·BA is Σ_c x[i][c] (BA)[c][o].
    let ba =
        |c: usize, o: usize| (0..r).map(|j| b[c * r + j] as f64 * a[j * k + o] as f64).sum::<f64>();
    Some(
        (0..n * d)
            .map(|e| (0..k).map(|c| xs[(e / d) * k + c] as f64 * ba(c, e % d)).sum())
            .collect(),
    )
}

/// What each usual slip computes, for the (N, d) output: (values, diagnosis).
fn mistakes(l: &LoraLinear, x: &S<NoneTape>) -> Vec<(Vec<f64>, &'static str)> {
    let (frozen, update, _) = parts(l, x);
    let r = l.lora_a.shape().0 .0 as f64;
    let alpha = l.alpha as f64;
    let with =
        |s: f64, u: &[f64]| -> Vec<f64> { frozen.iter().zip(u).map(|(f, u)| f + s * u).collect() };
    let mut out = vec![
        (
            with(1.0, &update),
            "the update BAx is not scaled: LoRA adds (α/r)·BAx, so that changing r does not \
             change how far a step moves the output",
        ),
        (
            with(alpha, &update),
            "the update is scaled by α, not α/r: divide by the rank r (the rows of A)",
        ),
        (with(r / alpha, &update), "the scale is upside down: it is α/r, not r/α"),
        (
            update.iter().map(|u| alpha / r * u).collect(),
            "the frozen layer's output W₀x + b is missing: LoRA *adds* its update to the \
             pre-trained layer, h = W₀x + b + (α/r)·BAx",
        ),
    ];
    if let Some(t) = transposed_update(l, x) {
        out.push((
            with(alpha / r, &t),
            "the update is applied transposed, x·(BA) instead of x·(BA)ᵀ: A and B have swapped \
             roles. A (r × k) is the down-projection and meets x first; B (d × r) is the \
             up-projection and comes last: Ax, then B(Ax)",
        ));
    }
    out
}

/// Grades `lora_forward(layer, x)`: x (N, k) → (N, d).
pub fn check_lora_forward<F>(f: F) -> Check
where
    F: Fn(&LoraLinear, S) -> S,
{
    let tol = Tol { abs: 1e-4, rel: 1e-4 };
    for (label, layer, x) in cases() {
        let (frozen, update, (n, _, d)) = parts(&layer, &x);
        let s = layer.alpha as f64 / layer.lora_a.shape().0 .0 as f64;
        let want: Vec<f64> = frozen.iter().zip(&update).map(|(f, u)| f + s * u).collect();
        let out = plain(f(&layer, traced(&x)));
        let (gn, gd) = *out.shape();
        let got = out.as_vec();
        let what = format!("lora_forward on {label}, output ");
        if let Err(e) = close(&what, &got, &[gn, gd], &want, &[n, d], tol) {
            let like = |w: &[f64]| {
                w.len() == got.len() && got.iter().zip(w).all(|(&g, &w)| tol.allows(g as f64, w))
            };
            let cause = mistakes(&layer, &x).into_iter().find(|(w, _)| like(w)).map_or(
                "h = W₀x + b + (α/r)·B(Ax) for each row x, with W₀x + b the frozen layer's output",
                |m| m.1,
            );
            return Err(Failure::new(format!("{} Likely cause: {cause}.", e.0)));
        }
        let lib = solutions::training::lora::lora_forward::<Tr>;
        check_input_gradient(
            &format!("lora_forward on {label}"),
            "x",
            &x,
            |x| f(&layer, x),
            |x| lib(&layer, x),
        )?;
        // The adapters are what training updates: their gradients must be right too.
        let mut g = backward_weighted(f(&layer, traced(&x)));
        let mut w = backward_weighted(lib(&layer, traced(&x)));
        for (name, t) in [("A", &layer.lora_a), ("B", &layer.lora_b)] {
            let (rows, cols) = *t.shape();
            let (gt, wt) = (grad_of(&mut g, t), grad_of(&mut w, t));
            check_gradient(&format!("lora_forward on {label}"), name, &gt, &wt, &[rows.0, cols.0])?;
        }
    }
    Ok(())
}

/// Grades `lora_merge(layer)`: the Conv1D whose weight (k, d) is W₀ᵀ + (α/r)(BA)ᵀ and whose
/// bias is the base's, checked entry by entry and then by running it.
pub fn check_lora_merge<F>(f: F) -> Check
where
    F: Fn(&LoraLinear) -> Conv1D,
{
    let tol = Tol { abs: 1e-5, rel: 1e-5 };
    for (label, layer, x) in cases() {
        let lib = solutions::training::lora::lora_merge(&layer);
        let merged = f(&layer);
        let (k, d) = *lib.weight.shape();
        let (gk, gd) = *merged.weight.shape();
        let want: Vec<f64> = lib.weight.as_vec().into_iter().map(f64::from).collect();
        let got = merged.weight.as_vec();
        let what = format!("lora_merge on {label}: the merged weight (stored (k, d), as Conv1D) ");
        if let Err(e) = close(&what, &got, &[gk.0, gd.0], &want, &[k.0, d.0], tol) {
            let (w0, a, b) =
                (layer.base.weight.as_vec(), layer.lora_a.as_vec(), layer.lora_b.as_vec());
            let r = layer.lora_a.shape().0 .0;
            let s = layer.alpha as f64 / r as f64;
            // (BA)[o][c] for o < d, c < k; the stored (k, d) entry [c][o] adds its transpose.
            let ba = |o: usize, c: usize| {
                (0..r).map(|j| b[o * r + j] as f64 * a[j * k.0 + c] as f64).sum::<f64>()
            };
            let with = |scale: f64, transposed: bool| -> Vec<f64> {
                (0..k.0 * d.0)
                    .map(|e| {
                        let (c, o) = (e / d.0, e % d.0);
                        let delta = if transposed { ba(c, o) } else { ba(o, c) };
                        w0[e] as f64 + scale * delta
                    })
                    .collect()
            };
            let like = |w: &[f64]| {
                w.len() == got.len() && got.iter().zip(w).all(|(&g, &w)| tol.allows(g as f64, w))
            };
            let square = k.0 == d.0;
            let cause = if like(&with(1.0, false)) {
                "ΔW = BA is not scaled: the merged weight is W₀ + (α/r)·BA"
            } else if like(&with(layer.alpha as f64, false)) {
                "ΔW is scaled by α, not α/r: divide by the rank r (the rows of A)"
            } else if square && like(&with(s, true)) {
                "ΔW was added without its transpose: BA is (d, k) like W₀, but Conv1D stores \
                 W₀ᵀ as (k, d), so the stored weight gets (BA)ᵀ = AᵀBᵀ"
            } else if like(&w0.iter().map(|&v| v as f64).collect::<Vec<_>>()) {
                "the weight is unchanged: the merge must add the scaled update (α/r)·BA to W₀"
            } else {
                "the merged weight is W₀ + (α/r)·BA, stored transposed as Conv1D stores it"
            };
            return Err(Failure::new(format!("{} Likely cause: {cause}.", e.0)));
        }
        let bias_want: Vec<f64> = layer.base.bias.as_vec().into_iter().map(f64::from).collect();
        let bias = merged.bias.as_vec();
        close(
            &format!("lora_merge on {label}: the bias (LoRA leaves it as it was) "),
            &bias,
            &[merged.bias.shape().0 .0],
            &bias_want,
            &[d.0],
            tol,
        )?;
        // The point of merging: the plain layer computes what the adapted one computes.
        let run = merged.forward(x.clone()).as_vec();
        let adapted: Vec<f64> = solutions::training::lora::lora_forward(&layer, x.clone())
            .as_vec()
            .into_iter()
            .map(f64::from)
            .collect();
        let (n, _) = *x.shape();
        close(
            &format!("lora_merge on {label}: the merged layer's output "),
            &run,
            &[n, d.0],
            &adapted,
            &[n, d.0],
            Tol { abs: 1e-4, rel: 1e-4 },
        )?;
    }
    Ok(())
}
