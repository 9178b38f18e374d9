//! §4.5: held-out label loss and accuracy of prompt tuning and P-tuning against the step,
//! for two seeds, beside the zero-shot verbalizer and PET's few-shot fine-tune.

use super::{svg, Rendered};
use crate::plot::{line_chart, Axes, PlotResult, Series};
use crate::training::pet::LabelStats;
use crate::training::prompt_methods::{compare_prompt_methods, PromptComparison, PromptSetup};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The seeds drawn (those `prompt_methods/tests.rs` asserts on).
pub const PROMPT_SEEDS: [u64; 2] = [0, 1];

/// `PromptSetup::tiny()` measured after every step (evaluation draws no random numbers and
/// leaves the prompt alone, so the training is the same as the test's).
pub fn prompt_curves() -> Vec<PromptComparison> {
    let setup = PromptSetup { eval_every: 1, ..PromptSetup::tiny() };
    PROMPT_SEEDS.iter().map(|&seed| compare_prompt_methods(&setup, seed)).collect()
}

/// The figure: label loss (left) and accuracy (right) on the held-out windows.
pub fn soft_prompt_training() -> Rendered {
    let runs = prompt_curves();
    svg((1100, 460), |root| draw_soft_prompt_training(root, &runs))
}

/// Draws the two panels into any drawing area (the book's SVG or a notebook's figure).
pub fn draw_soft_prompt_training<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    runs: &[PromptComparison],
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let steps = runs.iter().flat_map(|r| r.prompt_tuning.points.last()).map(|p| p.step).max();
    let steps = steps.unwrap_or(1) as f64;
    let blue = [RGBColor(30, 90, 200), RGBColor(110, 160, 240)];
    let red = [RGBColor(200, 40, 40), RGBColor(240, 130, 120)];
    let (grey, green) = (RGBColor(120, 120, 120), RGBColor(40, 150, 60));
    let series = |f: &dyn Fn(&LabelStats) -> f64| -> Vec<Series> {
        let mut out = vec![];
        for (i, r) in runs.iter().enumerate() {
            for (name, run, colors) in
                [("prompt tuning", &r.prompt_tuning, blue), ("P-tuning", &r.p_tuning, red)]
            {
                let points = run.points.iter().map(|p| (p.step as f64, f(&p.held_out))).collect();
                out.push(Series::new(&format!("{name}, seed {}", r.seed), points, colors[i % 2]));
            }
            let flat = |v: f64| vec![(0.0, v), (steps, v)];
            let mut zero = Series::new("zero-shot verbalizer", flat(f(&r.zero_shot)), grey);
            let mut pet =
                Series::new("PET few-shot (whole model)", flat(f(&r.pet_few_shot)), green);
            if i > 0 {
                (zero.label, pet.label) = (None, None);
            }
            out.extend([zero, pet]);
        }
        out
    };
    let all = |f: &dyn Fn(&LabelStats) -> f64| -> f64 {
        let run_max = |r: &PromptComparison| {
            let pts = r.prompt_tuning.points.iter().chain(&r.p_tuning.points);
            pts.map(|p| f(&p.held_out))
                .chain([f(&r.zero_shot), f(&r.pet_few_shot)])
                .fold(0.0, f64::max)
        };
        runs.iter().map(run_max).fold(0.0, f64::max)
    };
    let ticks = |x: &f64| format!("{x:.0}");
    let panels = area.split_evenly((1, 2));
    let axes = |y: std::ops::Range<f64>, y_label, legend| Axes {
        x: 0.0..steps,
        y,
        x_label: "prompt-training step (64 labelled windows each)",
        y_label,
        x_ticks: &ticks,
        marks: vec![],
        legend,
    };
    line_chart(
        &panels[0],
        "Held-out label loss",
        &axes(0.0..all(&|s| s.loss) * 1.1, "−log q(label | x)", SeriesLabelPosition::UpperRight),
        &series(&|s| s.loss),
    )?;
    line_chart(
        &panels[1],
        "Held-out accuracy",
        &axes(0.4..1.02, "share of windows labelled right", SeriesLabelPosition::LowerRight),
        &series(&|s| s.accuracy),
    )
}
