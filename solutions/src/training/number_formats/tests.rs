use super::*;
use half::{bf16, f16};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Same bits, or both NaN with the same sign. Subtle: NaN payloads are not compared for
/// fp16, because `half` converts with the CPU's F16C instructions where it can, and the
/// hardware is free to choose them.
fn same_value(got: u32, want: u32, is_nan: bool, width: u32) -> bool {
    got == want || (is_nan && got >> (width - 1) == want >> (width - 1))
}

/// The values the sampled tests feed the conversions: seeded random bit patterns (which
/// hit NaNs, infinities and subnormals in proportion to their share of bit space) plus
/// the special values by name.
fn sample_f32(n: usize, seed: u64) -> Vec<f32> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut xs: Vec<f32> = (0..n).map(|_| f32::from_bits(rng.gen())).collect();
    // Random values of ordinary size too: uniform bits rarely land between 1e-8 and 1e5.
    xs.extend((0..n).map(|_| rng.gen_range(-8.0f32..8.0) * 10f32.powi(rng.gen_range(-9..6))));
    xs.extend([0.0, -0.0, f32::INFINITY, f32::NEG_INFINITY, f32::NAN, -f32::NAN]);
    xs.extend([f32::MAX, f32::MIN, f32::MIN_POSITIVE, f32::from_bits(1), 65504.0, 65520.0]);
    // NaNs whose payload sits only in the low bits: truncation would make them infinite.
    xs.extend([f32::from_bits(0x7F80_0001), f32::from_bits(0xFF80_8000)]);
    xs
}

#[test]
fn from_bf16_matches_half_on_every_bit_pattern() {
    for b in 0..=u16::MAX {
        let (got, want) = (from_bf16(b), bf16::from_bits(b).to_f32());
        assert!(
            same_value(got.to_bits(), want.to_bits(), want.is_nan(), 32),
            "from_bf16({b:#06x}) = {got} ({:#010x}), half says {want} ({:#010x})",
            got.to_bits(),
            want.to_bits()
        );
    }
}

#[test]
fn from_f16_matches_half_on_every_bit_pattern() {
    for h in 0..=u16::MAX {
        let (got, want) = (from_f16(h), f16::from_bits(h).to_f32());
        assert!(
            same_value(got.to_bits(), want.to_bits(), want.is_nan(), 32),
            "from_f16({h:#06x}) = {got} ({:#010x}), half says {want} ({:#010x}): check the \
             subnormals (exponent field 0) and the re-biasing 15 → 127",
            got.to_bits(),
            want.to_bits()
        );
    }
}

/// Every bf16 value, every exact tie between two neighbouring bf16 values (low half
/// `0x8000`) and the values one bit either side of each tie, plus the seeded sample.
#[test]
fn to_bf16_matches_half_on_every_tie_and_a_seeded_sample() {
    let mut xs = sample_f32(500_000, 47);
    for b in 0..=u16::MAX as u32 {
        let tie = (b << 16) | 0x8000;
        xs.extend([b << 16, tie - 1, tie, tie + 1].map(f32::from_bits));
    }
    let mut ties = 0;
    for x in xs {
        let (got, want) = (to_bf16(x), bf16::from_f32(x).to_bits());
        // bf16 has no hardware path in `half`: NaN payloads must agree too.
        assert_eq!(
            got,
            want,
            "to_bf16({x:e}) (bits {:#010x}): got {got:#06x}, half says {want:#06x}",
            x.to_bits()
        );
        ties += (x.to_bits() & 0xFFFF == 0x8000 && !x.is_nan()) as usize;
    }
    assert!(ties > 60_000, "only {ties} exact ties were tested");
}

#[test]
fn to_f16_matches_half_on_every_tie_and_a_seeded_sample() {
    let mut xs = sample_f32(500_000, 48);
    for h in 0..0x7C00u16 {
        // Both signs, each fp16 value, and the exact midpoint to the next one (exact in
        // f32: it needs only one bit more than fp16), with a neighbour either side.
        for sign in [1.0f64, -1.0] {
            // Above 65504 the next value would be 2^16, which fp16 lacks: the tie at 65520
            // rounds to the even mantissa, i.e. to infinity.
            let next = if h + 1 == 0x7C00 { 65536.0 } else { from_f16(h + 1) as f64 };
            let (lo, hi) = (from_f16(h) as f64, next);
            let mid = (sign * (lo + hi) / 2.0) as f32;
            assert_eq!(mid as f64, sign * (lo + hi) / 2.0, "the midpoint after {h:#06x}");
            let up = f32::from_bits(mid.to_bits() + 1);
            let down = f32::from_bits(mid.to_bits().saturating_sub(1));
            xs.extend([(sign * lo) as f32, mid, up, down]);
        }
    }
    for x in xs {
        let (got, want) = (to_f16(x), f16::from_f32(x).to_bits());
        assert!(
            same_value(got as u32, want as u32, x.is_nan(), 16),
            "to_f16({x:e}) (bits {:#010x}): got {got:#06x}, half says {want:#06x}",
            x.to_bits()
        );
    }
}

/// Worked cases of the rounding rule, by hand.
#[test]
fn ties_go_to_even_and_nan_stays_nan() {
    // fp16 around 1: the gap is 2^-10. 1 + 2^-11 is a tie: down to 1 (even mantissa 0).
    assert_eq!(to_f16(1.0 + 2f32.powi(-11)), 0x3C00);
    // 1 + 3·2^-11 is a tie between mantissas 1 and 2: up to the even 2.
    assert_eq!(to_f16(1.0 + 3.0 * 2f32.powi(-11)), 0x3C02);
    // The smallest fp16 subnormal is 2^-24; 2^-25 is a tie with 0 and goes to 0.
    assert_eq!(to_f16(2f32.powi(-25)), 0x0000);
    assert_eq!(to_f16(1.5 * 2f32.powi(-25)), 0x0001);
    // A NaN with its payload in the low bits is still a NaN, in both formats.
    let low_nan = f32::from_bits(0x7F80_0001);
    assert!(from_bf16(to_bf16(low_nan)).is_nan() && from_f16(to_f16(low_nan)).is_nan());
    assert_eq!(to_bf16(-f32::INFINITY), 0xFF80);
}

/// The table's numbers against `half`'s and Rust's constants: a second source for each.
#[test]
fn the_formats_range_and_precision_match_the_constants() {
    let check = |f: Format, max: f64, normal: f64, sub: f64, eps: f64| {
        assert_eq!(f.max(), max, "{} largest finite", f.name);
        assert_eq!(f.min_normal(), normal, "{} smallest normal", f.name);
        assert_eq!(f.min_subnormal(), sub, "{} smallest subnormal", f.name);
        assert_eq!(f.epsilon(), eps, "{} epsilon", f.name);
    };
    let sub32 = f32::from_bits(1) as f64;
    check(FP32, f32::MAX as f64, f32::MIN_POSITIVE as f64, sub32, f32::EPSILON as f64);
    let h = |x: f16| x.to_f64();
    check(FP16, h(f16::MAX), h(f16::MIN_POSITIVE), h(f16::MIN_POSITIVE_SUBNORMAL), h(f16::EPSILON));
    let b = |x: bf16| x.to_f64();
    check(
        BF16,
        b(bf16::MAX),
        b(bf16::MIN_POSITIVE),
        b(bf16::MIN_POSITIVE_SUBNORMAL),
        b(bf16::EPSILON),
    );
    // The page's claims: fp16 stops at 65504; bf16 reaches 99.6 % of fp32's maximum.
    assert_eq!(FP16.max(), 65504.0);
    assert!(approx::abs_diff_eq!(BF16.max() / FP32.max(), 0.996, epsilon = 1e-3));
    assert_eq!(round_through_f16(70000.0), f32::INFINITY);
    assert!(round_through_bf16(1e38).is_finite());
    // And bf16's 7 mantissa bits: 1/128 relative gap, 8 times fp16's.
    assert_eq!(BF16.epsilon() / FP16.epsilon(), 8.0);
}

/// [`Format::spacing`] (the figure's curve) against the gap to the next bit pattern, on
/// every positive finite fp16 and bf16, and on sampled fp32 values.
#[test]
fn spacing_is_the_gap_to_the_next_value() {
    for bits in 0..0x7BFFu16 {
        let x = from_f16(bits) as f64;
        assert_eq!(FP16.spacing(x), from_f16(bits + 1) as f64 - x, "fp16 at {x:e}");
    }
    for bits in 0..0x7F7Fu16 {
        let x = from_bf16(bits) as f64;
        assert_eq!(BF16.spacing(x), from_bf16(bits + 1) as f64 - x, "bf16 at {x:e}");
    }
    let mut rng = StdRng::seed_from_u64(49);
    for _ in 0..10_000 {
        let x: f32 = f32::from_bits(rng.gen_range(0..0x7F7F_FFFF));
        let next = f32::from_bits(x.to_bits() + 1) as f64;
        assert_eq!(FP32.spacing(x as f64), next - x as f64, "fp32 at {x:e}");
    }
}

/// The page shows [`format_table`]'s output verbatim.
#[test]
fn the_page_shows_the_generated_table() {
    let page = include_str!("../../../../chapters/04-training/07-number-formats.md");
    let table = format_table();
    assert!(
        page.contains(&table),
        "chapters/04-training/07-number-formats.md must contain format_table()'s output:\n{table}"
    );
    print!("{table}");
}
