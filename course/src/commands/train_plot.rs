//! The loss curve of `cargo course train`: training loss per step (raw and smoothed) and the
//! validation loss at each evaluation, as an SVG in the house style of `solutions::plot`.
//! PyTorch users get the same from TensorBoard's scalars or a matplotlib `plot(losses)`.

use anyhow::{anyhow, Result};
use plotters::prelude::*;
use solutions::plot::{line_chart, Axes, Series};
use std::path::Path;

/// Steps averaged by the smoothed curve: single batches are noisy at batch size 12.
const WINDOW: usize = 25;

/// Writes `path`: `losses[s]` is step `s + 1`'s training loss, `val` holds (step, loss).
pub fn write_loss_curve(path: &Path, losses: &[f32], val: &[(u64, f32)]) -> Result<()> {
    let raw: Vec<(f64, f64)> =
        losses.iter().enumerate().map(|(s, &l)| ((s + 1) as f64, l as f64)).collect();
    // Trailing mean over the last WINDOW steps.
    let smooth: Vec<(f64, f64)> = (0..losses.len())
        .map(|s| {
            let w = &losses[(s + 1).saturating_sub(WINDOW)..=s];
            ((s + 1) as f64, w.iter().map(|&l| l as f64).sum::<f64>() / w.len() as f64)
        })
        .collect();
    let val: Vec<(f64, f64)> = val.iter().map(|&(s, l)| (s as f64, l as f64)).collect();
    let all = raw.iter().chain(&val).map(|p| p.1).filter(|y| y.is_finite());
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| (a.min(y), b.max(y)));
    let (lo, hi) = if lo < hi { (lo, hi) } else { (0.0, 1.0) };
    let pad = 0.05 * (hi - lo);
    let ticks = |x: &f64| format!("{}", x.round());
    let root = SVGBackend::new(path, (900, 480)).into_drawing_area();
    let draw = || -> Result<(), Box<dyn std::error::Error>> {
        root.fill(&WHITE)?;
        line_chart(
            &root,
            "Training the tiny GPT: loss against step",
            &Axes {
                x: 0.0..losses.len().max(1) as f64,
                y: (lo - pad).max(0.0)..hi + pad,
                x_label: "optimizer step",
                y_label: "cross-entropy (nats per token)",
                x_ticks: &ticks,
                marks: vec![],
                legend: SeriesLabelPosition::UpperRight,
            },
            &[
                Series { label: None, points: raw, color: RGBColor(170, 190, 225), markers: false },
                Series::new(&format!("training, mean of {WINDOW} steps"), smooth, BLUE),
                Series::new("validation", val, RGBColor(220, 80, 40)).with_markers(),
            ],
        )?;
        root.present()?;
        Ok(())
    };
    draw().map_err(|e| anyhow!("{}: cannot write the loss curve: {e}", path.display()))
}
