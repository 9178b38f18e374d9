//! §5.5: the KV cache's speed-up against the context length, drawn from the table that
//! `cargo course bench generate --save data/bench/kv_cache_speedup.json` measured and
//! stored (timings are not reproducible, so the figure redraws a stored measurement; to
//! refresh it, rerun the bench with `--save`, then `cargo course figures`).

use super::{svg, Rendered};
use crate::inference::generation_speed::SpeedupTable;
use crate::plot::{line_chart, Axes, Series};
use plotters::prelude::*;

/// The stored measurement.
pub fn stored_speedup() -> SpeedupTable {
    serde_json::from_str(include_str!("../../../data/bench/kv_cache_speedup.json"))
        .expect("data/bench/kv_cache_speedup.json parses")
}

/// §5.5's figure: ms per token both ways (left) and their ratio (right).
pub fn kv_cache_speedup() -> Rendered {
    let t = stored_speedup();
    let x = |r: &crate::inference::generation_speed::Speed| r.context as f64;
    let (red, blue) = (RGBColor(200, 40, 40), RGBColor(30, 90, 200));
    let cached = t.rows.iter().map(|r| (x(r), r.cached_ms)).collect();
    let recomputed = t.rows.iter().map(|r| (x(r), r.recomputed_ms)).collect();
    let ratio: Vec<(f64, f64)> = t.rows.iter().map(|r| (x(r), r.speedup())).collect();
    let x_max = t.rows.iter().map(x).fold(0.0, f64::max) * 1.05;
    let ms_max = t.rows.iter().map(|r| r.recomputed_ms.max(r.cached_ms)).fold(0.0, f64::max);
    let r_max = ratio.iter().map(|p| p.1).fold(1.0, f64::max);
    let ticks = |v: &f64| format!("{v:.0}");
    svg((1100, 460), |root| {
        let halves = root.split_evenly((1, 2));
        line_chart(
            &halves[0],
            "Time per generated token",
            &Axes {
                x: 0.0..x_max,
                y: 0.0..ms_max * 1.1,
                x_label: "context (prompt + generated tokens)",
                y_label: "ms per token",
                x_ticks: &ticks,
                marks: vec![],
                legend: SeriesLabelPosition::UpperLeft,
            },
            &[
                Series::new("recomputing the prefix", recomputed, red).with_markers(),
                Series::new("with the KV cache", cached, blue).with_markers(),
            ],
        )?;
        line_chart(
            &halves[1],
            "Speed-up of the cache",
            &Axes {
                x: 0.0..x_max,
                y: 0.0..r_max * 1.15,
                x_label: "context (prompt + generated tokens)",
                y_label: "recomputed / cached",
                x_ticks: &ticks,
                marks: vec![],
                legend: SeriesLabelPosition::UpperLeft,
            },
            &[Series::new("measured (one run)", ratio, blue).with_markers()],
        )
    })
}
