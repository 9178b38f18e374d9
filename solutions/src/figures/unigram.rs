//! §2.3: the Viterbi lattice of the page's worked example. The nodes are the character
//! boundaries of `hugs`, each labelled with its best score from the library's
//! `viterbi_table`; an arc joins boundaries s and e for every vocabulary piece
//! `hugs[s..e]`, labelled with its log-probability; the best path is drawn in red.

use super::{svg, Rendered};
use crate::nlp::unigram::viterbi_table;
use plotters::prelude::*;
use std::collections::HashMap;

/// The worked example's word and pieces (log-probabilities).
pub const LATTICE_WORD: &str = "hugs";
pub const LATTICE_PIECES: [(&str, f64); 8] = [
    ("h", -3.0),
    ("u", -3.0),
    ("g", -3.0),
    ("s", -2.0),
    ("hu", -2.5),
    ("ug", -3.0),
    ("hug", -4.0),
    ("gs", -4.5),
];

/// One arc of the lattice: a piece from boundary `start` to boundary `end`.
#[derive(Clone, Debug, PartialEq)]
pub struct Arc {
    pub start: usize,
    pub end: usize,
    pub piece: String,
    pub log_p: f64,
}

/// The lattice as drawn: every arc, the best path's arcs as (start, end), and the best
/// score at each boundary.
#[derive(Clone, Debug, PartialEq)]
pub struct Lattice {
    pub arcs: Vec<Arc>,
    pub best: Vec<(usize, usize)>,
    pub scores: Vec<f64>,
}

/// The worked example's lattice, from the library's `viterbi_table`.
pub fn lattice() -> Lattice {
    let pieces: HashMap<String, f64> =
        LATTICE_PIECES.iter().map(|&(p, l)| (p.to_string(), l)).collect();
    let word = LATTICE_WORD;
    let n = word.len(); // ASCII: characters are bytes
    let mut arcs = vec![];
    for s in 0..n {
        for e in s + 1..=n {
            if let Some(&l) = pieces.get(&word[s..e]) {
                arcs.push(Arc { start: s, end: e, piece: word[s..e].to_string(), log_p: l });
            }
        }
    }
    let table = viterbi_table(word, &pieces, None);
    // Walk the back-pointers from the end.
    let mut best = vec![];
    let mut e = n;
    while e > 0 {
        best.push((table[e].start, e));
        e = table[e].start;
    }
    best.reverse();
    Lattice { arcs, best, scores: table.iter().map(|c| c.score).collect() }
}

pub fn viterbi_lattice() -> Rendered {
    let Lattice { arcs, best, scores } = lattice();
    let n = LATTICE_WORD.len() as f64;
    svg((900, 460), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption("Viterbi lattice of \"hugs\": best score at each boundary", ("sans-serif", 20))
            .margin(16)
            .build_cartesian_2d(-0.4..n + 0.4, -0.9f64..2.0f64)?;
        for Arc { start: s, end: e, piece, log_p: l } in &arcs {
            let (s, e) = (*s, *e);
            let on_best = best.contains(&(s, e));
            let (color, width) =
                if on_best { (RGBColor(200, 30, 30), 3) } else { (RGBColor(110, 110, 160), 1) };
            let span = (e - s) as f64;
            let height = 0.45 * span;
            // A half-ellipse from boundary s to boundary e, taller for longer pieces.
            let arc = (0..=60).map(|k| {
                let t = k as f64 / 60.0 * std::f64::consts::PI;
                (s as f64 + span * (1.0 - t.cos()) / 2.0, height * t.sin())
            });
            chart.draw_series(LineSeries::new(arc, color.stroke_width(width)))?;
            let label = format!("{piece} {l}");
            let at = (s as f64 + span / 2.0 - 0.12, height + 0.12);
            chart.draw_series([Text::new(
                label,
                at,
                ("sans-serif", 15).into_font().color(&color),
            )])?;
        }
        for (i, score) in scores.iter().enumerate() {
            chart.draw_series([Circle::new((i as f64, 0.0), 6, BLACK.filled())])?;
            let text = format!("{score}");
            chart.draw_series([Text::new(text, (i as f64 - 0.1, -0.25), ("sans-serif", 16))])?;
        }
        for (i, c) in LATTICE_WORD.chars().enumerate() {
            let at = (i as f64 + 0.45, -0.6);
            chart.draw_series([Text::new(c.to_string(), at, ("sans-serif", 18))])?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests;
