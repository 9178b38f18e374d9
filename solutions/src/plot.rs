//! Plot helpers shared by the book's figures and the notebooks, on `plotters`.
//!
//! Each helper draws into any `DrawingArea`, so the same code renders the committed SVG
//! figures (`cargo course figures`) and the inline plots of the notebooks
//! (`plotters::evcxr::evcxr_figure`).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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
    // Segmented axes put each label and each number at the centre of its cell; the
    // segments of `0..n-1` are the n cells 0, 1, ..., n-1.
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 18))
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(48)
        .build_cartesian_2d((0..cols - 1).into_segmented(), (0..rows - 1).into_segmented())?;
    // Rows run top to bottom like a matrix, so row r is drawn at y = rows - 1 - r.
    let row_at = |y: usize| rows.checked_sub(1 + y);
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(cols)
        .y_labels(rows)
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(c) => col_labels.get(*c).map_or("", |s| *s).to_string(),
            _ => String::new(),
        })
        .y_label_formatter(&|y| match y {
            SegmentValue::CenterOf(y) => {
                row_at(*y).and_then(|r| row_labels.get(r)).map_or("", |s| *s).to_string()
            }
            _ => String::new(),
        })
        .draw()?;
    let cells = || (0..rows).flat_map(|r| (0..cols).map(move |c| (r, c, rows - 1 - r)));
    chart.draw_series(cells().map(|(r, c, y)| {
        let v = values[r * cols + c].clamp(0.0, 1.0) as f64;
        let corner =
            |dx: usize, dy: usize| (SegmentValue::Exact(c + dx), SegmentValue::Exact(y + dy));
        Rectangle::new([corner(0, 0), corner(1, 1)], ViridisRGB::get_color(v).filled())
    }))?;
    let centred = Pos::new(HPos::Center, VPos::Center);
    chart.draw_series(cells().map(|(r, c, y)| {
        let v = values[r * cols + c];
        // Light text on dark cells, dark text on light ones.
        let color = if v < 0.5 { WHITE } else { BLACK };
        let font = ("sans-serif", 13).into_font().color(&color).pos(centred);
        Text::new(format!("{v:.2}"), (SegmentValue::CenterOf(c), SegmentValue::CenterOf(y)), font)
    }))?;
    Ok(())
}
