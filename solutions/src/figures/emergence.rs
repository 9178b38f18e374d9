//! §6.6: a smooth per-token accuracy and the exact match of k-token answers against the
//! parameter count (left), and a simulated benchmark on a ladder of models scored both ways
//! from the same answers (right).

use super::{svg, Rendered};
use crate::applications::emergence::{
    ladder, measured_ladder, LadderPoint, PerTokenCurve, BOOK_CURVE,
};
use crate::plot::{line_chart, Axes, PlotResult, Series};
use plotters::coord::Shift;
use plotters::prelude::*;
use rand::rngs::StdRng;
use rand::SeedableRng;

/// Answer lengths drawn on the left.
pub const EMERGENCE_KS: [u32; 4] = [2, 5, 10, 20];
/// The benchmark on the right: questions per model, tokens per answer, seed.
pub const BENCHMARK: (usize, u32, u64) = (100, 10, 0);

/// The right panel's data: the ladder 10⁶ to 10¹¹ in half decades, measured.
pub fn emergence_ladder() -> Vec<LadderPoint> {
    let (questions, k, seed) = BENCHMARK;
    let mut rng = StdRng::seed_from_u64(seed);
    measured_ladder(&BOOK_CURVE, &ladder(6.0, 11.0, 0.5), k, questions, &mut rng)
}

/// The figure.
pub fn emergence() -> Rendered {
    let points = emergence_ladder();
    svg((1100, 460), |root| draw_emergence(root, &BOOK_CURVE, &points))
}

/// Draws both panels into any drawing area (the book's SVG or a notebook's figure).
pub fn draw_emergence<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    curve: &PerTokenCurve,
    points: &[LadderPoint],
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let grid: Vec<f64> = (0..=700).map(|i| 6.0 + i as f64 * 0.01).collect();
    let line = |f: &dyn Fn(f64) -> f64| grid.iter().map(|&x| (x, f(x))).collect::<Vec<_>>();
    let colors = [
        RGBColor(120, 170, 230),
        RGBColor(60, 120, 210),
        RGBColor(200, 40, 40),
        RGBColor(120, 30, 120),
    ];
    let mut left = vec![Series::new(
        "per-token accuracy p",
        line(&|x| curve.per_token(x)),
        RGBColor(40, 150, 60),
    )];
    for (k, color) in EMERGENCE_KS.iter().zip(colors) {
        let name = format!("exact match, k = {k} (p^{k})");
        left.push(Series::new(&name, line(&|x| curve.exact_match(x, *k)), color));
    }
    let ticks = |x: &f64| format!("10^{x:.0}");
    let halves = area.split_evenly((1, 2));
    let crossing = curve.crossing(10, 0.5);
    line_chart(
        &halves[0],
        "A smooth per-token curve, k-token exact match",
        &Axes {
            x: 6.0..13.0,
            y: 0.0..1.02,
            x_label: "parameters (log scale)",
            y_label: "accuracy",
            x_ticks: &ticks,
            marks: vec![(crossing, "k = 10: 50 %".to_string())],
            legend: SeriesLabelPosition::UpperLeft,
        },
        &left,
    )?;
    let (questions, k, _) = BENCHMARK;
    let at = |f: &dyn Fn(&LadderPoint) -> f64| {
        points.iter().map(|p| (p.log10_params, f(p))).collect::<Vec<_>>()
    };
    let right = [
        Series::new("share of tokens right", at(&|p| p.token_accuracy), RGBColor(40, 150, 60))
            .with_markers(),
        Series::new("exact match", at(&|p| p.exact_match), RGBColor(200, 40, 40)).with_markers(),
    ];
    let last = points.last().map_or(11.0, |p| p.log10_params);
    line_chart(
        &halves[1],
        &format!("One benchmark, two metrics ({questions} answers of {k} tokens)"),
        &Axes {
            x: 6.0..last + 0.2,
            y: 0.0..1.02,
            x_label: "parameters (log scale)",
            y_label: "measured",
            x_ticks: &ticks,
            marks: vec![],
            legend: SeriesLabelPosition::UpperLeft,
        },
        &right,
    )
}
