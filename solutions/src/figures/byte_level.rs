//! §2.4: tokens per character against vocabulary size, for byte-level BPEs trained on
//! English only and on English and Chinese.

use super::{svg, Rendered};
use crate::nlp::vocab_extension::{curve_on_the_corpus, Extension, VOCAB_SIZE};
use crate::plot::{line_chart, Axes, PlotResult, Series};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Held-out tokens per character of both languages, under both tokenizers.
pub fn chinese_vocab_extension() -> Rendered {
    let curve = curve_on_the_corpus();
    svg((820, 500), |root| draw_extension(root, &curve))
}

/// Draws [`chinese_vocab_extension`] into any drawing area (the book's SVG, or a
/// notebook's inline figure), from the experiment at several vocabulary sizes.
pub fn draw_extension<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    curve: &[Extension],
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let ticks = |x: &f64| format!("{}", x.round());
    let series = |f: fn(&Extension) -> f64| {
        curve.iter().map(|e| (e.vocab_size as f64, f(e))).collect::<Vec<_>>()
    };
    let (blue, red) = (RGBColor(30, 90, 200), RGBColor(200, 40, 40));
    let (light_blue, light_red) = (RGBColor(120, 170, 240), RGBColor(240, 140, 140));
    let right = curve.iter().map(|e| e.vocab_size).max().unwrap_or(VOCAB_SIZE) as f64 * 1.06;
    line_chart(
        root,
        "Byte-level BPE: held-out tokens per character",
        &Axes {
            x: 0.0..right,
            y: 0.0..3.2,
            x_label: "vocabulary size (256 bytes + merges)",
            y_label: "tokens per character",
            x_ticks: &ticks,
            marks: vec![(VOCAB_SIZE as f64, format!("the page's table ({VOCAB_SIZE})"))],
            legend: SeriesLabelPosition::MiddleRight,
        },
        &[
            Series::new(
                "Chinese, trained on English only",
                series(|e| e.english_only.1.tokens_per_char()),
                red,
            )
            .with_markers(),
            Series::new(
                "Chinese, trained on English + Chinese",
                series(|e| e.bilingual.1.tokens_per_char()),
                light_red,
            )
            .with_markers(),
            Series::new(
                "English, trained on English only",
                series(|e| e.english_only.0.tokens_per_char()),
                blue,
            )
            .with_markers(),
            Series::new(
                "English, trained on English + Chinese",
                series(|e| e.bilingual.0.tokens_per_char()),
                light_blue,
            )
            .with_markers(),
        ],
    )
}

#[cfg(test)]
mod tests;
