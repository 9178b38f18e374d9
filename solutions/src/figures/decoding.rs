//! §5.1 and §5.3: entropy against temperature, and the sets top-p and top-k keep, on the
//! next-character distributions of a character bigram model counted on the embedded
//! English corpus (a real, if small, language model: peaked after "q", flat after a space).

use super::{svg, Rendered};
use crate::inference::temperature::{entropy, softmax_with_temperature};
use crate::inference::truncation::{kept, top_p_filter};
use crate::nlp::corpus::ENGLISH;
use crate::plot::{line_chart, Axes, Series};
use plotters::prelude::*;
use std::collections::BTreeMap;

/// Contexts seen fewer times than this are left out (their counts are noise).
const MIN_COUNT: usize = 50;

/// The bigram model's next-character logits, ln(count + 0.1), for every frequent character:
/// (the context character, its logits over the corpus's characters).
pub fn bigram_logits() -> Vec<(char, Vec<f32>)> {
    let chars: Vec<char> = ENGLISH.chars().collect();
    let vocab: Vec<char> =
        chars.iter().copied().collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let index: BTreeMap<char, usize> = vocab.iter().enumerate().map(|(i, &c)| (c, i)).collect();
    let mut counts: BTreeMap<char, Vec<f32>> = BTreeMap::new();
    for w in chars.windows(2) {
        counts.entry(w[0]).or_insert_with(|| vec![0.0; vocab.len()])[index[&w[1]]] += 1.0;
    }
    counts
        .into_iter()
        .filter(|(_, c)| c.iter().sum::<f32>() >= MIN_COUNT as f32)
        .map(|(ch, c)| (ch, c.iter().map(|n| (n + 0.1).ln()).collect()))
        .collect()
}

/// Temperatures of the sweep, 0.05 to 20 on a log scale.
pub fn temperatures() -> Vec<f32> {
    (0..=26).map(|i| 0.05 * 10f32.powf(i as f32 / 10.0)).collect()
}

/// A labelled curve: (label, [(x, y)]).
pub type Curve = (String, Vec<(f64, f64)>);

/// Entropy (nats) against T for the most peaked, the median and the flattest context (by
/// entropy at T = 1): (label, [(T, H)]), and ln V.
pub fn entropy_curves() -> (Vec<Curve>, f64) {
    let mut rows = bigram_logits();
    rows.sort_by(|a, b| {
        let h = |z: &[f32]| entropy(&softmax_with_temperature(z, 1.0));
        h(&a.1).total_cmp(&h(&b.1))
    });
    let v = rows[0].1.len();
    let picks = [0, rows.len() / 2, rows.len() - 1];
    let curves = picks
        .iter()
        .map(|&i| {
            let (ch, z) = &rows[i];
            let pts = temperatures()
                .iter()
                .map(|&t| (t as f64, entropy(&softmax_with_temperature(z, t))))
                .collect();
            (format!("after {ch:?}"), pts)
        })
        .collect();
    (curves, (v as f64).ln())
}

/// Over all contexts, for each p: (p, min, mean, max) of the top-p kept-set size; and for
/// each k: (k, min, mean, max) of the probability mass the k most likely tokens hold.
pub type Band = Vec<(f64, f64, f64, f64)>;
pub fn kept_curves() -> (Band, Band) {
    let rows = bigram_logits();
    let band = |xs: Vec<f64>| {
        let (lo, hi) = xs.iter().fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        (lo, xs.iter().sum::<f64>() / xs.len() as f64, hi)
    };
    let by_p = (1..=19)
        .map(|i| {
            let p = i as f32 * 0.05;
            let sizes = rows.iter().map(|(_, z)| {
                let mut z = z.clone();
                top_p_filter(&mut z, p, 1);
                kept(&z) as f64
            });
            let (lo, mean, hi) = band(sizes.collect());
            (p as f64, lo, mean, hi)
        })
        .collect();
    let by_k = (1..=20)
        .map(|k| {
            let masses = rows.iter().map(|(_, z)| {
                let mut p = softmax_with_temperature(z, 1.0);
                p.sort_by(|a, b| b.total_cmp(a));
                p[..k].iter().map(|&x| x as f64).sum::<f64>()
            });
            let (lo, mean, hi) = band(masses.collect());
            (k as f64, lo, mean, hi)
        })
        .collect();
    (by_p, by_k)
}

/// §5.1's figure.
pub fn temperature_entropy() -> Rendered {
    let (curves, ln_v) = entropy_curves();
    let colors = [RGBColor(200, 40, 40), RGBColor(30, 90, 200), RGBColor(40, 150, 60)];
    let mut series: Vec<Series> = curves
        .into_iter()
        .zip(colors)
        .map(|((label, pts), c)| {
            Series::new(&label, pts.iter().map(|&(t, h)| (t.log10(), h)).collect(), c)
        })
        .collect();
    let (lo, hi) = ((0.05f64).log10(), (20f64).log10());
    series.push(Series::new("ln V (uniform)", vec![(lo, ln_v), (hi, ln_v)], RGBColor(90, 90, 90)));
    let ticks = |x: &f64| format!("{:.2}", 10f64.powf(*x));
    let axes = Axes {
        x: lo..hi,
        y: 0.0..ln_v * 1.08,
        x_label: "temperature T (log scale)",
        y_label: "entropy of softmax(z / T), nats",
        x_ticks: &ticks,
        marks: vec![(0.0, "T = 1".into())],
        legend: SeriesLabelPosition::LowerRight,
    };
    svg((760, 460), |root| {
        line_chart(root, "Entropy against temperature (character bigram model)", &axes, &series)
    })
}

/// §5.3's figure.
pub fn truncation_kept() -> Rendered {
    let (by_p, by_k) = kept_curves();
    let (red, blue, grey) = (RGBColor(200, 40, 40), RGBColor(30, 90, 200), RGBColor(150, 150, 150));
    let three = |b: &Band, c: RGBColor| {
        vec![
            Series::new("mean", b.iter().map(|r| (r.0, r.2)).collect(), c).with_markers(),
            Series::new("min", b.iter().map(|r| (r.0, r.1)).collect(), grey),
            Series::new("max", b.iter().map(|r| (r.0, r.3)).collect(), grey),
        ]
    };
    let max_size = by_p.iter().map(|r| r.3).fold(0.0, f64::max);
    let p_ticks = |x: &f64| format!("{x:.1}");
    let k_ticks = |x: &f64| format!("{x:.0}");
    svg((1100, 460), |root| {
        let halves = root.split_evenly((1, 2));
        line_chart(
            &halves[0],
            "Top-p: tokens kept",
            &Axes {
                x: 0.0..1.02,
                y: 0.0..max_size * 1.05,
                x_label: "p",
                y_label: "kept-set size",
                x_ticks: &p_ticks,
                marks: vec![],
                legend: SeriesLabelPosition::UpperLeft,
            },
            &three(&by_p, red),
        )?;
        line_chart(
            &halves[1],
            "Top-k: probability mass kept",
            &Axes {
                x: 0.0..20.5,
                y: 0.0..1.02,
                x_label: "k",
                y_label: "mass of the k most likely",
                x_ticks: &k_ticks,
                marks: vec![],
                legend: SeriesLabelPosition::LowerRight,
            },
            &three(&by_k, blue),
        )
    })
}

#[cfg(test)]
mod tests;
