//! §2.5: the MLM and NSP proportions measured on the corpus, as standard errors from
//! their expectations.

use super::{svg, Rendered};
use crate::nlp::bert_proportions::{measure, Proportions};
use crate::nlp::corpus;
use crate::plot::PlotResult;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The measurement behind the figure: the embedded corpus, 200 000 ordinary positions or
/// more, seed 0 (the same run as the library's test).
pub fn bert_proportions_measured() -> Proportions {
    measure(&corpus::embedded(), 200_000, 0)
}

/// The book's figure.
pub fn bert_proportions() -> Rendered {
    let m = bert_proportions_measured();
    svg((900, 380), |root| draw_proportions(root, &m))
}

/// One row per proportion: its z-score (a dot) inside the ±5σ band the tests allow, with
/// the measured and expected percentages written beside it. Draws on any backend, so the
/// notebook shows the same chart for any corpus.
pub fn draw_proportions<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    m: &Proportions,
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let rows = m.table();
    let n = rows.len();
    let title = format!(
        "BERT data on the corpus: {} ordinary positions, {} chosen, {} NSP pairs",
        m.mlm.candidates, m.mlm.chosen, m.pairs
    );
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(150)
        .build_cartesian_2d(-6.0..6.0, -0.5..n as f64 - 0.5)?;
    let label = |y: &f64| {
        let r = y.round();
        if (y - r).abs() < 1e-6 && r >= 0.0 && (r as usize) < n {
            rows[n - 1 - r as usize].0.to_string()
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n)
        .y_label_formatter(&label)
        .x_label_formatter(&|x| format!("{x:+.0}"))
        .x_desc("standard errors from the expected share, z = (k − np)/√(np(1−p))")
        .label_style(("sans-serif", 14))
        .draw()?;
    let band = RGBColor(200, 230, 200).filled();
    chart.draw_series([Rectangle::new([(-5.0, -0.5), (5.0, n as f64 - 0.5)], band)])?;
    chart.draw_series([PathElement::new(vec![(0.0, -0.5), (0.0, n as f64 - 0.5)], BLACK)])?;
    let note = "±5 standard errors: what the tests allow";
    chart.draw_series([Text::new(note, (-4.9, n as f64 - 0.62), ("sans-serif", 13))])?;
    let blue = RGBColor(30, 90, 200);
    for (i, (_, share, expected, z)) in rows.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        // A z beyond the axis is drawn at its edge, so a failing measurement still shows.
        let zc = z.clamp(-5.9, 5.9);
        chart.draw_series([Circle::new((zc, y), 6, blue.filled())])?;
        let text = format!("{:.2} % (expected {:.2} %)", 100.0 * share, 100.0 * expected);
        let x = if zc < 2.0 { zc + 0.25 } else { zc - 4.6 };
        chart.draw_series([Text::new(text, (x, y + 0.25), ("sans-serif", 14))])?;
    }
    Ok(())
}
