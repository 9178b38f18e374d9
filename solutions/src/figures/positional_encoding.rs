//! §1.3: the sinusoidal position table as a heat-map.

use super::{svg, Rendered};
use crate::foundations::positional_encoding::sinusoidal_table;
use crate::plot::matrix_heatmap;
use crate::Dev;

/// The table drawn: 64 positions, 64 dimensions.
pub const SINUSOID_POSITIONS: usize = 64;
pub const SINUSOID_DIMS: usize = 64;

/// The sinusoidal table, positions down, dimensions across, on a -1..1 colour scale.
pub fn sinusoidal_heatmap() -> Rendered {
    let table = sinusoidal_table(&Dev::default(), SINUSOID_POSITIONS, SINUSOID_DIMS).as_vec();
    svg((900, 720), |root| {
        matrix_heatmap(
            root,
            "Sinusoidal positional encoding (d = 64): PE[p, 2i] = sin, PE[p, 2i+1] = cos",
            &table,
            (SINUSOID_POSITIONS, SINUSOID_DIMS),
            ("dimension", "position p"),
            (-1.0, 1.0),
        )
    })
}

#[cfg(test)]
mod tests;
