//! §1.2: softmax saturation and the softmax's gradient against the head width d_k.

use super::{svg, Rendered};
use crate::foundations::score_scaling::{saturation_sweep, SaturationPoint};
use crate::plot::{line_chart, Axes, Series};
use crate::Dev;
use plotters::prelude::*;

/// The widths of the sweep: 1, 2, 4, …, 1024.
pub const D_KS: [usize; 11] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
/// Keys per query and queries per width.
const KEYS: usize = 16;
const TRIALS: usize = 500;

/// The sweep behind the figure, (unscaled, scaled), from seed 0.
pub fn saturation_curves() -> (Vec<SaturationPoint>, Vec<SaturationPoint>) {
    let dev = Dev::seed_from_u64(0);
    let raw = saturation_sweep(&dev, &D_KS, KEYS, TRIALS, false);
    let scaled = saturation_sweep(&dev, &D_KS, KEYS, TRIALS, true);
    (raw, scaled)
}

/// Left: the mean largest attention weight; right: the mean Frobenius norm of the
/// softmax Jacobian; both against d_k (log scale), with and without the 1/√d_k.
pub fn softmax_saturation() -> Rendered {
    let (raw, scaled) = saturation_curves();
    let curve = |points: &[SaturationPoint], f: fn(&SaturationPoint) -> f64| {
        points.iter().map(|p| ((p.d_k as f64).log2(), f(p))).collect::<Vec<_>>()
    };
    let ticks = |x: &f64| format!("{}", 2f64.powf(*x).round());
    let panel = |y: std::ops::Range<f64>, y_label: &'static str, legend| Axes {
        x: -0.3..10.3,
        y,
        x_label: "head width d_k (log scale)",
        y_label,
        x_ticks: &ticks,
        marks: vec![],
        legend,
    };
    let (red, blue) = (RGBColor(200, 40, 40), RGBColor(30, 90, 200));
    svg((1100, 460), |root| {
        let halves = root.split_evenly((1, 2));
        line_chart(
            &halves[0],
            &format!("Largest attention weight ({KEYS} keys; uniform = 1/{KEYS})"),
            &panel(0.0..1.05, "mean largest weight", SeriesLabelPosition::UpperLeft),
            &[
                Series::new("scores q·k", curve(&raw, |p| p.max_weight), red).with_markers(),
                Series::new("scores q·k / √d_k", curve(&scaled, |p| p.max_weight), blue)
                    .with_markers(),
            ],
        )?;
        line_chart(
            &halves[1],
            "Gradient through the softmax",
            &panel(0.0..0.35, "mean ‖Jacobian of softmax‖_F", SeriesLabelPosition::LowerLeft),
            &[
                Series::new("scores q·k", curve(&raw, |p| p.jacobian_norm), red).with_markers(),
                Series::new("scores q·k / √d_k", curve(&scaled, |p| p.jacobian_norm), blue)
                    .with_markers(),
            ],
        )
    })
}

#[cfg(test)]
mod tests;
