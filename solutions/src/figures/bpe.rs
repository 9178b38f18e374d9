//! §2.2: the work of the naive and the efficient BPE trainer, counted, not timed.
//!
//! Timings vary from run to run, so the book's timed figure (`bpe_scaling.svg`) is measured
//! by the benchmark. This one counts pair-count updates (hash-map operations), which is
//! deterministic. The naive trainer counts every pair of the word table at every merge. The
//! efficient one counts them once, then only updates the neighbours of each merge.

use super::{svg, Rendered};
use crate::nlp::bpe::{word_counts, Pair};
use crate::nlp::fast_bpe::train_fast_bpe;
use crate::nlp::{byte_bpe, corpus};
use crate::plot::{line_chart, Axes, PlotResult, Series};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The merges the figure follows, at byte level on the embedded corpus.
pub const BPE_WORK_MERGES: usize = 512;

/// Merges `pair` in `w` as `merge_pair` does, and counts the pair-count updates the
/// efficient trainer makes: two for a left neighbour ((x, a) down, (x, Z) up) and two for a
/// right one, at every occurrence.
fn merge_counting(w: &[u32], pair: Pair, new_id: u32) -> (Vec<u32>, u64) {
    let (mut out, mut updates, mut i) = (Vec::with_capacity(w.len()), 0, 0);
    while i < w.len() {
        if i + 1 < w.len() && (w[i], w[i + 1]) == pair {
            updates += 2 * (!out.is_empty() as u64 + (i + 2 < w.len()) as u64);
            out.push(new_id);
            i += 2;
        } else {
            out.push(w[i]);
            i += 1;
        }
    }
    (out, updates)
}

/// After each merge k: (k + 1, pair-count updates of the naive trainer so far, of the
/// efficient one so far). A pair-count update is one hash-map operation, the bulk of both
/// trainers' work. The naive trainer counts every adjacent pair of the table at every
/// step; the efficient one counts them once, then updates the neighbours of each merged
/// occurrence (see [`crate::nlp::fast_bpe`]).
pub fn trainer_work(
    words: &[(Vec<u32>, u64)],
    first_id: u32,
    merges: &[Pair],
) -> Vec<(usize, u64, u64)> {
    let mut words: Vec<Vec<u32>> = words.iter().map(|(w, _)| w.clone()).collect();
    let pairs = |ws: &[Vec<u32>]| ws.iter().map(|w| w.len().saturating_sub(1) as u64).sum::<u64>();
    let (mut naive, mut fast) = (0, pairs(&words));
    let mut out = vec![];
    for (k, &pair) in merges.iter().enumerate() {
        naive += pairs(&words);
        for w in &mut words {
            let (merged, updates) = merge_counting(w, pair, first_id + k as u32);
            *w = merged;
            fast += updates;
        }
        out.push((k + 1, naive, fast));
    }
    out
}

/// [`trainer_work`] on the embedded corpus, byte level, [`BPE_WORK_MERGES`] merges.
pub fn trainer_work_on_the_corpus() -> Vec<(usize, u64, u64)> {
    let text = corpus::embedded();
    let table = word_counts(corpus::lines(&text).flat_map(byte_bpe::words));
    let words: Vec<(Vec<u32>, u64)> =
        table.iter().map(|&(w, c)| (w.bytes().map(u32::from).collect(), c)).collect();
    trainer_work(&words, 256, &train_fast_bpe(&words, 256, BPE_WORK_MERGES))
}

/// Cumulative pair-count updates against merges learned, both trainers.
pub fn bpe_trainer_work() -> Rendered {
    let work = trainer_work_on_the_corpus();
    svg((820, 480), |root| draw_trainer_work(root, &work))
}

/// Draws [`bpe_trainer_work`] into any drawing area (the book's SVG, or a notebook's).
pub fn draw_trainer_work<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    work: &[(usize, u64, u64)],
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let millions = |i: usize| -> Vec<(f64, f64)> {
        work.iter().map(|w| (w.0 as f64, [w.1, w.2][i] as f64 / 1e6)).collect()
    };
    let top = work.last().map_or(1.0, |w| w.1 as f64 / 1e6) * 1.08;
    let ticks = |x: &f64| format!("{}", x.round());
    line_chart(
        root,
        "BPE training work, byte level, embedded corpus",
        &Axes {
            x: 0.0..work.len() as f64 * 1.02,
            y: 0.0..top,
            x_label: "merges learned",
            y_label: "pair-count updates so far (millions)",
            x_ticks: &ticks,
            marks: vec![],
            legend: SeriesLabelPosition::UpperLeft,
        },
        &[
            Series::new("naive: recount the whole table", millions(0), RGBColor(200, 40, 40)),
            Series::new("efficient: neighbours of each merge", millions(1), RGBColor(30, 90, 200)),
        ],
    )
}

#[cfg(test)]
mod tests;
