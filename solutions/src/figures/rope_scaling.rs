//! §1.6: the RoPE self-similarity curve inside and beyond the training length, for plain
//! RoPE, Position Interpolation and NTK-aware scaling.

use super::{svg, Rendered};
use crate::foundations::rope_scaling::{self_similarity, RopeScaling};
use crate::plot::{line_chart, Axes, Series};
use plotters::prelude::*;

/// Head width, training length and target length of the figure (a Llama-like head, a
/// 2k-trained model read at 8k).
pub const ROPE_D: usize = 64;
pub const TRAIN_LEN: usize = 2048;
pub const TARGET_LEN: usize = 8192;
const BASE: f64 = 10000.0;

/// The three schemes in the figure's order, with their legend names.
pub const SCHEMES: [(RopeScaling, &str); 3] = [
    (RopeScaling::None, "plain RoPE (extrapolation)"),
    (RopeScaling::Interpolation, "Position Interpolation"),
    (RopeScaling::NtkAware, "NTK-aware base"),
];

/// The self-similarity of each scheme at the given distances.
pub fn similarity_curves(distances: &[usize]) -> Vec<Vec<(f64, f64)>> {
    SCHEMES
        .iter()
        .map(|&(scheme, _)| {
            distances
                .iter()
                .map(|&d| {
                    (d as f64, self_similarity(d, ROPE_D, BASE, scheme, TRAIN_LEN, TARGET_LEN))
                })
                .collect()
        })
        .collect()
}

/// Distances are grouped in windows of this many tokens for the left panel.
pub const WINDOW: usize = 64;

/// For each scheme, the lowest self-similarity within each window of [`WINDOW`] distances
/// from 0 to the target length, placed at the window's centre: the lower envelope of the
/// curve, which a plot of the raw, fast-oscillating curve would alias away.
pub fn window_minima() -> Vec<Vec<(f64, f64)>> {
    let all: Vec<usize> = (0..TARGET_LEN).collect();
    similarity_curves(&all)
        .into_iter()
        .map(|curve| {
            curve
                .chunks(WINDOW)
                .map(|w| {
                    let low = w.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
                    (w[0].0 + WINDOW as f64 / 2.0, low)
                })
                .collect()
        })
        .collect()
}

/// Left: the lowest value per 64-token window up to 8192, with the training length
/// marked; right: the raw curve over the first 32 tokens.
pub fn rope_scaling_curves() -> Rendered {
    let near: Vec<usize> = (0..=32).collect();
    let colors = [RGBColor(200, 40, 40), RGBColor(30, 90, 200), RGBColor(20, 140, 60)];
    let series = |curves: Vec<Vec<(f64, f64)>>, markers: bool| {
        curves
            .into_iter()
            .zip(SCHEMES.iter().zip(colors))
            .map(|(points, ((_, name), color))| {
                let s = Series::new(name, points, color);
                if markers {
                    s.with_markers()
                } else {
                    s
                }
            })
            .collect::<Vec<_>>()
    };
    let ticks = |x: &f64| format!("{}", x.round());
    svg((1100, 480), |root| {
        let halves = root.split_evenly((1, 2));
        line_chart(
            &halves[0],
            &format!("Lowest self-similarity in each {WINDOW}-token window"),
            &Axes {
                x: 0.0..TARGET_LEN as f64,
                y: -0.4..0.6,
                x_label: "distance between query and key (tokens)",
                y_label: "min over the window of (2/d) Σ cos(Δ·θ_i)",
                x_ticks: &ticks,
                marks: vec![(TRAIN_LEN as f64, format!("training length {TRAIN_LEN}"))],
                legend: SeriesLabelPosition::UpperRight,
            },
            &series(window_minima(), false),
        )?;
        line_chart(
            &halves[1],
            "The first 32 distances: telling neighbours apart",
            &Axes {
                x: 0.0..32.0,
                y: 0.4..1.02,
                x_label: "distance between query and key (tokens)",
                y_label: "(2/d) Σ cos(Δ·θ_i)",
                x_ticks: &ticks,
                marks: vec![],
                legend: SeriesLabelPosition::LowerLeft,
            },
            &series(similarity_curves(&near), true),
        )
    })
}

#[cfg(test)]
mod tests;
