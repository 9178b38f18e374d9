//! §1.7: per-layer gradient norms of 24-layer Pre-Norm and Post-Norm stacks at
//! initialisation.

use super::{svg, Rendered};
use crate::foundations::residual_norm::{Placement, Stack};
use crate::plot::{line_chart, Axes, Series};
use crate::Dev;
use plotters::prelude::*;

/// Layers in the stack; its width is 32 and its MLPs 128 wide, as in the library's test.
pub const DEPTH: usize = 24;

/// The gradient norm of each layer's first weight, (Pre-Norm, Post-Norm), from seed 0 and
/// a batch of 64.
pub fn gradient_norms() -> (Vec<f32>, Vec<f32>) {
    let dev = Dev::seed_from_u64(0);
    let norms =
        |placement| Stack::<32, 128>::new(&dev, placement, DEPTH).layer_gradient_norms(&dev, 64);
    let pre = norms(Placement::PreNorm);
    let post = norms(Placement::PostNorm);
    (pre, post)
}

pub fn depth_gradient_norms() -> Rendered {
    let (pre, post) = gradient_norms();
    let top = pre.iter().chain(&post).copied().fold(0.0, f32::max) as f64 * 1.15;
    let points =
        |g: &[f32]| g.iter().enumerate().map(|(l, &v)| (l as f64 + 1.0, v as f64)).collect();
    let ticks = |x: &f64| format!("{}", x.round());
    svg((820, 500), |root| {
        line_chart(
            root,
            &format!("Gradient norm per layer at initialisation ({DEPTH} layers)"),
            &Axes {
                x: 0.5..DEPTH as f64 + 0.5,
                y: 0.0..top,
                x_label: "layer (1 = nearest the input)",
                y_label: "‖∂loss/∂W₁‖ of the layer's MLP",
                x_ticks: &ticks,
                marks: vec![],
                legend: SeriesLabelPosition::UpperRight,
            },
            &[
                Series::new("Pre-Norm: x + F(LN(x))", points(&pre), RGBColor(30, 90, 200))
                    .with_markers(),
                Series::new("Post-Norm: LN(x + F(x))", points(&post), RGBColor(200, 40, 40))
                    .with_markers(),
            ],
        )
    })
}

#[cfg(test)]
mod tests;
