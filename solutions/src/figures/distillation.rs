//! §6.5: the soft-target gradient's size against the temperature, with and without T²
//! (computed), and the students of the distillation measurement (redrawn from the stored
//! `data/bench/distillation.json`: training is too slow to repeat for every figure check;
//! to refresh it, `cargo run -p solutions --bin measure_distillation -- --save
//! data/bench/distillation.json`, then `cargo course figures`).

use super::{svg, Rendered};
use crate::applications::distil_gpt::Distillation;
use crate::applications::distillation::autodiff_gradient_norm;
use crate::plot::{line_chart, Axes, PlotResult, Series};
use crate::Dev;
use dfdx::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The temperatures drawn, as powers of two: 2⁰ to 2⁶.
pub const DISTIL_T_POWERS: std::ops::RangeInclusive<i32> = 0..=6;

/// (log₂ T, log₁₀ |∇| with T², log₁₀ |∇| without).
pub type NormPoint = (f64, f64, f64);

/// (spread, points) for seeded logits (8 rows of 16)
/// at two spreads, the case `distillation/tests.rs` asserts on.
pub fn gradient_norm_curves() -> Vec<(f32, Vec<NormPoint>)> {
    let (n, v) = (8, 16);
    let draw = |seed: u64, scale: f32| -> Vec<f32> {
        let x: Tensor<(usize, usize), f32, Dev> =
            Dev::seed_from_u64(seed).sample_normal_like(&(n, v));
        x.as_vec().iter().map(|z| z * scale).collect()
    };
    [(3u64, 1.0f32), (4, 3.0)]
        .iter()
        .map(|&(seed, scale)| {
            let (s, t) = (draw(seed, scale), draw(seed + 100, scale));
            let points = DISTIL_T_POWERS
                .map(|k| {
                    let temp = 2f32.powi(k);
                    let with = autodiff_gradient_norm(&s, &t, v, temp, true);
                    let without = autodiff_gradient_norm(&s, &t, v, temp, false);
                    (k as f64, with.log10(), without.log10())
                })
                .collect();
            (scale, points)
        })
        .collect()
}

/// The figure: |∇_s L| against T on log-log axes.
pub fn distillation_temperature() -> Rendered {
    let curves = gradient_norm_curves();
    let colors = [RGBColor(30, 90, 200), RGBColor(200, 40, 40)];
    let mut series = vec![];
    for ((scale, points), color) in curves.iter().zip(colors) {
        let with = points.iter().map(|p| (p.0, p.1)).collect();
        let without = points.iter().map(|p| (p.0, p.2)).collect();
        series.push(Series::new(&format!("with T², logits spread {scale}"), with, color));
        let light = RGBColor(color.0 / 2 + 120, color.1 / 2 + 120, color.2 / 2 + 120);
        series.push(Series::new(&format!("without T², spread {scale}"), without, light));
    }
    let x_ticks = |x: &f64| format!("{}", 2f64.powf(*x).round());
    let y_lo = curves.iter().flat_map(|c| c.1.iter().map(|p| p.2)).fold(0.0, f64::min);
    svg((820, 480), |root| {
        line_chart(
            root,
            "Soft-target gradient norm against the temperature",
            &Axes {
                x: 0.0..6.0,
                y: (y_lo - 0.3)..0.3,
                x_label: "temperature T (log scale)",
                y_label: "log₁₀ |∂L/∂student logits|",
                x_ticks: &x_ticks,
                marks: vec![],
                legend: SeriesLabelPosition::LowerLeft,
            },
            &series,
        )
    })
}

/// The stored measurement.
pub fn stored_distillation() -> Distillation {
    serde_json::from_str(include_str!("../../../data/bench/distillation.json"))
        .expect("data/bench/distillation.json parses")
}

/// The figure of the stored measurement.
pub fn distillation_students() -> Rendered {
    let m = stored_distillation();
    svg((1100, 460), |root| draw_distillation_students(root, &m))
}

/// Held-out loss (left) and KL to the teacher (right) against the student's step, every
/// seed, data-only in red and distilled in blue; the teacher's loss dashed.
pub fn draw_distillation_students<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    m: &Distillation,
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let (red, blue) = (RGBColor(200, 40, 40), RGBColor(30, 90, 200));
    let steps = m.setup.student_steps as f64;
    let panel = |metric: &dyn Fn(&crate::applications::distil_gpt::Curve) -> &Vec<f32>| {
        let mut series = vec![];
        for (i, run) in m.runs.iter().enumerate() {
            for (curve, color, name) in
                [(&run.data_only, red, "data only"), (&run.distilled, blue, "distilled")]
            {
                // From the first evaluation on: at step 0 both are ln V, far above.
                let points: Vec<(f64, f64)> = curve
                    .steps
                    .iter()
                    .zip(metric(curve))
                    .skip(1)
                    .map(|(&s, &y)| (s as f64, y as f64))
                    .collect();
                series.push(if i == 0 {
                    Series::new(name, points, color)
                } else {
                    Series { label: None, points, color, markers: false }
                });
            }
        }
        series
    };
    let mut losses = panel(&|c| &c.loss);
    let first = m.setup.eval_every as f64;
    let teacher = vec![(first, m.teacher_loss as f64), (steps, m.teacher_loss as f64)];
    losses.push(Series::new("teacher", teacher, RGBColor(90, 90, 90)));
    let top =
        |s: &[Series]| s.iter().flat_map(|s| s.points.iter().map(|p| p.1)).fold(0.0, f64::max);
    let bottom =
        |s: &[Series]| s.iter().flat_map(|s| s.points.iter().map(|p| p.1)).fold(f64::MAX, f64::min);
    let kls = panel(&|c| &c.kl);
    let ticks = |x: &f64| format!("{x:.0}");
    let axes = |y: std::ops::Range<f64>, y_label| Axes {
        x: m.setup.eval_every as f64..steps,
        y,
        x_label: "student step",
        y_label,
        x_ticks: &ticks,
        marks: vec![],
        legend: SeriesLabelPosition::UpperRight,
    };
    let halves = area.split_evenly((1, 2));
    let (lo, hi) = (bottom(&losses), top(&losses));
    let title = format!("Held-out loss, {} seeds", m.runs.len());
    line_chart(&halves[0], &title, &axes(lo - 0.05..hi + 0.1, "nats per character"), &losses)?;
    let (lo, hi) = (bottom(&kls), top(&kls));
    let y = (lo - 0.02).max(0.0)..hi + 0.05;
    line_chart(&halves[1], "Held-out KL(teacher ‖ student)", &axes(y, "nats per character"), &kls)
}
