//! §1.4: what RoPE does to one pair of features, position by position. The unit vector
//! (1, 0) is put in every pair of a d = 8 vector and rotated by the library's
//! `apply_rope_slow` at positions 0 to 6; each panel shows one pair on the unit circle.

use super::{svg, Rendered};
use crate::foundations::rope::{apply_rope_slow, rope_frequencies};
use plotters::prelude::*;

/// Head width, positions drawn and the pairs shown (fast, medium, slow).
pub const ROPE_FIG_D: usize = 8;
pub const ROPE_FIG_POSITIONS: usize = 7;
pub const ROPE_FIG_PAIRS: [usize; 3] = [0, 1, 3];
pub const ROPE_FIG_BASE: f64 = 10000.0;

/// Pair `pair` of (1, 0, 1, 0, ...) after RoPE at positions 0..[`ROPE_FIG_POSITIONS`].
pub fn rotated_pair(pair: usize) -> Vec<(f64, f64)> {
    let (s, d) = (ROPE_FIG_POSITIONS, ROPE_FIG_D);
    let x: Vec<f32> = (0..s * d).map(|k| if k % 2 == 0 { 1.0 } else { 0.0 }).collect(); // (1, S, D)
    let out = apply_rope_slow(&x, [1, s, d], 0, ROPE_FIG_BASE);
    (0..s).map(|m| (out[m * d + 2 * pair] as f64, out[m * d + 2 * pair + 1] as f64)).collect()
}

pub fn rope_rotations() -> Rendered {
    let theta = rope_frequencies(ROPE_FIG_D, ROPE_FIG_BASE);
    svg((1200, 440), |root| {
        let panels = root.split_evenly((1, ROPE_FIG_PAIRS.len()));
        for (panel, &i) in panels.iter().zip(&ROPE_FIG_PAIRS) {
            let title = format!("pair {i}: θ = {} rad per position", theta[i]);
            let mut chart = ChartBuilder::on(panel)
                .caption(title, ("sans-serif", 18))
                .margin(12)
                .x_label_area_size(36)
                .y_label_area_size(44)
                .build_cartesian_2d(-1.35f64..1.35f64, -1.35f64..1.35f64)?;
            chart
                .configure_mesh()
                .disable_mesh()
                .x_desc(format!("feature {}", 2 * i))
                .y_desc(format!("feature {}", 2 * i + 1))
                .label_style(("sans-serif", 12))
                .draw()?;
            let circle = (0..=200).map(|k| {
                let a = k as f64 / 200.0 * std::f64::consts::TAU;
                (a.cos(), a.sin())
            });
            chart.draw_series(LineSeries::new(circle, RGBColor(200, 200, 200)))?;
            for (m, &(x, y)) in rotated_pair(i).iter().enumerate() {
                // Darker blue for later positions.
                let color = RGBColor(30, 200 - 25 * m as u8, 230 - 20 * m as u8);
                chart.draw_series([PathElement::new(
                    vec![(0.0, 0.0), (x, y)],
                    color.stroke_width(2),
                )])?;
                let at = (1.15 * x - 0.04, 1.15 * y + 0.04);
                chart.draw_series([Text::new(format!("{m}"), at, ("sans-serif", 14))])?;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests;
