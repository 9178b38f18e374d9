//! Plot helpers shared by the book's figures and the notebooks, on `plotters`.
//!
//! Each helper draws into any `DrawingArea`, so the same code renders the committed SVG
//! figures (`cargo course figures`) and the inline plots of the notebooks
//! (`plotters::evcxr::evcxr_figure`).

use plotters::coord::Shift;
use plotters::prelude::*;

/// The error a drawing helper returns, boxed so notebooks can use `?` on it.
pub type PlotResult = Result<(), Box<dyn std::error::Error>>;

/// A heat-map of a `rows × cols` row-major matrix of values in `[0, 1]`, with labelled
/// rows (queries) and columns (keys), and each cell's value printed in it.
pub fn heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    values: &[f32],
    row_labels: &[&str],
    col_labels: &[&str],
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let (rows, cols) = (row_labels.len(), col_labels.len());
    assert_eq!(
        values.len(),
        rows * cols,
        "heatmap: {rows}×{cols} labels for {} values",
        values.len()
    );
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 18))
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(48)
        .build_cartesian_2d(0..cols, 0..rows)?;
    // Rows run top to bottom like a matrix, so row r is drawn at y = rows - 1 - r.
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(cols)
        .y_labels(rows)
        .x_label_formatter(&|x| col_labels.get(*x).map_or(String::new(), |s| s.to_string()))
        .y_label_formatter(&|y| {
            let label = rows.checked_sub(1 + *y).and_then(|r| row_labels.get(r));
            label.map_or(String::new(), |s| s.to_string())
        })
        .x_label_offset(30)
        .y_label_offset(-12)
        .draw()?;
    chart.draw_series((0..rows).flat_map(|r| (0..cols).map(move |c| (r, c))).map(|(r, c)| {
        let v = values[r * cols + c].clamp(0.0, 1.0) as f64;
        let y = rows - 1 - r;
        Rectangle::new([(c, y), (c + 1, y + 1)], ViridisRGB::get_color(v).filled())
    }))?;
    chart.draw_series((0..rows).flat_map(|r| (0..cols).map(move |c| (r, c))).map(|(r, c)| {
        let v = values[r * cols + c];
        // Light text on dark cells, dark text on light ones.
        let color = if v < 0.5 { WHITE } else { BLACK };
        Text::new(format!("{v:.2}"), (c, rows - r), ("sans-serif", 12).into_font().color(&color))
    }))?;
    Ok(())
}
