//! Graded suite for §4.7's conversions between fp32 and bf16.
//!
//! Both are checked on the worked examples, then exhaustively where that is cheap: every
//! one of the 65,536 bf16 bit patterns for `from_bf16`; for `to_bf16`, every bf16 value,
//! every exact tie between neighbours and a seeded sample of f32 bit patterns (NaNs,
//! infinities and subnormals included). The library's conversions, which its own tests
//! check against the `half` crate on the same sets, are the reference.

use crate::{Check, Failure};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::training::number_formats::{from_bf16, to_bf16};

/// Why `got` is not `to_bf16(x)`, when the mistake is a known one.
fn diagnose_to_bf16(x: f32, got: u16) -> &'static str {
    let bits = x.to_bits();
    let (top, low) = ((bits >> 16) as u16, bits & 0xFFFF);
    if x.is_nan() && !f32::from_bits((got as u32) << 16).is_nan() {
        if got & 0x7FFF == 0x7F80 {
            return "this NaN became infinity: its payload sits only in the low 16 bits, which \
                    were dropped. Test for NaN first and keep a mantissa bit set";
        }
        return "a NaN must stay a NaN";
    }
    if low == 0x8000 && got == top.wrapping_add(1) && top & 1 == 0 {
        return "at an exact tie you rounded away from zero (half up): a tie goes to the \
                even neighbour, the one whose last bit is 0, so that rounding errors do not \
                lean one way";
    }
    if low != 0 && got == top {
        return "you truncated (dropped the low 16 bits): that always rounds towards zero. \
                Round to the nearest bf16: add one when the low half is above 0x8000";
    }
    if low == 0x8000 && got == top && top & 1 == 1 {
        return "at an exact tie you rounded down, but the top half is odd: a tie goes to \
                the even neighbour, here the one above";
    }
    "round to nearest, ties to even, on the top 16 bits"
}

/// Grades `to_bf16(x) -> u16`.
pub fn check_to_bf16<F: Fn(f32) -> u16>(f: F) -> Check {
    let mut xs: Vec<f32> = [0x3F80_0000u32, 0x3F80_8000, 0x3F81_8000, 0x3F80_8001, 0xC049_0FDB]
        .map(f32::from_bits)
        .into();
    xs.extend([0.0, -0.0, f32::INFINITY, f32::NEG_INFINITY, f32::MAX, f32::NAN, -f32::NAN]);
    // NaNs whose payload is only in the low bits: truncation makes them infinite.
    xs.extend([0x7F80_0001u32, 0xFF80_4000].map(f32::from_bits));
    for b in (0..=u16::MAX as u32).step_by(7) {
        let tie = (b << 16) | 0x8000;
        xs.extend([b << 16, tie - 1, tie, tie + 1].map(f32::from_bits));
    }
    let mut rng = StdRng::seed_from_u64(4701);
    xs.extend((0..20_000).map(|_| f32::from_bits(rng.gen())));
    for x in xs {
        let (got, want) = (f(x), to_bf16(x));
        if got == want || (x.is_nan() && from_bf16(got).is_nan() && got >> 15 == want >> 15) {
            continue;
        }
        return Err(Failure::new(format!(
            "to_bf16({x:e}) (f32 bits {:#010x}) returned {got:#06x}, expected {want:#06x} \
             (= {}): {}.",
            x.to_bits(),
            from_bf16(want),
            diagnose_to_bf16(x, got)
        )));
    }
    Ok(())
}

/// Grades `from_bf16(b) -> f32` on every bit pattern.
pub fn check_from_bf16<F: Fn(u16) -> f32>(f: F) -> Check {
    // The worked examples first, then all 65,536 patterns.
    for b in [0x3F80u16, 0xC049, 0x7F80].into_iter().chain(0..=u16::MAX) {
        let (got, want) = (f(b), from_bf16(b));
        let same = got.to_bits() == want.to_bits()
            || (want.is_nan() && got.is_nan() && got.is_sign_negative() == want.is_sign_negative());
        if same {
            continue;
        }
        let cause = if got == b as f32 {
            "you converted the integer's value; a bf16's bits are the top 16 bits of an f32: \
             reinterpret them, shifted into place"
        } else if got.to_bits() == b as u32 {
            "the 16 bits went into the low half of the f32 (a tiny subnormal): they are its \
             top half, sign and exponent included"
        } else if got.to_bits() == want.to_bits() & 0x7FFF_FFFF {
            "the sign was lost: the bf16's top bit is the f32's sign bit"
        } else {
            "shift the 16 bits into the top half of an f32 and reinterpret"
        };
        return Err(Failure::new(format!(
            "from_bf16({b:#06x}) returned {got:e} (bits {:#010x}), expected {want:e} (bits \
             {:#010x}): {cause}.",
            got.to_bits(),
            want.to_bits()
        )));
    }
    Ok(())
}
