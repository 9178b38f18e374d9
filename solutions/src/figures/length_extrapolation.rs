//! §3.4: held-out loss against evaluation length for the same tiny GPT with learned
//! positions, RoPE and ALiBi, trained at T and evaluated at T, 2T and 4T (one seed).

use super::{svg, Rendered};
use crate::architectures::gpt::Positions;
use crate::architectures::length_extrapolation::{length_extrapolation, Curve, Setup, BOOK};
use crate::plot::{line_chart, Axes, PlotResult, Series};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The seed of the book's figure.
pub const EXTRAPOLATION_SEED: u64 = 0;

/// The book's figure: [`BOOK`]'s setup, seed [`EXTRAPOLATION_SEED`].
pub fn length_extrapolation_figure() -> Rendered {
    let curves = length_extrapolation(&BOOK, EXTRAPOLATION_SEED);
    svg((760, 480), |root| draw_length_extrapolation(root, &BOOK, &curves))
}

/// One line per scheme, loss against evaluation length, with the training length marked;
/// into any drawing area (the book's SVG or a notebook's inline figure).
pub fn draw_length_extrapolation<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    setup: &Setup,
    curves: &[Curve],
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let color = |p: Positions| match p {
        Positions::Learned => RGBColor(20, 140, 60),
        Positions::Rope => RGBColor(200, 40, 40),
        Positions::Alibi => RGBColor(30, 90, 200),
    };
    let series: Vec<Series> = curves
        .iter()
        .map(|c| {
            let points = c.losses.iter().map(|&(len, loss)| (len as f64, loss as f64)).collect();
            Series::new(c.positions.name(), points, color(c.positions)).with_markers()
        })
        .collect();
    let losses = curves.iter().flat_map(|c| c.losses.iter().map(|l| l.1 as f64));
    let (lo, hi) =
        losses.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), l| (a.min(l), b.max(l)));
    let longest = curves.iter().flat_map(|c| c.losses.iter().map(|l| l.0)).max().unwrap_or(1);
    let ticks = |x: &f64| format!("{}", x.round());
    line_chart(
        area,
        &format!("Trained at T = {}, evaluated at longer windows", setup.context),
        &Axes {
            x: 0.0..longest as f64 * 1.05,
            y: (lo - 0.1)..(hi + 0.1),
            x_label: "evaluation length (characters)",
            y_label: "held-out loss (nats per character)",
            x_ticks: &ticks,
            marks: vec![(setup.context as f64, "training length".to_string())],
            legend: SeriesLabelPosition::LowerLeft,
        },
        &series,
    )
}
