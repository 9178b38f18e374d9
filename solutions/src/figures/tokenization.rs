//! §2.1: vocabulary size against held-out OOV rate and against sequence length, for
//! word-level, character-level and byte-level BPE tokenizers, English and Chinese.

use super::{svg, Rendered};
use crate::nlp::corpus::{CHINESE, ENGLISH};
use crate::nlp::tokenizer_comparison::{bpe_length_curve, compare, word_oov_curve, Row};
use crate::plot::{line_chart, Axes, PlotResult, Series};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Word-level vocabulary sizes of the curve (`usize::MAX`: every training word).
pub const WORD_SIZES: [usize; 9] = [10, 20, 50, 100, 200, 500, 1000, 2000, usize::MAX];
/// Byte-level BPE vocabulary sizes: 256 bytes plus 0 to 3,840 merges.
pub const BPE_SIZES: [usize; 5] = [256, 512, 1024, 2048, 4096];

/// One language's curves: word-level OOV by vocabulary size, the table's rows (for the
/// character-level point and word-level lengths), and BPE tokens per character by size.
pub struct LanguageCurves {
    pub word_oov: Vec<(usize, f64)>,
    pub rows: Vec<Row>,
    pub bpe_length: Vec<(usize, f64)>,
}

/// The figure's data for (English, Chinese).
pub fn tradeoff_curves() -> (LanguageCurves, LanguageCurves) {
    let curves = |text: &str| LanguageCurves {
        word_oov: word_oov_curve(text, &WORD_SIZES),
        rows: compare(text),
        bpe_length: bpe_length_curve(text, &BPE_SIZES),
    };
    (curves(ENGLISH), curves(CHINESE))
}

/// Left: held-out OOV rate against vocabulary size. Right: held-out tokens per character.
pub fn tokenization_tradeoff() -> Rendered {
    let (en, zh) = tradeoff_curves();
    svg((1100, 460), |root| draw_tradeoff(root, &en, &zh))
}

/// Draws the two panels of [`tokenization_tradeoff`] into any drawing area (the book's
/// SVG, or a notebook's inline figure).
pub fn draw_tradeoff<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    en: &LanguageCurves,
    zh: &LanguageCurves,
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let log = |v: usize| (v as f64).log10();
    let ticks = |x: &f64| format!("{}", 10f64.powf(*x).round());
    let row = |c: &LanguageCurves, name: &str| -> Row {
        c.rows.iter().find(|r| r.tokenizer.starts_with(name)).unwrap().clone()
    };
    let (blue, red, green) = (RGBColor(30, 90, 200), RGBColor(200, 40, 40), RGBColor(20, 140, 60));
    let (light_blue, light_red) = (RGBColor(120, 170, 240), RGBColor(240, 140, 140));
    let panel = |y, y_label, legend| Axes {
        x: 0.9..3.75,
        y,
        x_label: "vocabulary size (log scale)",
        y_label,
        x_ticks: &ticks,
        marks: vec![],
        legend,
    };
    let halves = root.split_evenly((1, 2));
    let word = |c: &LanguageCurves| c.word_oov.iter().map(|&(v, r)| (log(v), r)).collect();
    let point = |c: &LanguageCurves, f: fn(&Row) -> f64| {
        let r = row(c, "character");
        vec![(log(r.vocab_size), f(&r))]
    };
    let bpe_zero = BPE_SIZES.iter().map(|&v| (log(v), 0.0)).collect();
    line_chart(
        &halves[0],
        "Held-out OOV rate",
        &panel(
            -0.02..1.0,
            "fraction of tokens not in the vocabulary",
            SeriesLabelPosition::UpperRight,
        ),
        &[
            Series::new("word-level, English", word(en), blue).with_markers(),
            Series::new("word-level, Chinese", word(zh), red).with_markers(),
            Series::new("character-level, English", point(en, |r| r.oov_rate), light_blue)
                .with_markers(),
            Series::new("character-level, Chinese", point(zh, |r| r.oov_rate), light_red)
                .with_markers(),
            Series::new("byte-level BPE (both)", bpe_zero, green).with_markers(),
        ],
    )?;
    // Word-level length does not depend on the vocabulary size: an OOV word is still one
    // token, `<unk>`.
    let flat = |c: &LanguageCurves| {
        let t = 1.0 / row(c, "word, all").chars_per_token;
        c.word_oov.iter().map(|&(v, _)| (log(v), t)).collect()
    };
    let bpe = |c: &LanguageCurves| c.bpe_length.iter().map(|&(v, t)| (log(v), t)).collect();
    line_chart(
        &halves[1],
        "Held-out tokens per character",
        &panel(0.0..4.2, "tokens per character", SeriesLabelPosition::UpperRight),
        &[
            Series::new("word-level, English", flat(en), blue),
            Series::new("word-level, Chinese", flat(zh), red),
            Series::new("character-level, English", point(en, |_| 1.0), light_blue).with_markers(),
            Series::new("character-level, Chinese", point(zh, |_| 1.0), light_red).with_markers(),
            Series::new("byte-level BPE, English", bpe(en), green).with_markers(),
            Series::new("byte-level BPE, Chinese", bpe(zh), RGBColor(120, 60, 160)).with_markers(),
        ],
    )
}

#[cfg(test)]
mod tests;
