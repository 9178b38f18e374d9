//! §4.3: the bytes each rank sends per tensor-parallel all-reduce, measured on the simulated
//! cluster, against the ring formula and a pipeline boundary's point-to-point traffic.

use super::{svg, Rendered};
use crate::architectures::gpt::{Block, GptConfig, Positions};
use crate::plot::{line_chart, Axes, Series};
use crate::training::cluster::{run, DEFAULT_TIMEOUT};
use crate::training::tensor_parallel::{activation_bytes, parallel_mlp, tp_bytes_per_all_reduce};
use crate::Dev;
use dfdx::prelude::*;
use plotters::prelude::*;

/// The measured activation: B = 2 sequences of T = 5 tokens, width 16 (640 bytes).
pub const TP_FIG_SHAPE: (usize, usize, usize) = (2, 5, 16);
/// The ranks measured.
pub const TP_FIG_RANKS: [usize; 4] = [1, 2, 4, 8];

/// (N, bytes rank 0 sent) for one forward pass of a GPT MLP split over N ranks, which runs
/// exactly one all-reduce of the (B, T, C) activation.
pub fn measured_bytes_per_all_reduce() -> Vec<(usize, usize)> {
    let (b, t, c) = TP_FIG_SHAPE;
    let cfg = GptConfig {
        vocab: 8,
        context: t,
        d_model: c,
        heads: 8,
        layers: 1,
        positions: Positions::Learned,
    };
    let block = Block::new(&Dev::seed_from_u64(0), &cfg);
    TP_FIG_RANKS
        .iter()
        .map(|&n| {
            let out = run(n, DEFAULT_TIMEOUT, |comm| {
                let x = Dev::default().ones_like(&(b * t, c));
                parallel_mlp(comm, x, &block.mlp).map(|_| ())
            })
            .expect("the MLP runs on the cluster");
            (n, out[0].1.bytes_sent)
        })
        .collect()
}

/// Measured points on the formula 2(N − 1)/N · S, with the pipeline boundary's S and a
/// block's four all-reduces, as multiples of S.
pub fn tensor_parallel_traffic() -> Rendered {
    let (b, t, c) = TP_FIG_SHAPE;
    let s = activation_bytes(b, t, c) as f64;
    let grid: Vec<f64> = (10..=80).map(|i| i as f64 / 10.0).collect();
    let formula = |n: f64| 2.0 * (n - 1.0) / n;
    let measured: Vec<(f64, f64)> =
        measured_bytes_per_all_reduce().iter().map(|&(n, by)| (n as f64, by as f64 / s)).collect();
    let series = vec![
        Series::new(
            "one all-reduce, per rank: 2(N−1)/N · S",
            grid.iter().map(|&n| (n, formula(n))).collect(),
            RGBColor(30, 90, 200),
        ),
        Series::new("measured (MLP forward, one all-reduce)", measured, RGBColor(200, 40, 40))
            .with_markers(),
        Series::new(
            "a block, fwd + bwd: 4 all-reduces",
            grid.iter().map(|&n| (n, 4.0 * formula(n))).collect(),
            RGBColor(120, 60, 160),
        ),
        Series::new(
            "pipeline boundary, per micro-batch: S forward + S backward",
            grid.iter().map(|&n| (n, 2.0)).collect(),
            RGBColor(20, 140, 60),
        ),
    ];
    debug_assert_eq!(tp_bytes_per_all_reduce(b, t, c, 2), s);
    let ticks = |x: &f64| format!("{x:.0}");
    svg((1000, 560), |root| {
        line_chart(
            root,
            "Bytes each rank sends, in units of one activation S = B·T·d·4",
            &Axes {
                x: 1.0..8.0,
                y: 0.0..8.0,
                x_label: "tensor-parallel ranks N",
                y_label: "bytes sent per rank / S",
                x_ticks: &ticks,
                marks: vec![],
                legend: SeriesLabelPosition::UpperLeft,
            },
            &series,
        )
    })
}

#[cfg(test)]
mod tests;
