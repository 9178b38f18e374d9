//! §1.5: ALiBi's bias matrix for several heads of an 8-head model, side by side (rows are
//! queries, columns keys). Each head's bias is $-m_h (i - j)$ on and below the diagonal;
//! the future keys (the causal mask, $-\infty$) are drawn at the darkest colour.

use super::{svg, Rendered};
use crate::foundations::alibi::alibi_bias;
use crate::plot::matrix_heatmap;
use crate::Dev;

/// The model drawn: 8 heads, 12 positions.
pub const ALIBI_HEADS: usize = 8;
pub const ALIBI_SEQ: usize = 12;
/// The heads shown (0-based): the steepest, two in between, the flattest.
pub const ALIBI_SHOWN: [usize; 4] = [0, 2, 4, 7];
/// The common colour scale: bias from −6 (dark) to 0 (bright).
pub const ALIBI_RANGE: (f32, f32) = (-6.0, 0.0);

/// Head `h`'s (S, S) bias, row-major, as drawn.
pub fn alibi_panel(h: usize) -> Vec<f32> {
    let bias = alibi_bias(&Dev::default(), ALIBI_HEADS, ALIBI_SEQ).as_vec(); // (H, S, S)
    bias[h * ALIBI_SEQ * ALIBI_SEQ..(h + 1) * ALIBI_SEQ * ALIBI_SEQ].to_vec()
}

pub fn alibi_bias_heads() -> Rendered {
    let slopes = crate::foundations::alibi::alibi_slopes(ALIBI_HEADS);
    svg((1400, 400), |root| {
        let panels = root.split_evenly((1, ALIBI_SHOWN.len()));
        for (panel, &h) in panels.iter().zip(&ALIBI_SHOWN) {
            matrix_heatmap(
                panel,
                &format!("head {} of {ALIBI_HEADS}: m = 1/{}", h + 1, (1.0 / slopes[h]).round()),
                &alibi_panel(h),
                (ALIBI_SEQ, ALIBI_SEQ),
                ("key j", "query i"),
                ALIBI_RANGE,
            )?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests;
