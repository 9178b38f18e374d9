//! §2.6: held-out bits per character against n-gram order, on text from a source of known
//! entropy (with its floor H) and on the English corpus.

use super::{svg, Rendered};
use crate::nlp::corpus::ENGLISH;
use crate::nlp::markov_source::{floor_on_corpus, FloorExperiment};
use crate::nlp::ngram::{baseline, BaselineRow};
use crate::plot::{line_chart, Axes, PlotResult, Series};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The curves behind the figure: the floor experiment, and the n-gram baseline (orders 1
/// to 6) on the English corpus.
pub fn floor_curves() -> (FloorExperiment, Vec<BaselineRow>) {
    (floor_on_corpus(), baseline(ENGLISH, &[1, 2, 3, 4, 5, 6]))
}

/// Held-out bits per character of n-gram models of order 1 to 6, with the source's entropy
/// rate as a horizontal line: no model gets below it, the model of the source's own order
/// gets close.
pub fn entropy_floor() -> Rendered {
    let (floor, corpus) = floor_curves();
    svg((820, 520), |root| draw_entropy_floor(root, &floor, ("the English corpus itself", &corpus)))
}

/// Draws the floor experiment's n-gram curve, its entropy rate H, and a corpus baseline
/// curve into any drawing area (the book's SVG, or a notebook's inline figure).
pub fn draw_entropy_floor<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    floor: &FloorExperiment,
    (corpus_label, corpus): (&str, &[BaselineRow]),
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let points = |rows: &[BaselineRow]| -> Vec<(f64, f64)> {
        rows.iter().map(|r| (r.order as f64, r.held_out.bits_per_char)).collect()
    };
    let h = floor.entropy;
    let top = floor.ngrams.iter().chain(corpus).map(|r| r.held_out.bits_per_char).fold(h, f64::max);
    // Orders are integers: label only the ticks that fall on one.
    let ticks =
        |x: &f64| if (x - x.round()).abs() < 1e-9 { format!("{x:.0}") } else { String::new() };
    let axes = Axes {
        x: 0.7..6.3,
        y: 0.0..(top + 0.6).ceil(),
        x_label: "n-gram order n (context of n − 1 characters)",
        y_label: "held-out bits per character",
        x_ticks: &ticks,
        marks: vec![],
        legend: SeriesLabelPosition::UpperRight,
    };
    let k = floor.source_order;
    line_chart(
        area,
        "Character n-grams against the entropy floor",
        &axes,
        &[
            Series::new(
                &format!("text sampled from an order-{k} source"),
                points(&floor.ngrams),
                RGBColor(30, 90, 200),
            )
            .with_markers(),
            Series::new(
                &format!("its entropy rate H = {h:.3} (the floor)"),
                vec![(0.7, h), (6.3, h)],
                RGBColor(60, 60, 60),
            ),
            Series::new(corpus_label, points(corpus), RGBColor(200, 40, 40)).with_markers(),
        ],
    )
}
