//! §2.4: plausible wrong byte lengths and compression ratios.

/// Characters, not bytes.
pub fn len_chars(text: &str) -> usize {
    text.chars().count()
}

/// UTF-16 code units.
pub fn len_utf16(text: &str) -> usize {
    text.encode_utf16().count()
}

/// 1 byte for ASCII, 3 for everything else.
pub fn len_three_for_non_ascii(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 3 }).sum()
}

/// Tokens per character.
pub fn ratio_inverted(text: &str, tokens: usize) -> f64 {
    tokens as f64 / text.chars().count() as f64
}

/// Bytes per token.
pub fn ratio_bytes(text: &str, tokens: usize) -> f64 {
    text.len() as f64 / tokens as f64
}

/// Integer division.
pub fn ratio_integer(text: &str, tokens: usize) -> f64 {
    (text.chars().count() / tokens) as f64
}
