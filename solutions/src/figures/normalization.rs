//! §1.8: the axes that BatchNorm, LayerNorm and RMSNorm normalise over, found by running
//! the library: one input of a (B, C) batch is changed, and every output that changes with
//! it shares its statistics. BatchNorm (training mode) answers with the input's channel over
//! the batch; LayerNorm and RMSNorm with the input's own row (one sample, or one token).

use super::{svg, Rendered};
use crate::foundations::normalization::{batch_norm_train, layer_norm, rms_norm, RunningStats};
use crate::Dev;
use dfdx::prelude::*;
use plotters::prelude::*;

/// The batch drawn: 4 samples (rows) of 6 channels (columns).
pub const NORM_B: usize = 4;
pub const NORM_C: usize = 6;
/// The input that is changed: sample 1, channel 2.
pub const NORM_PROBE: (usize, usize) = (1, 2);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NormKind {
    Batch,
    Layer,
    Rms,
}

fn run(kind: NormKind, x: Tensor<(usize, usize), f32, Dev>) -> Vec<f32> {
    let (gamma, beta) = (vec![1.0; NORM_C], vec![0.0; NORM_C]);
    match kind {
        NormKind::Batch => {
            let mut running = RunningStats { mean: vec![0.0; NORM_C], var: vec![1.0; NORM_C] };
            batch_norm_train(x, &gamma, &beta, &mut running, 0.1, 1e-5).as_vec()
        }
        NormKind::Layer => layer_norm(x, &gamma, &beta, 1e-5).as_vec(),
        NormKind::Rms => rms_norm(x, &gamma, 1e-5).as_vec(),
    }
}

/// (B, C) flags: which outputs change when input [`NORM_PROBE`] is changed by 1.
pub fn shared_statistics(kind: NormKind) -> Vec<bool> {
    let dev = Dev::seed_from_u64(0);
    let x: Tensor<(usize, usize), f32, Dev> = dev.sample_normal_like(&(NORM_B, NORM_C));
    let mut v = x.as_vec();
    v[NORM_PROBE.0 * NORM_C + NORM_PROBE.1] += 1.0;
    let moved = dev.tensor_from_vec(v, (NORM_B, NORM_C));
    let (a, b) = (run(kind, x), run(kind, moved));
    a.iter().zip(&b).map(|(p, q)| (p - q).abs() > 1e-6).collect()
}

pub fn norm_axes() -> Rendered {
    let panels = [
        (NormKind::Batch, "BatchNorm: a channel over the batch"),
        (NormKind::Layer, "LayerNorm: a sample's features (mean, variance)"),
        (NormKind::Rms, "RMSNorm: a sample's features (RMS only)"),
    ];
    svg((1320, 380), |root| {
        for (area, (kind, title)) in root.split_evenly((1, 3)).iter().zip(panels) {
            let mut chart = ChartBuilder::on(area)
                .caption(title, ("sans-serif", 17))
                .margin(14)
                .x_label_area_size(36)
                .y_label_area_size(44)
                .build_cartesian_2d(-0.5..NORM_C as f64 - 0.5, NORM_B as f64 - 0.5..-0.5)?;
            chart
                .configure_mesh()
                .disable_mesh()
                .x_labels(NORM_C)
                .y_labels(NORM_B)
                .x_desc("channel / feature c")
                .y_desc("sample (or token) b")
                .label_style(("sans-serif", 12))
                // Ticks at the cell centres, which are whole numbers.
                .x_label_formatter(&|x| format!("{}", x.round() as i64))
                .y_label_formatter(&|y| format!("{}", y.round() as i64))
                .draw()?;
            let shared = shared_statistics(kind);
            for b in 0..NORM_B {
                for c in 0..NORM_C {
                    let (x, y) = (c as f64, b as f64);
                    let cell = [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)];
                    let fill = if (b, c) == NORM_PROBE {
                        RGBColor(180, 40, 40)
                    } else if shared[b * NORM_C + c] {
                        RGBColor(240, 150, 120)
                    } else {
                        WHITE
                    };
                    chart.draw_series([Rectangle::new(cell, fill.filled())])?;
                    chart.draw_series([Rectangle::new(cell, RGBColor(120, 120, 120))])?;
                }
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests;
