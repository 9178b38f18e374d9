//! §4.6: LSH banding's S-curve, 1 − (1 − s^r)^b from the formula, and the candidate rate
//! measured on random pairs of known Jaccard similarity (the run of `minhash/tests.rs`).

use super::{svg, Rendered};
use crate::plot::PlotResult;
use crate::training::minhash::{measured_s_curve, s_curve};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Bands, rows per band, pairs per similarity and the seed of the measurement.
pub const S_CURVE_BANDS: usize = 20;
pub const S_CURVE_ROWS: usize = 5;
pub const S_CURVE_PAIRS: usize = 300;
pub const S_CURVE_SEED: u64 = 11;

/// The similarities measured: 0.1, 0.2, …, 0.9.
pub fn s_curve_sims() -> Vec<f64> {
    (1..10).map(|i| i as f64 / 10.0).collect()
}

/// The book's figure.
pub fn minhash_s_curve() -> Rendered {
    let sims = s_curve_sims();
    let rates = measured_s_curve(&sims, S_CURVE_BANDS, S_CURVE_ROWS, S_CURVE_PAIRS, S_CURVE_SEED);
    svg((760, 460), |root| {
        draw_s_curve(root, S_CURVE_BANDS, S_CURVE_ROWS, S_CURVE_PAIRS, &sims, &rates)
    })
}

/// The formula as a line, the measured rates as dots with ±2 binomial standard errors.
pub fn draw_s_curve<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bands: usize,
    rows: usize,
    pairs: usize,
    sims: &[f64],
    rates: &[f64],
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let title = format!("LSH banding, b = {bands} bands of r = {rows} rows: P(candidate)");
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..1.0, 0.0..1.02)?;
    chart
        .configure_mesh()
        .x_desc("Jaccard similarity s of the pair")
        .y_desc("share of pairs made candidates")
        .label_style(("sans-serif", 14))
        .draw()?;
    let blue = RGBColor(30, 90, 200);
    let curve = (0..=200).map(|i| {
        let s = i as f64 / 200.0;
        (s, s_curve(s, bands, rows))
    });
    chart
        .draw_series(LineSeries::new(curve, blue.stroke_width(2)))?
        .label("1 − (1 − s^r)^b")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], blue.stroke_width(2)));
    let threshold = (1.0 / bands as f64).powf(1.0 / rows as f64);
    let grey = RGBColor(150, 150, 150);
    chart
        .draw_series([PathElement::new(vec![(threshold, 0.0), (threshold, 1.0)], grey)])?
        .label(format!("threshold (1/b)^(1/r) = {threshold:.2}"))
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], grey));
    let red = RGBColor(200, 40, 40);
    for &s in sims {
        let p = s_curve(s, bands, rows);
        let se = (p * (1.0 - p) / pairs as f64).sqrt();
        chart.draw_series([PathElement::new(vec![(s, p - 2.0 * se), (s, p + 2.0 * se)], red)])?;
    }
    chart
        .draw_series(sims.iter().zip(rates).map(|(&s, &r)| Circle::new((s, r), 4, red.filled())))?
        .label(format!("measured, {pairs} pairs per s (bars: formula ± 2 s.e.)"))
        .legend(move |(x, y)| Circle::new((x + 10, y), 4, red.filled()));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .label_font(("sans-serif", 14))
        .draw()?;
    Ok(())
}
