//! §6.3: the accuracy of a majority vote against the number of chains, exact (lines) and
//! measured on the seeded noisy reasoner (dots), for three solvers.

use super::{svg, Rendered};
use crate::applications::self_consistency::{majority_accuracy, self_consistency, NoisyReasoner};
use crate::plot::{line_chart, Axes, Series};
use plotters::prelude::*;
use rand::rngs::StdRng;
use rand::SeedableRng;

/// The three solvers of the figure: (label, p, wrong answers); the right answer is 18.
pub fn vote_solvers() -> Vec<(&'static str, f64, Vec<i64>)> {
    vec![
        ("p = 0.6, one wrong answer", 0.6, vec![17]),
        ("p = 0.4, one wrong answer", 0.4, vec![17]),
        ("p = 0.4, four wrong answers", 0.4, vec![10, 17, 26, 30]),
    ]
}

/// Trials per measured point.
pub const VOTE_TRIALS: usize = 400;

/// For each solver: the exact curve for n = 1..=25 and the measured share at odd n.
pub type VoteCurves = Vec<(String, Vec<(f64, f64)>, Vec<(f64, f64)>)>;
pub fn vote_curves() -> VoteCurves {
    vote_solvers()
        .into_iter()
        .enumerate()
        .map(|(i, (label, p, wrong))| {
            let exact = (1..=25).map(|n| (n as f64, majority_accuracy(n, p, 18, &wrong))).collect();
            let rng = StdRng::seed_from_u64(630 + i as u64);
            let mut model = NoisyReasoner { truth: 18, p, wrong, rng };
            let measured = (1..=25)
                .step_by(4)
                .map(|n| {
                    let hits = (0..VOTE_TRIALS)
                        .filter(|_| self_consistency(&mut model, "Q", n).0 == Some(18))
                        .count();
                    (n as f64, hits as f64 / VOTE_TRIALS as f64)
                })
                .collect();
            (label.to_string(), exact, measured)
        })
        .collect()
}

/// §6.3's figure.
pub fn majority_vote_accuracy() -> Rendered {
    let colors = [RGBColor(30, 90, 200), RGBColor(200, 40, 40), RGBColor(40, 150, 60)];
    let mut series = vec![];
    for ((label, exact, measured), color) in vote_curves().into_iter().zip(colors) {
        series.push(Series::new(&format!("{label} (exact)"), exact, color));
        // Unlabelled, so drawn thin: the dots matter, not the line between them.
        series.push(Series { label: None, points: measured, color, markers: true });
    }
    svg((820, 500), |root| {
        line_chart(
            root,
            "Self-consistency: accuracy of the majority vote (dots: 400 seeded trials)",
            &Axes {
                x: 0.0..26.0,
                y: 0.0..1.02,
                x_label: "chains sampled per question (n)",
                y_label: "P(vote is right)",
                x_ticks: &|v| format!("{v:.0}"),
                marks: vec![],
                legend: SeriesLabelPosition::LowerRight,
            },
            &series,
        )
    })
}
