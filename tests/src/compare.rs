//! Comparisons that explain themselves: where two tensors differ, by how much, and the
//! tolerance that was allowed.
//!
//! Every float comparison in the suites goes through [`Tol::allows`], which is
//! `approx::relative_eq!`: equal within `abs`, or within `rel` of the larger magnitude.
//! PyTorch's equivalent is `torch.testing.assert_close(got, want, atol=abs, rtol=rel)`.
//!
//! Subtle: a comparison that zips `got` with `want` passes a `got` that is too short on its
//! prefix alone. So every comparison here checks the length (and the shape) first, and the
//! caller names what the elements are, so that the message can say "expected 8 running
//! means, got 0".

use crate::{Check, Failure};

/// Absolute and relative tolerance: |got − want| ≤ abs, or ≤ rel·max(|got|, |want|).
#[derive(Debug, Clone, Copy)]
pub struct Tol {
    pub abs: f64,
    pub rel: f64,
}

/// For f32 results of short computations compared with an f64 reference.
pub const F32: Tol = Tol { abs: 1e-5, rel: 1e-4 };

impl Tol {
    /// Whether `got` is within tolerance of `want` (never for a NaN; ±∞ only equals itself).
    pub fn allows(&self, got: f64, want: f64) -> bool {
        approx::relative_eq!(got, want, epsilon = self.abs, max_relative = self.rel)
    }
}

impl std::fmt::Display for Tol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:e}, or {:e}·max(|got|, |expected|)", self.abs, self.rel)
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

/// Whether all elements agree within `tol`, lengths included (no message; for diagnosing
/// known mistakes). Works for f32 and f64 results alike.
pub fn all_close<G: Copy + Into<f64>>(got: &[G], want: &[f64], tol: Tol) -> bool {
    got.len() == want.len() && got.iter().zip(want).all(|(&g, &w)| tol.allows(g.into(), w))
}

/// [`all_close`] for f64 results (kept for the call sites that read better with it).
pub fn all_close_f64(got: &[f64], want: &[f64], tol: Tol) -> bool {
    all_close(got, want, tol)
}

/// Fails unless `got` has `want` elements: "{what}: expected 8 running means, got 0." The
/// `noun` is what one element is, in the plural; `hint` (may be empty) the likely cause.
pub fn check_len(what: &str, noun: &str, got: usize, want: usize, hint: &str) -> Check {
    if got == want {
        return Ok(());
    }
    let hint = if hint.is_empty() { String::new() } else { format!(" {hint}") };
    Err(Failure::new(format!("{what}: expected {want} {noun}, got {got}.{hint}")))
}

/// Checks the length, then every element; the failure names the first wrong element, its
/// position, both values, the gap, the tolerance and the largest gap anywhere. `noun` says
/// what the elements are ("running means"), for the length message.
pub fn close_list<G: Copy + Into<f64>>(
    what: &str,
    noun: &str,
    got: &[G],
    want: &[f64],
    tol: Tol,
) -> Check {
    check_len(what, noun, got.len(), want.len(), "")?;
    first_gap(what, got, want, &[want.len()], tol)
}

/// Checks the shape the tensor reports, then that it really holds that many values, then
/// every element, as [`close_list`] does. `got_shape` must be read from the learner's
/// tensor (`*t.shape()`), never written down: a literal shape cannot fail.
pub fn close<G: Copy + Into<f64>>(
    what: &str,
    got: &[G],
    got_shape: &[usize],
    want: &[f64],
    shape: &[usize],
    tol: Tol,
) -> Check {
    check_shape(what, got_shape, shape)?;
    let n: usize = shape.iter().product();
    assert_eq!(want.len(), n, "the suite's own reference for {what} has the wrong length");
    check_len(what, "values", got.len(), n, "")?;
    first_gap(what, got, want, shape, tol)
}

/// The element-wise part of [`close`], once the lengths agree.
fn first_gap<G: Copy + Into<f64>>(
    what: &str,
    got: &[G],
    want: &[f64],
    shape: &[usize],
    tol: Tol,
) -> Check {
    let got: Vec<f64> = got.iter().map(|&g| g.into()).collect();
    let off = |(&g, &w): (&f64, &f64)| !tol.allows(g, w);
    let Some(i) = got.iter().zip(want).position(off) else { return Ok(()) };
    let worst = got.iter().zip(want).map(|(&g, &w)| (g - w).abs()).fold(0.0, f64::max);
    let bad = got.iter().zip(want).filter(|&p| off(p)).count();
    Err(Failure::new(format!(
        "{what}{} is {:.6}, expected {:.6} (off by {:.2e}; tolerance {tol}). \
         {bad} of {} elements are off, the worst by {worst:.2e}.",
        fmt_index(&index_of(i, shape)),
        got[i],
        want[i],
        (got[i] - want[i]).abs(),
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

/// [`close_list`] for results computed in f64 (a list of frequencies, a position).
pub fn close_f64(what: &str, noun: &str, got: &[f64], want: &[f64], tol: Tol) -> Check {
    close_list(what, noun, got, want, tol)
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
        let err = close("y", &[1.0f32, 2.0, 3.5], &[3], &[1.0, 2.0, 3.0], &[3], F32).unwrap_err();
        assert!(err.0.contains("y[2] is 3.500000, expected 3.000000"), "{err}");
        assert!(err.0.contains("1 of 3 elements"), "{err}");
        let shape = close("y", &[1.0f32], &[1], &[1.0, 2.0], &[2], F32).unwrap_err();
        assert!(shape.0.contains("shape [1], expected [2]"), "{shape}");
        assert!(close("y", &[1.0f32, 2.0], &[2], &[1.0, 2.000001], &[2], F32).is_ok());
    }

    #[test]
    fn a_short_vector_fails_even_when_its_prefix_is_right() {
        // The prefix [1, 2] is right; zipping alone would pass it.
        let want = [1.0, 2.0, 3.0];
        let err = close_list("the running mean", "running means", &[1.0f32, 2.0], &want, F32)
            .unwrap_err();
        assert!(err.0.contains("expected 3 running means, got 2"), "{err}");
        let empty: [f32; 0] = [];
        let err = close_list("m", "moments", &empty, &want, F32).unwrap_err();
        assert!(err.0.contains("expected 3 moments, got 0"), "{err}");
        // A shape that claims more than the values hold is caught too.
        let err = close("x", &[1.0f32, 2.0], &[3], &want, &[3], F32).unwrap_err();
        assert!(err.0.contains("expected 3 values, got 2"), "{err}");
        assert!(!all_close(&[1.0f32, 2.0], &want, F32));
        assert!(!all_close_f64(&[], &want, F32));
        let hint = check_len("v", "means", 0, 8, "Did you update the statistics?").unwrap_err();
        assert_eq!(hint.0, "v: expected 8 means, got 0. Did you update the statistics?");
    }

    #[test]
    fn the_tolerance_is_approx_relative_eq() {
        let tol = Tol { abs: 1e-6, rel: 1e-3 };
        assert!(tol.allows(1000.5, 1000.0));
        assert!(!tol.allows(1002.0, 1000.0));
        assert!(tol.allows(5e-7, 0.0));
        assert!(!tol.allows(f64::NAN, f64::NAN));
        assert!(tol.allows(f64::NEG_INFINITY, f64::NEG_INFINITY));
        assert!(!tol.allows(f64::INFINITY, 1e300));
    }
}
