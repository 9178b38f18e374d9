//! Comparisons that explain themselves: where two tensors differ, by how much, and the
//! tolerance that was allowed.

use crate::{Check, Failure};

/// Absolute and relative tolerance: |got − want| ≤ abs + rel·|want|.
#[derive(Debug, Clone, Copy)]
pub struct Tol {
    pub abs: f64,
    pub rel: f64,
}

/// For f32 results of short computations compared with an f64 reference.
pub const F32: Tol = Tol { abs: 1e-5, rel: 1e-4 };

impl Tol {
    pub fn allows(&self, got: f64, want: f64) -> bool {
        (got - want).abs() <= self.abs + self.rel * want.abs()
    }
}

impl std::fmt::Display for Tol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:e} + {:e}·|expected|", self.abs, self.rel)
    }
}

/// The multi-index of flat position `i` in a row-major tensor of shape `shape`.
pub fn index_of(mut i: usize, shape: &[usize]) -> Vec<usize> {
    let mut idx = vec![0; shape.len()];
    for (slot, &n) in idx.iter_mut().zip(shape).rev() {
        *slot = i % n;
        i /= n;
    }
    idx
}

/// Formats a multi-index as `[0, 1, 2]`.
pub fn fmt_index(idx: &[usize]) -> String {
    format!("{idx:?}")
}

/// Whether all elements agree within `tol` (no message; for diagnosing known mistakes).
pub fn all_close(got: &[f32], want: &[f64], tol: Tol) -> bool {
    got.len() == want.len() && got.iter().zip(want).all(|(&g, &w)| tol.allows(g as f64, w))
}

/// Checks the shape, then every element; the failure names the first wrong element, its
/// index, both values, the gap, the tolerance and the largest gap anywhere.
pub fn close(
    what: &str,
    got: &[f32],
    got_shape: &[usize],
    want: &[f64],
    shape: &[usize],
    tol: Tol,
) -> Check {
    check_shape(what, got_shape, shape)?;
    let first = got.iter().zip(want).position(|(&g, &w)| !tol.allows(g as f64, w));
    let Some(i) = first else { return Ok(()) };
    let worst = got.iter().zip(want).map(|(&g, &w)| (g as f64 - w).abs()).fold(0.0, f64::max);
    let bad = got.iter().zip(want).filter(|(&g, &w)| !tol.allows(g as f64, w)).count();
    Err(Failure::new(format!(
        "{what}{} is {:.6}, expected {:.6} (off by {:.2e}; tolerance {tol}). \
         {bad} of {} elements are off, the worst by {worst:.2e}.",
        fmt_index(&index_of(i, shape)),
        got[i],
        want[i],
        (got[i] as f64 - want[i]).abs(),
        got.len(),
    )))
}

/// Compares one number with its expected value: `what is got, expected want (off by …;
/// tolerance …)`.
pub fn close_scalar(what: &str, got: f64, want: f64, tol: Tol) -> Check {
    if tol.allows(got, want) {
        return Ok(());
    }
    Err(Failure::new(format!(
        "{what} is {got:.8}, expected {want:.8} (off by {:.2e}; tolerance {tol}).",
        (got - want).abs()
    )))
}

/// [`close`] for results computed in f64 (a list of frequencies, a position).
pub fn close_f64(what: &str, got: &[f64], want: &[f64], tol: Tol) -> Check {
    check_shape(&format!("{what} (its length)"), &[got.len()], &[want.len()])?;
    let Some(i) = got.iter().zip(want).position(|(&g, &w)| !tol.allows(g, w)) else {
        return Ok(());
    };
    Err(Failure::new(format!(
        "{what}[{i}] is {:.10}, expected {:.10} (off by {:.2e}; tolerance {tol}).",
        got[i],
        want[i],
        (got[i] - want[i]).abs()
    )))
}

/// Whether two f64 sequences agree within `tol` (for diagnosing known mistakes).
pub fn all_close_f64(got: &[f64], want: &[f64], tol: Tol) -> bool {
    got.len() == want.len() && got.iter().zip(want).all(|(&g, &w)| tol.allows(g, w))
}

/// Fails unless `got` has the expected shape, naming both.
pub fn check_shape(what: &str, got: &[usize], want: &[usize]) -> Check {
    if got == want {
        Ok(())
    } else {
        Err(Failure::new(format!("{what} has shape {got:?}, expected {want:?}.")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_of_is_row_major() {
        assert_eq!(index_of(0, &[2, 3, 4]), vec![0, 0, 0]);
        assert_eq!(index_of(23, &[2, 3, 4]), vec![1, 2, 3]);
        assert_eq!(index_of(5, &[2, 3, 4]), vec![0, 1, 1]);
    }

    #[test]
    fn close_names_the_first_wrong_element_and_the_tolerance() {
        let err = close("y", &[1.0, 2.0, 3.5], &[3], &[1.0, 2.0, 3.0], &[3], F32).unwrap_err();
        assert!(err.0.contains("y[2] is 3.500000, expected 3.000000"), "{err}");
        assert!(err.0.contains("1 of 3 elements"), "{err}");
        let shape = close("y", &[1.0], &[1], &[1.0, 2.0], &[2], F32).unwrap_err();
        assert!(shape.0.contains("shape [1], expected [2]"), "{shape}");
        assert!(close("y", &[1.0, 2.0], &[2], &[1.0, 2.000001], &[2], F32).is_ok());
    }
}
