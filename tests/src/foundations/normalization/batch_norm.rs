//! Graded suite for §1.8's BatchNorm in training mode: the output and the running
//! statistics over two steps. Paper: Ioffe & Szegedy 2015, arXiv 1502.03167; PyTorch:
//! `nn.BatchNorm1d` in `train()` mode.
//!
//! The reference reuses the normalisation loop of the parent module over the batch axis,
//! and reruns the running-statistics update with the two known mistakes (the biased variance
//! fed in, the momentum reversed) to name them.

use super::{reference_norm, Stats, GT2, T2};
use crate::compare::{all_close, check_len, check_shape, close, close_list, Tol};
use crate::gradient::{check_input_gradient, plain, traced};
use crate::{Check, Failure};
use dfdx::prelude::*;
use solutions::foundations::normalization::RunningStats;
use solutions::Dev;

/// One BatchNorm training step in f64: the output, and the running statistics updated in
/// place. `biased_running` and `reversed` reproduce the two mistakes on the update.
#[allow(clippy::too_many_arguments)]
fn reference_bn(
    x: &[f32],
    [b, c]: [usize; 2],
    gamma: &[f32],
    beta: &[f32],
    run: &mut [Vec<f64>; 2],
    momentum: f64,
    eps: f64,
    biased_running: bool,
    reversed: bool,
) -> Vec<f64> {
    let s = Stats { over_batch: true, ..Default::default() };
    let out = reference_norm(x, [b, c], gamma, beta, eps, s);
    for ch in 0..c {
        let v: Vec<f64> = (0..b).map(|k| x[k * c + ch] as f64).collect();
        let mean = v.iter().sum::<f64>() / b as f64;
        let ss: f64 = v.iter().map(|x| (x - mean).powi(2)).sum();
        let var = ss / if biased_running { b as f64 } else { b as f64 - 1.0 };
        let w = if reversed { 1.0 - momentum } else { momentum };
        run[0][ch] = (1.0 - w) * run[0][ch] + w * mean;
        run[1][ch] = (1.0 - w) * run[1][ch] + w * var;
    }
    out
}

/// A run of BatchNorm steps: a label, the batches, γ, β and ε.
type Run = (&'static str, Vec<T2>, Vec<f32>, Vec<f32>, f32);

/// Grades `batch_norm_train(x, gamma, beta, running, momentum, eps)` over two steps: the
/// output, the running statistics, then dL/dx against the library's.
pub fn check_batch_norm_train<F>(f: F) -> Check
where
    F: Fn(GT2, &[f32], &[f32], &mut RunningStats, f32, f32) -> GT2,
{
    let dev = Dev::seed_from_u64(83);
    // The worked example, then two steps on random batches of 6 with 4 channels.
    let worked = vec![dev.tensor_from_vec(vec![1.0, 3.0], (2, 1))];
    let random: Vec<T2> = (0..2).map(|_| dev.sample_normal_like(&(6, 4)) * 2.0 + 1.0).collect();
    let g: Tensor<(usize,), f32, Dev> = dev.sample_normal_like(&(4,));
    let (gamma4, beta4) = ((g.clone() * 0.5 + 1.0).as_vec(), g.as_vec());
    let runs: [Run; 2] = [
        (
            "the worked example, one channel holding 1 and 3, ε = 0",
            worked,
            vec![1.0],
            vec![0.0],
            0.0,
        ),
        (
            "two steps on random batches (6, 4), random γ and β, ε = 1e-5",
            random,
            gamma4,
            beta4,
            1e-5,
        ),
    ];
    let tol = Tol { abs: 1e-4, rel: 1e-4 };
    for (label, batches, gamma, beta, eps) in runs {
        let c = gamma.len();
        let start = (vec![0.5; c], vec![2.0; c]);
        let mut running = RunningStats { mean: start.0.clone(), var: start.1.clone() };
        // The running statistics as the right rule, the biased-variance rule and the
        // reversed-momentum rule leave them.
        let fresh =
            || [&start.0, &start.1].map(|v| v.iter().map(|&x| x as f64).collect::<Vec<_>>());
        let mut refs = [fresh(), fresh(), fresh()];
        for (step, x) in batches.into_iter().enumerate() {
            let shape = *x.shape();
            let xv = x.as_vec();
            let dims = [shape.0, shape.1];
            let before = running.clone();
            let got = plain(f(traced(&x), &gamma, &beta, &mut running, 0.1, eps));
            let (gb, gc) = *got.shape();
            let at = format!("{label}, step {}", step + 1);
            check_shape(&at, &[gb, gc], &dims)?;
            let want =
                reference_bn(&xv, dims, &gamma, &beta, &mut refs[0], 0.1, eps as f64, false, false);
            reference_bn(&xv, dims, &gamma, &beta, &mut refs[1], 0.1, eps as f64, true, false);
            reference_bn(&xv, dims, &gamma, &beta, &mut refs[2], 0.1, eps as f64, false, true);
            let g = got.as_vec();
            if !all_close(&g, &want, tol) {
                let s = Stats { over_batch: true, ..Default::default() };
                let cause = if all_close(
                    &g,
                    &reference_norm(
                        &xv,
                        dims,
                        &gamma,
                        &beta,
                        eps as f64,
                        Stats { unbiased: true, ..s },
                    ),
                    tol,
                ) {
                    " The batch was normalised with the unbiased variance: in training, BatchNorm \
                     normalises with the biased one (divide by B) and only the running variance \
                     gets B/(B − 1)."
                } else if all_close(
                    &g,
                    &reference_norm(&xv, dims, &gamma, &beta, eps as f64, Stats::default()),
                    tol,
                ) {
                    " Each sample was normalised over its channels (Axis<1>): that is LayerNorm. \
                     BatchNorm normalises each channel over the batch, Axis<0>."
                } else {
                    " The output is (x − batch mean)/√(biased batch variance + ε)·γ + β, per \
                     channel."
                };
                return close(&format!("{at}: the output"), &g, &[gb, gc], &want, &dims, tol)
                    .map_err(|e| Failure::new(format!("{e}{cause}")));
            }
            let stats = [("mean", "means", &running.mean), ("variance", "variances", &running.var)];
            // A statistic that lost its length would otherwise be compared on a prefix.
            for (name, nouns, got_stats) in stats {
                let hint = "Did you update the statistics in place, one per channel?";
                let what = format!("{at}: the running {name}");
                check_len(&what, &format!("running {nouns}"), got_stats.len(), c, hint)?;
            }
            for (k, (name, nouns, got_stats)) in stats.into_iter().enumerate() {
                if all_close(got_stats, &refs[0][k], tol) {
                    continue;
                }
                let cause = if all_close(got_stats, &refs[2][k], tol) {
                    " The momentum weights the new batch, PyTorch's convention: r ← (1 − \
                     momentum)·r + momentum·s, so 0.1 means 10 % new."
                } else if k == 1 && all_close(got_stats, &refs[1][k], tol) {
                    " The running variance was fed the biased batch variance. It must get the \
                     unbiased one, var·B/(B − 1): at evaluation it stands in for the population's \
                     variance."
                } else {
                    " Each step moves the running statistics by r ← (1 − momentum)·r + momentum·s."
                };
                let what = format!("{at}: the running {name}");
                return close_list(&what, &format!("running {nouns}"), got_stats, &refs[0][k], tol)
                    .map_err(|e| Failure::new(format!("{e}{cause}")));
            }
            // The gradient, on copies of the statistics as they were before this step, so that
            // the extra calls do not move the ones the next step is graded on. Subtle: the
            // statistics themselves are off the tape; only the output's gradient is graded.
            let (mut ours, mut theirs) = (before.clone(), before);
            check_input_gradient(
                &at,
                "x",
                &x,
                |x| f(x, &gamma, &beta, &mut ours, 0.1, eps),
                |x| {
                    solutions::foundations::normalization::batch_norm_train(
                        x,
                        &gamma,
                        &beta,
                        &mut theirs,
                        0.1,
                        eps,
                    )
                },
            )?;
            // Keep the diagnostic references on the right track for the next step.
            refs[1] = refs[0].clone();
            refs[2] = refs[0].clone();
        }
    }
    Ok(())
}
