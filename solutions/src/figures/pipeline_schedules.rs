//! §4.4: the Gantt charts of GPipe and 1F1B, drawn from the ticks each stage thread
//! recorded while it ran (`training::pipeline_clock::record`), not from the formula.

use super::{svg, Rendered};
use crate::plot::PlotResult;
use crate::training::pipeline::{gpipe_schedule, one_f_one_b_schedule, Op, Schedule};
use crate::training::pipeline_clock::{record, Timeline};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The figure's pipeline: 4 stages, 8 micro-batches (the page's example).
pub const GANTT_STAGES: usize = 4;
pub const GANTT_MICRO_BATCHES: usize = 8;

/// Both schedules, recorded on `stages` threads, with their names.
pub fn recorded_schedules(stages: usize, micro_batches: usize) -> Vec<(&'static str, Timeline)> {
    let both: [(&str, Schedule); 2] = [("GPipe", gpipe_schedule), ("1F1B", one_f_one_b_schedule)];
    both.into_iter().map(|(name, s)| (name, record(s, stages, micro_batches))).collect()
}

/// The book's figure.
pub fn pipeline_schedules() -> Rendered {
    svg((1100, 520), |root| draw_pipeline_schedules(root, GANTT_STAGES, GANTT_MICRO_BATCHES))
}

/// Draws the two Gantt charts, one above the other, into any drawing area (the book's SVG
/// or a notebook's inline figure).
pub fn draw_pipeline_schedules<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    stages: usize,
    micro_batches: usize,
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let runs = recorded_schedules(stages, micro_batches);
    let span = runs.iter().map(|(_, t)| t.makespan()).max().unwrap_or(1) as f64;
    for (panel, (name, timeline)) in area.split_evenly((2, 1)).iter().zip(&runs) {
        let title = format!(
            "{name}, p = {stages}, m = {micro_batches}: bubble {:.1} % measured, at most {} \
             activations held",
            100.0 * timeline.bubble(),
            timeline.peak_in_flight()
        );
        draw_gantt(panel, &title, timeline, span)?;
    }
    Ok(())
}

/// One schedule: a row per stage (stage 0 at the top), a box per op from its start tick to
/// its end, forward in blue and backward in orange, labelled with the micro-batch.
fn draw_gantt<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    timeline: &Timeline,
    span: f64,
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let p = timeline.stages.len();
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 17))
        .margin(10)
        .x_label_area_size(36)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..span, -(p as f64) + 0.5..0.5)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("simulated time (ticks: forward 1, backward 2)")
        .y_labels(p)
        // Row s is centred on y = −s, so that the labels fall on whole numbers.
        .y_label_formatter(&|y| {
            if (y - y.round()).abs() < 1e-6 {
                format!("stage {}", -y.round() as i64)
            } else {
                String::new()
            }
        })
        .label_style(("sans-serif", 13))
        .axis_desc_style(("sans-serif", 14))
        .draw()?;
    let (forward, backward) = (RGBColor(90, 150, 230), RGBColor(240, 150, 60));
    for (s, run) in timeline.stages.iter().enumerate() {
        let (top, bottom) = (-(s as f64) + 0.4, -(s as f64) - 0.4);
        for slot in &run.slots {
            let (color, i) = match slot.op {
                Op::Forward(i) => (forward, i),
                Op::Backward(i) => (backward, i),
            };
            let (x0, x1) = (slot.start as f64, slot.end as f64);
            chart.draw_series([
                Rectangle::new([(x0, top), (x1, bottom)], color.filled()),
                Rectangle::new([(x0, top), (x1, bottom)], WHITE.stroke_width(1)),
            ])?;
            let label = ("sans-serif", 12).into_font().color(&BLACK);
            let mid = (x0 + x1) / 2.0 - 0.15;
            chart.draw_series([Text::new(format!("{i}"), (mid, top - 0.3), label)])?;
        }
    }
    Ok(())
}
