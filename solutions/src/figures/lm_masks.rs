//! §3.1: what each position may see under the causal, prefix-LM and bidirectional (with
//! padding) masks, three grids side by side (rows are queries, columns keys).

use super::{svg, Rendered};
use crate::architectures::lm_masks::{bidirectional_mask, causal_mask, prefix_lm_mask, Allowed};
use crate::plot::PlotResult;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The figure's sequence: six tokens, a prefix of three, four real tokens (as on the page).
pub const MASK_SEQ: usize = 6;
/// The prefix length of the prefix-LM grid.
pub const MASK_PREFIX: usize = 3;
/// The real (non-padding) tokens of the bidirectional grid.
pub const MASK_LENGTH: usize = 4;

/// The three masks of the figure, each with its title.
pub fn mask_panels(seq: usize, prefix: usize, length: usize) -> Vec<(String, Allowed)> {
    vec![
        ("causal (GPT)".to_string(), causal_mask(seq)),
        (format!("prefix LM, P = {prefix} (GLM)"), prefix_lm_mask(seq, prefix)),
        (format!("bidirectional, {length} real (BERT)"), bidirectional_mask(seq, length)),
    ]
}

/// The book's figure: the three masks of [`MASK_SEQ`] tokens.
pub fn lm_masks() -> Rendered {
    svg((1080, 400), |root| draw_lm_masks(root, MASK_SEQ, MASK_PREFIX, MASK_LENGTH))
}

/// Draws the three masks side by side into any drawing area (the book's SVG or a
/// notebook's inline figure).
pub fn draw_lm_masks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    seq: usize,
    prefix: usize,
    length: usize,
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let panels = area.split_evenly((1, 3));
    for (panel, (title, mask)) in panels.iter().zip(mask_panels(seq, prefix, length)) {
        draw_grid(panel, &title, &mask)?;
    }
    Ok(())
}

/// One mask as a grid: a filled cell where query i may attend to key j, an empty one where
/// it may not. Row 0 (the first query) is at the top, like the printed grids.
fn draw_grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    mask: &Allowed,
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let n = mask.len();
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(48)
        .build_cartesian_2d(-0.5..n as f64 - 0.5, -(n as f64) + 0.5..0.5)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(n)
        .y_labels(n)
        .x_desc("key j")
        .y_desc("query i")
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 15))
        .x_label_formatter(&|x| format!("{}", x.round() as i64))
        .y_label_formatter(&|y| format!("{}", -y.round() as i64))
        .draw()?;
    let allowed = RGBColor(30, 90, 200);
    let cells = || (0..n).flat_map(|i| (0..n).map(move |j| (i, j)));
    let rect = |i: usize, j: usize, shrink: f64| {
        let (x, y) = (j as f64, -(i as f64));
        [(x - 0.5 + shrink, y - 0.5 + shrink), (x + 0.5 - shrink, y + 0.5 - shrink)]
    };
    chart.draw_series(
        cells()
            .filter(|&(i, j)| mask[i][j])
            .map(|(i, j)| Rectangle::new(rect(i, j, 0.04), allowed.filled())),
    )?;
    // Hidden cells keep a light outline, so the grid stays readable.
    chart.draw_series(
        cells().filter(|&(i, j)| !mask[i][j]).map(|(i, j)| {
            Rectangle::new(rect(i, j, 0.04), RGBColor(190, 190, 190).stroke_width(1))
        }),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;
