//! §6.4: solve rates on the 1,362 Game of 24 puzzles, simulated (stated error rates, not an
//! LM) next to GPT-4's in the paper. Drawn from the stored run `data/bench/game24_tot.json`
//! (`cargo course tot --save data/bench/game24_tot.json` remakes it exactly).

use super::{svg, Rendered};
use crate::applications::tot_simulation::Game24Table;
use plotters::prelude::*;

/// The stored run.
pub fn stored_game24() -> Game24Table {
    serde_json::from_str(include_str!("../../../data/bench/game24_tot.json"))
        .expect("data/bench/game24_tot.json parses")
}

/// §6.4's figure: two bars per method.
pub fn game24_solve_rates() -> Rendered {
    let table = stored_game24();
    let rates = table.rates();
    let c = &table.config;
    let (ours, paper) = (RGBColor(30, 90, 200), RGBColor(150, 150, 150));
    svg((860, 480), |root| {
        let title = format!(
            "Game of 24, {} puzzles: simulation (miss {}, mislabel {}, skill {}) vs GPT-4",
            table.rows.len(),
            c.miss,
            c.mislabel,
            c.skill
        );
        let n = rates.len();
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(56)
            .build_cartesian_2d(0.0..n as f64, -8.0..100.0)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_desc("solve rate (%)")
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 16))
            .draw()?;
        let bar = |i: usize, side: f64, v: f64, color: RGBColor| {
            let x0 = i as f64 + 0.12 + side * 0.38;
            Rectangle::new([(x0, 0.0), (x0 + 0.36, 100.0 * v)], color.filled())
        };
        chart
            .draw_series(rates.iter().enumerate().map(|(i, r)| bar(i, 0.0, r.rate, ours)))?
            .label("simulated stand-ins (this course)")
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], ours.filled()));
        chart
            .draw_series(rates.iter().enumerate().map(|(i, r)| bar(i, 1.0, r.paper, paper)))?
            .label("GPT-4 (Yao et al. 2023, Table 2)")
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], paper.filled()));
        // The method names under their bars, inside the plot (below the zero line).
        let name_font = ("sans-serif", 15).into_font();
        chart.draw_series(rates.iter().enumerate().map(|(i, r)| {
            Text::new(r.method.to_string(), (i as f64 + 0.3, -2.0), name_font.clone())
        }))?;
        let font = ("sans-serif", 13).into_font();
        chart.draw_series(rates.iter().enumerate().flat_map(|(i, r)| {
            [(0.0, r.rate), (1.0, r.paper)].map(|(side, v)| {
                let x = i as f64 + 0.14 + side * 0.38;
                Text::new(format!("{:.1}", 100.0 * v), (x, 100.0 * v + 2.5), font.clone())
            })
        }))?;
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .label_font(("sans-serif", 14))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()?;
        Ok(())
    })
}
