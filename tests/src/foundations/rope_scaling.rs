//! Graded suite for §1.6: Position Interpolation and the NTK-aware base.
//!
//! Both are one formula; the suite recomputes it in f64 and recognises the usual slips:
//! multiplying by L′/L, dividing as integers, and the NTK exponent d/(d−2) replaced by 1 or
//! inverted. The NTK check also states the claim the formula exists for: the slowest pair
//! of RoPE is slowed by exactly the scale s.

use crate::compare::{close_scalar, Tol};
use crate::{Check, Failure};

/// Grades `interpolate_positions(m, train_len, target_len)`.
pub fn check_interpolate_positions<F>(f: F) -> Check
where
    F: Fn(usize, usize, usize) -> f64,
{
    let tol = Tol { abs: 1e-12, rel: 1e-12 };
    for (m, l, target) in
        [(6, 4, 8), (8192, 2048, 8192), (5, 2048, 8192), (0, 2048, 4096), (1001, 4096, 6144)]
    {
        let got = f(m, l, target);
        let want = m as f64 * l as f64 / target as f64;
        if tol.allows(got, want) {
            continue;
        }
        let what = format!("interpolate_positions({m}, {l}, {target})");
        let cause = if tol.allows(got, m as f64 * target as f64 / l as f64) {
            format!(
                "You multiplied by L′/L = {target}/{l}, which stretches the positions further \
                 out. PI squeezes them into the trained range: m·L/L′, so that position L′ \
                 lands on L"
            )
        } else if tol.allows(got, (m * l / target) as f64)
            || tol.allows(got, (m * (l / target)) as f64)
        {
            "The division was done in integers and truncated. The interpolated positions are \
             fractional: convert to f64 before dividing"
                .to_string()
        } else {
            "Position Interpolation maps position m to m·L/L′".to_string()
        };
        return close_scalar(&what, got, want, tol)
            .map_err(|e| Failure::new(format!("{e} {cause}.")));
    }
    Ok(())
}

/// Grades `ntk_scaled_base(base, scale, d)`.
pub fn check_ntk_scaled_base<F>(f: F) -> Check
where
    F: Fn(f64, f64, usize) -> f64,
{
    let tol = Tol { abs: 0.0, rel: 1e-12 };
    for (base, s, d) in [(10000.0, 4.0, 64), (10000.0, 2.0, 128), (500000.0, 8.0, 16)] {
        let got = f(base, s, d);
        let df = d as f64;
        let want = base * s.powf(df / (df - 2.0));
        if tol.allows(got, want) {
            continue;
        }
        // The slowest pair turns at b^(−(d−2)/d); the new base should slow it by exactly s.
        let slowdown = (got / base).powf((df - 2.0) / df);
        let what = format!("ntk_scaled_base({base}, {s}, {d})");
        let cause = if tol.allows(got, base * s) {
            format!(
                "You multiplied the base by s: the exponent d/(d−2) = {:.4} is missing. With \
                 base·s the slowest pair slows down only by s^((d−2)/d) = {slowdown:.4}, not \
                 by s = {s}",
                df / (df - 2.0)
            )
        } else if tol.allows(got, base * s.powf((df - 2.0) / df)) {
            "The exponent is inverted: it is d/(d − 2), slightly above 1, so that the slowest \
             pair's speed base^(−(d−2)/d) is divided by exactly s"
                .to_string()
        } else {
            format!(
                "The new base is base·s^(d/(d−2)); yours slows the slowest pair by \
                 {slowdown:.4} instead of s = {s}"
            )
        };
        return close_scalar(&what, got, want, tol)
            .map_err(|e| Failure::new(format!("{e} {cause}.")));
    }
    Ok(())
}
