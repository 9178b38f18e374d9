//! §4.7: the gap between neighbouring representable values of fp32, fp16 and bf16,
//! against the magnitude, on log-log axes.

use super::{svg, Rendered};
use crate::plot::{line_chart, Axes, Series};
use crate::training::number_formats::{Format, BF16, FP16, FP32};
use plotters::prelude::*;

/// The magnitudes drawn, as powers of two: from below fp16's smallest subnormal to above
/// its largest value.
pub const SPACING_LOG2_RANGE: (i32, i32) = (-30, 20);

/// For each format, (log₂ |x|, log₂ gap after x) at 8 points per octave, over
/// [`SPACING_LOG2_RANGE`], stopping at the format's largest finite value.
pub fn spacing_curves() -> Vec<(Format, Vec<(f64, f64)>)> {
    let (lo, hi) = SPACING_LOG2_RANGE;
    [FP32, BF16, FP16]
        .into_iter()
        .map(|f| {
            let points = (lo * 8..=hi * 8)
                .map(|i| i as f64 / 8.0)
                .filter(|&k| k.exp2() <= f.max())
                .map(|k| (k, f.spacing(k.exp2()).log2()))
                .collect();
            (f, points)
        })
        .collect()
}

/// The staircases of [`spacing_curves`], with fp16's limits marked.
pub fn number_format_spacing() -> Rendered {
    let colors = [RGBColor(30, 90, 200), RGBColor(20, 140, 60), RGBColor(200, 40, 40)];
    let series: Vec<Series> = spacing_curves()
        .into_iter()
        .zip(colors)
        .map(|((f, points), color)| {
            let label = format!(
                "{} ({} exponent, {} mantissa bits)",
                f.name, f.exponent_bits, f.mantissa_bits
            );
            Series::new(&label, points, color)
        })
        .collect();
    let ticks = |x: &f64| format!("2^{x:.0}");
    let (lo, hi) = SPACING_LOG2_RANGE;
    svg((1000, 560), |root| {
        line_chart(
            root,
            "Gap to the next representable value: fp16 runs out at 65504, bf16 is 8× coarser",
            &Axes {
                x: lo as f64..hi as f64,
                y: -56.0..12.0,
                x_label: "|x| (log scale)",
                y_label: "log₂ of the gap after x",
                x_ticks: &ticks,
                marks: vec![
                    (FP16.min_normal().log2(), "fp16 subnormals below".to_string()),
                    (FP16.max().log2(), "fp16 max 65504".to_string()),
                ],
                legend: SeriesLabelPosition::UpperLeft,
            },
            &series,
        )
    })
}

#[cfg(test)]
mod tests;
