//! §1.9: SGD, SGD with momentum and Adam on the 2-D valley f(x, y) = x²/20 + y².

use super::{svg, Rendered};
use crate::foundations::optimizers::{adam_step, sgd_momentum_step, valley};
use crate::foundations::optimizers::{AdamConfig, AdamState};
use crate::plot::{line_chart, Axes, Series};
use plotters::prelude::*;

/// Where every run starts, how many steps it takes, and the learning rate all three share.
pub const START: [f32; 2] = [-9.0, 1.0];
pub const STEPS: usize = 50;
pub const LR: f32 = 0.3;
pub const MOMENTUM: f32 = 0.9;

/// The points visited (start included) by each optimizer.
pub struct Trajectories {
    pub sgd: Vec<[f32; 2]>,
    pub momentum: Vec<[f32; 2]>,
    pub adam: Vec<[f32; 2]>,
}

/// Runs the three optimizers from [`START`] for [`STEPS`] steps. Deterministic: the valley
/// has no noise.
pub fn trajectories() -> Trajectories {
    let heavy_ball = |mu: f32| {
        let (mut p, mut v) = (START, [0.0f32; 2]);
        let mut path = vec![p];
        for _ in 0..STEPS {
            let (_, g) = valley(p);
            sgd_momentum_step(&mut p, &g, &mut v, LR, mu);
            path.push(p);
        }
        path
    };
    let cfg = AdamConfig { lr: LR, ..AdamConfig::default() };
    let (mut p, mut state) = (START, AdamState::new(2));
    let mut adam = vec![p];
    for _ in 0..STEPS {
        let (_, g) = valley(p);
        adam_step(&mut p, &g, &mut state, &cfg);
        adam.push(p);
    }
    Trajectories { sgd: heavy_ball(0.0), momentum: heavy_ball(MOMENTUM), adam }
}

/// The three paths over the valley's contour lines.
pub fn optimizer_trajectories() -> Rendered {
    let t = trajectories();
    let path = |v: &[[f32; 2]]| v.iter().map(|p| (p[0] as f64, p[1] as f64)).collect();
    // Level sets x²/20 + y² = c are ellipses with semi-axes √(20c) and √c.
    let contour = |c: f64| Series {
        label: None,
        points: (0..=120)
            .map(|i| {
                let a = i as f64 / 120.0 * std::f64::consts::TAU;
                ((20.0 * c).sqrt() * a.cos(), c.sqrt() * a.sin())
            })
            .collect(),
        color: RGBColor(190, 190, 190),
        markers: false,
    };
    let mut series: Vec<Series> = [0.02, 0.1, 0.3, 0.7, 1.5, 3.0, 5.05].map(contour).into();
    series.extend([
        Series::new("SGD", path(&t.sgd), RGBColor(200, 40, 40)).with_markers(),
        Series::new("SGD + momentum 0.9", path(&t.momentum), RGBColor(30, 90, 200)).with_markers(),
        Series::new("Adam", path(&t.adam), RGBColor(20, 140, 60)).with_markers(),
    ]);
    let ticks = |x: &f64| format!("{x:.0}");
    svg((1000, 520), |root| {
        line_chart(
            root,
            &format!("{STEPS} steps on f(x, y) = x²/20 + y², learning rate {LR}, from (−9, 1)"),
            &Axes {
                x: -10.5..4.5,
                y: -1.6..1.6,
                x_label: "x (the flat direction)",
                y_label: "y (the steep direction)",
                x_ticks: &ticks,
                marks: vec![],
                legend: SeriesLabelPosition::LowerRight,
            },
            &series,
        )
    })
}

#[cfg(test)]
mod tests;
