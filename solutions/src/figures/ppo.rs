//! §4.8: mean reward and KL to the reference of the toy PPO run against the iteration, with
//! and without the KL penalty, for three seeds.

use super::{svg, Rendered};
use crate::plot::{line_chart, Axes, PlotResult, Series};
use crate::training::ppo_finetune::{ppo_finetune, PpoPoint, PpoRun, PpoSetup};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The seeds drawn (those `ppo_finetune/tests.rs` asserts on).
pub const PPO_SEEDS: [u64; 3] = [0, 1, 2];

/// `PpoSetup::tiny()` with and without the KL term, for each seed: (with, without).
pub fn ppo_curves() -> (Vec<PpoRun>, Vec<PpoRun>) {
    let setup = PpoSetup::tiny();
    let runs = |s: PpoSetup| PPO_SEEDS.iter().map(|&seed| ppo_finetune(&s, seed)).collect();
    (runs(setup), runs(setup.without_kl()))
}

/// The figure: mean reward (left) and KL (right) of each iteration's samples.
pub fn ppo_training() -> Rendered {
    let (with, without) = ppo_curves();
    svg((1100, 460), |root| draw_ppo_training(root, &with, &without))
}

/// Draws the two panels into any drawing area (the book's SVG or a notebook's figure).
pub fn draw_ppo_training<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    with_kl: &[PpoRun],
    without_kl: &[PpoRun],
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let blues = [RGBColor(30, 90, 200), RGBColor(70, 130, 230), RGBColor(120, 170, 250)];
    let reds = [RGBColor(200, 40, 40), RGBColor(230, 90, 60), RGBColor(245, 140, 110)];
    let all = with_kl.iter().chain(without_kl);
    let last = all.clone().flat_map(|r| r.points.last()).map(|p| p.iteration).max().unwrap_or(1);
    let top_kl = all.flat_map(|r| &r.points).map(|p| p.kl).fold(0.0, f64::max);
    let curves = |f: &dyn Fn(&PpoPoint) -> f64| -> Vec<Series> {
        let group = |runs: &[PpoRun], colors: [RGBColor; 3], name: &str| -> Vec<Series> {
            runs.iter()
                .zip(PPO_SEEDS)
                .zip(colors)
                .map(|((run, seed), color)| {
                    let points = run.points.iter().map(|p| (p.iteration as f64, f(p))).collect();
                    Series::new(&format!("{name}, seed {seed}"), points, color)
                })
                .collect()
        };
        let mut all = group(with_kl, blues, "with KL (β = 0.1)");
        all.extend(group(without_kl, reds, "without KL"));
        all
    };
    let ticks = |x: &f64| format!("{x:.0}");
    let panels = area.split_evenly((1, 2));
    let axes = |y: std::ops::Range<f64>, y_label, legend| Axes {
        x: 0.0..last as f64,
        y,
        x_label: "PPO iteration (32 samples, 4 epochs of one minibatch)",
        y_label,
        x_ticks: &ticks,
        marks: vec![],
        legend,
    };
    line_chart(
        &panels[0],
        "Mean reward of the samples",
        &axes(-1.0..1.05, "(vowels − consonants) / length", SeriesLabelPosition::LowerRight),
        &curves(&|p| p.score),
    )?;
    line_chart(
        &panels[1],
        "KL to the reference",
        &axes(
            0.0..(top_kl * 1.1).max(0.1),
            "exact KL(π‖π_ref) per completion (nats)",
            SeriesLabelPosition::UpperLeft,
        ),
        &curves(&|p| p.kl),
    )
}
