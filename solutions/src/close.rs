//! The library tests' one float comparison: [`assert_close`], element-wise with `approx`'s
//! `relative_eq!`, after a length check, failing with the worst element.
//!
//! PyTorch equivalent: `torch.testing.assert_close(actual, expected, atol=, rtol=)`, whose
//! report (how many elements, the greatest difference and where) this one follows. A
//! value passes when $|g - w| \le \text{abs}$ or $|g - w| \le \text{rel} \cdot
//! \max(|g|, |w|)$; NaN never passes.
//!
//! Test-only (`#[cfg(test)]` in `lib.rs`): `approx` is a dev-dependency, so the notebooks'
//! `:dep` build never compiles it.

/// An element-wise tolerance: absolute, relative, or both (a value passes either).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tol {
    pub abs: f32,
    pub rel: f32,
}

impl Tol {
    /// Absolute only: for values of order one, such as softmax weights and normalized
    /// activations compared against a stored reference.
    pub const fn abs(abs: f32) -> Tol {
        Tol { abs, rel: 0.0 }
    }

    /// The same bound absolute near zero and relative for large values: for quantities
    /// whose scale grows, such as optimizer parameters and running variances.
    pub const fn abs_rel(tol: f32) -> Tol {
        Tol { abs: tol, rel: tol }
    }
}

/// Panics unless `got` has the length of `want` and every element is within `tol` of its
/// counterpart. The message names `what`, how many elements are off, and the worst one
/// with its index, both values, the difference and the tolerance.
#[track_caller]
pub fn assert_close(what: &str, got: &[f32], want: &[f32], tol: Tol) {
    assert_eq!(
        got.len(),
        want.len(),
        "{what}: {} values, expected {} (a wrong shape, or a vector left empty?)",
        got.len(),
        want.len()
    );
    let off: Vec<(usize, f32, f32)> = got
        .iter()
        .zip(want)
        .enumerate()
        .filter(|(_, (&g, &w))| {
            !approx::relative_eq!(g, w, epsilon = tol.abs, max_relative = tol.rel)
        })
        .map(|(i, (&g, &w))| (i, g, w))
        .collect();
    // Subtle: NaN compares as the greatest difference, so it is the one reported.
    let worst = off.iter().max_by(|a, b| {
        let d = |x: &(usize, f32, f32)| (x.1 - x.2).abs();
        d(a).total_cmp(&d(b))
    });
    if let Some(&(i, g, w)) = worst {
        panic!(
            "{what}: {} of {} values outside the tolerance (abs {:e}, rel {:e}); the worst is \
             [{i}] = {g}, expected {w}, off by {:.3e}",
            off.len(),
            got.len(),
            tol.abs,
            tol.rel,
            (g - w).abs()
        );
    }
}

#[cfg(test)]
mod tests;
