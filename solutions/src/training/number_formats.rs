//! §4.7 Number formats: fp32, fp16, bf16 (数值精度：fp32、fp16 与 bf16).
//!
//! Standards and papers: IEEE 754-2008 (binary32, binary16); bfloat16 from Google Brain's
//! TPUs (Kalamkar et al. 2019, "A Study of BFLOAT16 for Deep Learning Training", arXiv
//! 1905.12322, §2); mixed precision with fp16 and loss scaling from Micikevicius et al.
//! 2017, "Mixed Precision Training", arXiv 1710.03740, §3 (see [`super::loss_scaling`]).
//! PyTorch: `x.to(torch.bfloat16)` / `x.half()` (c10's `round_to_nearest_even` and
//! `fp16_ieee_from_fp32_value`), `torch.finfo(torch.float16)` for the table below; Rust:
//! the `half` crate (`half::bf16::from_f32`, `half::f16::from_f32`), which the tests use as
//! the reference on every 16-bit pattern.
//!
//! All three formats are sign · 2^exponent · 1.mantissa. fp32 has 8 exponent bits and 23
//! mantissa bits; bf16 keeps the 8 exponent bits and only 7 mantissa bits (it *is* the top
//! half of an fp32), so it has fp32's range with 2–3 decimal digits; fp16 has 5 exponent
//! bits and 10 mantissa bits: more precision than bf16, but nothing above 65504 and
//! nothing below 6·10⁻⁸.

/// A binary floating-point format: how many bits its exponent and its mantissa (without
/// the implicit leading 1) have. The sign takes one more bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    pub name: &'static str,
    pub exponent_bits: u32,
    pub mantissa_bits: u32,
}

/// IEEE 754 binary32.
pub const FP32: Format = Format { name: "fp32", exponent_bits: 8, mantissa_bits: 23 };
/// IEEE 754 binary16.
pub const FP16: Format = Format { name: "fp16", exponent_bits: 5, mantissa_bits: 10 };
/// Brain floating point: fp32's exponent, 7 mantissa bits.
pub const BF16: Format = Format { name: "bf16", exponent_bits: 8, mantissa_bits: 7 };

impl Format {
    /// The exponent bias, 2^(e−1) − 1: 127 for fp32 and bf16, 15 for fp16.
    pub fn bias(&self) -> i32 {
        (1 << (self.exponent_bits - 1)) - 1
    }
    /// The largest exponent of a finite number (the all-ones exponent is inf and NaN).
    pub fn max_exponent(&self) -> i32 {
        self.bias()
    }
    /// The smallest exponent of a normal number, 1 − bias.
    pub fn min_exponent(&self) -> i32 {
        1 - self.bias()
    }
    /// The largest finite value, (2 − 2^−m) · 2^emax: 65504 for fp16.
    pub fn max(&self) -> f64 {
        (2.0 - (-(self.mantissa_bits as f64)).exp2()) * (self.max_exponent() as f64).exp2()
    }
    /// The smallest positive normal value, 2^emin.
    pub fn min_normal(&self) -> f64 {
        (self.min_exponent() as f64).exp2()
    }
    /// The smallest positive subnormal value, 2^(emin − m).
    pub fn min_subnormal(&self) -> f64 {
        ((self.min_exponent() - self.mantissa_bits as i32) as f64).exp2()
    }
    /// The machine epsilon: the gap between 1 and the next value, 2^−m.
    pub fn epsilon(&self) -> f64 {
        (-(self.mantissa_bits as f64)).exp2()
    }
    /// The gap between `x` (finite, within range) and the next representable value of the
    /// same sign: 2^(max(e, emin) − m), where e = ⌊log₂|x|⌋. Constant across the
    /// subnormals, doubling at every power of two above them.
    pub fn spacing(&self, x: f64) -> f64 {
        let e = if x == 0.0 { self.min_exponent() } else { x.abs().log2().floor() as i32 };
        ((e.max(self.min_exponent()) - self.mantissa_bits as i32) as f64).exp2()
    }
}

/// Shifts `x` right by `shift` bits, rounding to nearest and ties to even: the rounding
/// every conversion below uses, IEEE 754's default.
fn shift_round_even(x: u32, shift: u32) -> u32 {
    if shift == 0 {
        return x;
    }
    if shift >= 32 {
        // Only the fp16 subnormal path shifts this far, with x < 2^24: far below half.
        return 0;
    }
    let (quotient, rest, half) = (x >> shift, x & ((1 << shift) - 1), 1u32 << (shift - 1));
    // Subtle: a tie (rest == half exactly) goes to the even neighbour, so that rounding
    // errors do not all lean the same way; "round half up" drifts upwards on average.
    if rest > half || (rest == half && quotient & 1 == 1) {
        quotient + 1
    } else {
        quotient
    }
}

/// fp32 → bf16, round to nearest, ties to even: the bits of the nearest bf16.
///
/// bf16 is the top 16 bits of an fp32, so the conversion rounds away the low 16 bits.
/// Worked example: 1 + 2⁻⁸ (bits `0x3F80_8000`) lies exactly half-way between 1
/// (`0x3F80`) and 1 + 2⁻⁷ (`0x3F81`): the tie goes to the even one, `0x3F80`; one more bit,
/// `0x3F80_8001`, is past the half and rounds up to `0x3F81`. 1 + 3·2⁻⁸ (`0x3F81_8000`) is
/// a tie between `0x3F81` and `0x3F82` and goes up, to the even `0x3F82`.
///
/// ```
/// use solutions::training::number_formats::to_bf16;
/// assert_eq!(to_bf16(1.0), 0x3F80);
/// assert_eq!(to_bf16(f32::from_bits(0x3F80_8000)), 0x3F80); // tie, down to even
/// assert_eq!(to_bf16(f32::from_bits(0x3F81_8000)), 0x3F82); // tie, up to even
/// assert_eq!(to_bf16(f32::from_bits(0x3F80_8001)), 0x3F81); // past the half: up
/// assert_eq!(to_bf16(f32::MAX), 0x7F80); // rounds up to +inf
/// ```
// ANCHOR: to_bf16
pub fn to_bf16(x: f32) -> u16 {
    let bits = x.to_bits();
    if x.is_nan() {
        // Subtle: a NaN whose payload sits only in the low 16 bits would truncate to the
        // bits of infinity. Keep the sign and the top of the payload and set the quiet
        // bit, so it stays a NaN (as `half` and the hardware do).
        return ((bits >> 16) | 0x0040) as u16;
    }
    // The sign bit rides along: rounding the magnitude is symmetric, and a carry out of
    // the largest finite value gives the all-ones exponent, i.e. infinity, as it should.
    shift_round_even(bits, 16) as u16
}
// ANCHOR_END: to_bf16

/// bf16 → fp32: exact, since every bf16 is an fp32 whose low 16 bits are zero.
///
/// ```
/// use solutions::training::number_formats::from_bf16;
/// assert_eq!(from_bf16(0x3F80), 1.0);
/// assert_eq!(from_bf16(0xC049), -3.140625); // −π to 3 significant digits
/// assert_eq!(from_bf16(0x7F80), f32::INFINITY);
/// ```
// ANCHOR: from_bf16
pub fn from_bf16(b: u16) -> f32 {
    f32::from_bits((b as u32) << 16)
}
// ANCHOR_END: from_bf16

/// fp32 → fp16, round to nearest, ties to even, with fp16's subnormals; above 65519.99…
/// the result is infinity (65520 is the half-way point to the next, missing, value 2^16).
///
/// ```
/// use solutions::training::number_formats::to_f16;
/// assert_eq!(to_f16(1.0), 0x3C00);
/// assert_eq!(to_f16(65504.0), 0x7BFF); // the largest fp16
/// assert_eq!(to_f16(65520.0), 0x7C00); // a tie with 2^16: to even, which is infinity
/// assert_eq!(to_f16(1e-8), 0x0000); // below half the smallest subnormal: flushed
/// ```
// ANCHOR: to_f16
pub fn to_f16(x: f32) -> u16 {
    let bits = x.to_bits();
    let sign = ((bits >> 16) & 0x8000) as u16;
    let magnitude = bits & 0x7FFF_FFFF;
    let mantissa = bits & 0x007F_FFFF;
    if x.is_nan() {
        return sign | 0x7E00 | (mantissa >> 13) as u16;
    }
    if x.is_infinite() {
        return sign | 0x7C00;
    }
    let exponent = (magnitude >> 23) as i32 - FP32.bias();
    let rounded = if exponent >= FP16.min_exponent() {
        // Normal in fp16: re-bias the exponent in place (subtract 127 − 15 from the
        // exponent field) and round the 23-bit mantissa to 10 bits. A carry out of the
        // mantissa correctly bumps the exponent.
        let rebiased = magnitude - (((FP32.bias() - FP16.bias()) as u32) << 23);
        shift_round_even(rebiased, 23 - 10).min(0x7C00)
    } else {
        // Subnormal in fp16: the value is m · 2^−24 with m < 2^10. With the implicit 1
        // restored, x = (2^23 + mantissa) · 2^(e − 23), so m = that integer · 2^(e + 1).
        let full = mantissa | 0x0080_0000;
        shift_round_even(full, (-1 - exponent) as u32)
    };
    sign | rounded as u16
}
// ANCHOR_END: to_f16

/// fp16 → fp32: exact (fp32 has more of both exponent and mantissa bits).
///
/// ```
/// use solutions::training::number_formats::from_f16;
/// assert_eq!(from_f16(0x7BFF), 65504.0);
/// assert_eq!(from_f16(0x0001), 2f32.powi(-24)); // the smallest subnormal
/// ```
pub fn from_f16(h: u16) -> f32 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exponent = ((h >> 10) & 0x1F) as i32;
    let mantissa = (h & 0x3FF) as u32;
    match exponent {
        // Subnormal (and zero): m · 2^−24, exact in fp32 (a power-of-two product).
        0 => sign * mantissa as f32 * 2f32.powi(FP16.min_exponent() - 10),
        0x1F if mantissa == 0 => sign * f32::INFINITY,
        // Quiet the NaN and keep its payload at the top of fp32's mantissa.
        0x1F => f32::from_bits(((h as u32 & 0x8000) << 16) | 0x7FC0_0000 | (mantissa << 13)),
        _ => {
            let e = (exponent - FP16.bias() + FP32.bias()) as u32;
            f32::from_bits(((h as u32 & 0x8000) << 16) | (e << 23) | (mantissa << 13))
        }
    }
}

/// Rounds an f32 through a 16-bit format and back: what storing it costs.
pub fn round_through_bf16(x: f32) -> f32 {
    from_bf16(to_bf16(x))
}

/// Rounds an f32 through fp16 and back.
pub fn round_through_f16(x: f32) -> f32 {
    from_f16(to_f16(x))
}

/// The §4.7 table: one row per format, every number computed from [`Format`].
pub fn format_table() -> String {
    let mut out = String::from(
        "| format | sign · exponent · mantissa bits | largest finite | smallest normal \
         | smallest subnormal | epsilon (gap after 1) | decimal digits |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for f in [FP32, FP16, BF16] {
        out += &format!(
            "| {} | 1 · {} · {} | {:.4e} | {:.4e} | {:.4e} | {:.4e} | {:.1} |\n",
            f.name,
            f.exponent_bits,
            f.mantissa_bits,
            f.max(),
            f.min_normal(),
            f.min_subnormal(),
            f.epsilon(),
            // Digits of precision: log10 of 2^(m+1), counting the implicit bit.
            (f.mantissa_bits as f64 + 1.0) * 2f64.log10(),
        );
    }
    out
}

#[cfg(test)]
mod tests;
