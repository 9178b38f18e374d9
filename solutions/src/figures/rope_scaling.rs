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
mod tests {
    use super::*;

    /// The §1.6 page's reading of the figure.
    #[test]
    fn the_rope_scaling_figure_shows_what_the_page_says() {
        let all: Vec<usize> = (0..=TARGET_LEN).collect();
        let c = similarity_curves(&all);
        let (plain, pi, ntk) = (&c[0], &c[1], &c[2]);
        let min = |v: &[(f64, f64)]| v.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let (inside, beyond) = (TRAIN_LEN + 1, TRAIN_LEN..TARGET_LEN + 1);
        // Within the training length plain RoPE's curve never drops below -0.11;
        assert!(min(&plain[..inside]) > -0.11, "{}", min(&plain[..inside]));
        // beyond it, the curve reaches -0.3 and lower: values training never produced.
        assert!(min(&plain[beyond.clone()]) < -0.3, "{}", min(&plain[beyond.clone()]));
        // PI stays above -0.11 too, over the whole 8192 tokens (its curve is plain RoPE's
        // on [0, 2048], stretched 4×: the library's tests assert that),
        assert!(min(pi) > -0.11, "{}", min(pi));
        // NTK goes beyond it, less far than plain RoPE (to about -0.18).
        let ntk_far = min(&ntk[beyond.clone()]);
        assert!((ntk_far + 0.18).abs() < 0.01, "{ntk_far}");
        // Near the query PI blurs neighbours: at distance 1 its similarity is 0.998
        // against plain RoPE's 0.966, while NTK stays close to plain (0.970).
        assert!((pi[1].1 - 0.998).abs() < 5e-4 && (plain[1].1 - 0.966).abs() < 5e-4);
        assert!((ntk[1].1 - 0.970).abs() < 5e-4, "{}", ntk[1].1);
        // Over the first 32 tokens NTK is always closer to plain RoPE than PI is.
        for d in 1..=32 {
            let (dn, dp) = ((ntk[d].1 - plain[d].1).abs(), (pi[d].1 - plain[d].1).abs());
            assert!(dn < dp, "distance {d}: NTK off by {dn}, PI by {dp}");
        }
    }
}
