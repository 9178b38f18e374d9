//! §4.7: plausible wrong conversions between fp32 and bf16.

/// Keeps the top 16 bits: rounds towards zero, and turns some NaNs into infinities.
pub fn to_bf16_truncate(x: f32) -> u16 {
    (x.to_bits() >> 16) as u16
}
/// Rounds half up (ties away from zero in magnitude), but keeps NaNs NaN.
pub fn to_bf16_ties_away(x: f32) -> u16 {
    if x.is_nan() {
        return solutions::training::number_formats::to_bf16(x);
    }
    ((x.to_bits() + 0x8000) >> 16) as u16
}
/// Rounds to nearest even correctly, but lets a low-payload NaN become infinity.
pub fn to_bf16_nan_to_inf(x: f32) -> u16 {
    let b = x.to_bits();
    let (top, low) = (b >> 16, b & 0xFFFF);
    let up = low > 0x8000 || (low == 0x8000 && top & 1 == 1);
    (top + up as u32) as u16
}

/// The integer's value, not its bits.
pub fn from_bf16_value(b: u16) -> f32 {
    b as f32
}
/// The bits in the low half.
pub fn from_bf16_no_shift(b: u16) -> f32 {
    f32::from_bits(b as u32)
}
/// The sign bit masked off.
pub fn from_bf16_unsigned(b: u16) -> f32 {
    f32::from_bits(((b & 0x7FFF) as u32) << 16)
}
