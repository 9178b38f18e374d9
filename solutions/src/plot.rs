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

/// A heat-map of a `rows × cols` row-major matrix of any values, coloured on the viridis
/// scale from `range.0` (dark) to `range.1` (bright), with a colour bar, axis labels, and
/// no per-cell text: for matrices too large to print. Row 0 is drawn at the top.
#[allow(clippy::too_many_arguments)]
pub fn matrix_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    values: &[f32],
    (rows, cols): (usize, usize),
    (x_label, y_label): (&str, &str),
    range: (f32, f32),
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    assert_eq!(
        values.len(),
        rows * cols,
        "matrix_heatmap: {rows}×{cols} for {} values",
        values.len()
    );
    let (lo, hi) = range;
    let unit = |v: f32| (((v - lo) / (hi - lo)).clamp(0.0, 1.0)) as f64;
    let (w, _) = area.dim_in_pixel();
    let (main, bar) = area.split_horizontally(w.saturating_sub(90));
    let mut chart = ChartBuilder::on(&main)
        .caption(title, ("sans-serif", 20))
        .margin(10)
        .x_label_area_size(44)
        .y_label_area_size(56)
        .build_cartesian_2d(-0.5..cols as f64 - 0.5, -(rows as f64) + 0.5..0.5)?;
    // Cell (r, c) is centred on (c, -r), so integer ticks fall on cell centres; y grows
    // upwards in plotters, hence the minus sign that puts row 0 at the top.
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 16))
        .x_label_formatter(&|x| format!("{}", x.round() as i64))
        .y_label_formatter(&|y| format!("{}", -y.round() as i64))
        .draw()?;
    chart.draw_series((0..rows).flat_map(|r| (0..cols).map(move |c| (r, c))).map(|(r, c)| {
        let (x, y) = (c as f64, -(r as f64));
        let color = ViridisRGB::get_color(unit(values[r * cols + c]));
        Rectangle::new([(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)], color.filled())
    }))?;
    colour_bar(&bar, lo, hi)
}

/// A vertical viridis colour bar from `lo` to `hi`, labelled on its right.
fn colour_bar<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, lo: f32, hi: f32) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let (lo, hi) = (lo as f64, hi as f64);
    let mut chart = ChartBuilder::on(area)
        .margin_top(40)
        .margin_bottom(54)
        .margin_right(6)
        .right_y_label_area_size(44)
        .build_cartesian_2d(0f64..1.0, lo..hi)?
        .set_secondary_coord(0f64..1.0, lo..hi);
    chart
        .configure_secondary_axes()
        .label_style(("sans-serif", 13))
        .y_labels(5)
        .y_label_formatter(&|y| format!("{y:.1}"))
        .draw()?;
    let steps = 100;
    chart.draw_series((0..steps).map(|i| {
        let (a, b) = (i as f64 / steps as f64, (i + 1) as f64 / steps as f64);
        let color = ViridisRGB::get_color((a + b) / 2.0);
        Rectangle::new([(0.0, lo + a * (hi - lo)), (1.0, lo + b * (hi - lo))], color.filled())
    }))?;
    Ok(())
}

/// One curve of a [`line_chart`]: a legend entry (or none, for guide lines such as contours).
pub struct Series {
    pub label: Option<String>,
    pub points: Vec<(f64, f64)>,
    pub color: RGBColor,
    /// Draw a dot at every point, for curves sampled at few places or step by step.
    pub markers: bool,
}

impl Series {
    /// A labelled curve.
    pub fn new(label: &str, points: Vec<(f64, f64)>, color: RGBColor) -> Self {
        Self { label: Some(label.to_string()), points, color, markers: false }
    }

    /// A labelled curve with a dot at each point.
    pub fn with_markers(mut self) -> Self {
        self.markers = true;
        self
    }
}

/// The axes of a [`line_chart`]: ranges, descriptions, and how to print the x ticks
/// (a log-scale axis is drawn as a linear one over log values, relabelled).
pub struct Axes<'a> {
    pub x: std::ops::Range<f64>,
    pub y: std::ops::Range<f64>,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub x_ticks: &'a dyn Fn(&f64) -> String,
    /// Vertical guide lines with a caption each, e.g. a training length.
    pub marks: Vec<(f64, String)>,
    /// Where the legend goes, out of the curves' way.
    pub legend: SeriesLabelPosition,
}

/// Curves on shared axes, with a legend for the labelled ones.
pub fn line_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    axes: &Axes,
    series: &[Series],
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(60)
        .build_cartesian_2d(axes.x.clone(), axes.y.clone())?;
    chart
        .configure_mesh()
        .light_line_style(WHITE.mix(0.0))
        .x_desc(axes.x_label)
        .y_desc(axes.y_label)
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 16))
        .x_label_formatter(axes.x_ticks)
        .draw()?;
    for (x, caption) in &axes.marks {
        let grey = RGBColor(120, 120, 120);
        chart.draw_series(DashedLineSeries::new(
            [(*x, axes.y.start), (*x, axes.y.end)],
            6,
            4,
            grey.stroke_width(2),
        ))?;
        let font = ("sans-serif", 14).into_font().color(&grey);
        let at = (
            *x + 0.01 * (axes.x.end - axes.x.start),
            axes.y.end - 0.04 * (axes.y.end - axes.y.start),
        );
        chart.draw_series([Text::new(caption.clone(), at, font)])?;
    }
    for s in series {
        let style = s.color.stroke_width(if s.label.is_some() { 2 } else { 1 });
        let drawn = chart.draw_series(LineSeries::new(s.points.iter().copied(), style))?;
        if let Some(label) = &s.label {
            let color = s.color;
            drawn.label(label.as_str()).legend(move |(x, y)| {
                PathElement::new([(x, y), (x + 18, y)], color.stroke_width(2))
            });
        }
        if s.markers {
            chart.draw_series(s.points.iter().map(|&p| Circle::new(p, 3, s.color.filled())))?;
        }
    }
    chart
        .configure_series_labels()
        .position(axes.legend.clone())
        .label_font(("sans-serif", 14))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}
