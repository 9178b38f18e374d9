//! §4.5: the Chinese validation loss of the English-pre-trained tiny GPT while it is
//! adapted by LoRA and by full fine-tuning, drawn from the run stored in
//! `data/bench/lora_finetune.json` (`cargo course finetune --compare --save FILE`; timings
//! are not reproducible and the run takes about a minute, so the figure redraws the stored
//! measurement; to refresh it, rerun with `--save`, then `cargo course figures`).

use super::{svg, Rendered};
use crate::plot::{line_chart, Axes, PlotResult, Series};
use crate::training::lora_finetune::FinetuneComparison;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The stored measurement.
pub fn stored_lora_finetune() -> FinetuneComparison {
    serde_json::from_str(include_str!("../../../data/bench/lora_finetune.json"))
        .expect("data/bench/lora_finetune.json parses")
}

/// §4.5's figure.
pub fn lora_finetune() -> Rendered {
    let run = stored_lora_finetune();
    svg((800, 460), |root| draw_lora_finetune(root, &run))
}

/// Draws the two curves into any drawing area (the book's SVG or a notebook's figure).
pub fn draw_lora_finetune<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    run: &FinetuneComparison,
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let (blue, red) = (RGBColor(30, 90, 200), RGBColor(200, 40, 40));
    let curve = |r: &crate::training::lora_finetune::AdaptRun| -> Vec<(f64, f64)> {
        r.chinese_val.iter().map(|&(s, l)| (s as f64, l as f64)).collect()
    };
    let label = |r: &crate::training::lora_finetune::AdaptRun| {
        let share = 100.0 * r.count.trainable as f64 / r.count.total as f64;
        format!("{} ({} trainable, {share:.1} %)", r.method, r.count.trainable)
    };
    let all = run.lora.chinese_val.iter().chain(&run.full.chinese_val).map(|p| p.1 as f64);
    let (lo, hi) = all.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
    let steps = run.setup.adapt_steps as f64;
    let ticks = |x: &f64| format!("{x:.0}");
    line_chart(
        area,
        "Adapting an English-trained GPT to Chinese",
        &Axes {
            x: 0.0..steps,
            y: (lo - 0.2).max(0.0)..hi + 0.2,
            x_label: "fine-tuning step",
            y_label: "Chinese validation loss (nats)",
            x_ticks: &ticks,
            marks: vec![],
            legend: SeriesLabelPosition::UpperRight,
        },
        &[
            Series::new(&label(&run.lora), curve(&run.lora), blue).with_markers(),
            Series::new(&label(&run.full), curve(&run.full), red).with_markers(),
        ],
    )
}
