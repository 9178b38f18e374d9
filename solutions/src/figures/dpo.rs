//! §4.9: held-out preference accuracy and reward margin of the toy DPO fine-tune against
//! the step, for three seeds.

use super::{svg, Rendered};
use crate::plot::{line_chart, Axes, PlotResult, Series};
use crate::training::dpo_finetune::{dpo_finetune, DpoRun, DpoSetup};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The seeds drawn (those `dpo_finetune/tests.rs` asserts on).
pub const DPO_SEEDS: [u64; 3] = [0, 1, 2];

/// `DpoSetup::tiny()` measured after every step (the training is the same: evaluation
/// draws no random numbers and leaves the model alone).
pub fn dpo_curves() -> Vec<DpoRun> {
    let setup = DpoSetup { eval_every: 1, ..DpoSetup::tiny() };
    DPO_SEEDS.iter().map(|&seed| dpo_finetune(&setup, seed)).collect()
}

/// The figure: accuracy (left) and margin (right) on the held-out pairs.
pub fn dpo_training() -> Rendered {
    let runs = dpo_curves();
    svg((1100, 460), |root| draw_dpo_training(root, &runs))
}

/// Draws the two panels into any drawing area (the book's SVG or a notebook's figure).
pub fn draw_dpo_training<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    runs: &[DpoRun],
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let colors = [RGBColor(30, 90, 200), RGBColor(200, 40, 40), RGBColor(40, 150, 60)];
    let steps = runs.iter().flat_map(|r| r.points.last()).map(|p| p.step).max().unwrap_or(1);
    let curves = |f: &dyn Fn(&crate::training::dpo::DpoStats) -> f64| -> Vec<Series> {
        runs.iter()
            .zip(DPO_SEEDS)
            .zip(colors)
            .map(|((run, seed), color)| {
                let points = run.points.iter().map(|p| (p.step as f64, f(&p.held_out))).collect();
                Series::new(&format!("seed {seed}"), points, color)
            })
            .collect()
    };
    let top = runs.iter().flat_map(|r| &r.points).map(|p| p.held_out.margin).fold(0.0, f64::max);
    let ticks = |x: &f64| format!("{x:.0}");
    let panels = area.split_evenly((1, 2));
    let axes = |y: std::ops::Range<f64>, y_label| Axes {
        x: 0.0..steps as f64,
        y,
        x_label: "DPO step (16 pairs each)",
        y_label,
        x_ticks: &ticks,
        marks: vec![],
        legend: SeriesLabelPosition::LowerRight,
    };
    line_chart(
        &panels[0],
        "Held-out preference accuracy",
        &axes(0.0..1.05, "share of pairs with r̂_w > r̂_l"),
        &curves(&|s| s.accuracy),
    )?;
    line_chart(
        &panels[1],
        "Held-out reward margin",
        &axes(0.0..(top * 1.1).max(0.1), "mean r̂_w − r̂_l (β = 0.1)"),
        &curves(&|s| s.margin),
    )
}
