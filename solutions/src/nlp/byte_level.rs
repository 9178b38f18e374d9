//! §2.4 Byte-level tokenizers and Chinese text (字节级分词与中文).
//!
//! A byte-level BPE (GPT-2, Radford et al. 2019; the `ByteLevel` pre-tokenizer of
//! Hugging Face `tokenizers`, and OpenAI's `tiktoken`) starts from the 256 possible bytes of
//! UTF-8 text, so nothing is ever out of vocabulary. The price is paid by scripts whose
//! characters are long in UTF-8: ASCII takes 1 byte, most CJK characters 3 (U+0800 to
//! U+FFFF), and characters beyond U+FFFF 4. A Chinese character whose bytes were never
//! merged during training costs up to 3 tokens.

/// The number of UTF-8 bytes of `text`, counted character by character.
///
/// ```
/// use solutions::nlp::byte_level::utf8_byte_len;
/// assert_eq!(utf8_byte_len("LLM"), 3);
/// assert_eq!(utf8_byte_len("大语言模型"), 15); // 5 characters × 3 bytes
/// ```
// ANCHOR: utf8_byte_len
pub fn utf8_byte_len(text: &str) -> usize {
    // Same as `text.len()`, written per character to show where the bytes come from:
    // 1 byte below U+0080, 2 below U+0800, 3 below U+10000, else 4.
    text.chars().map(char::len_utf8).sum()
}
// ANCHOR_END: utf8_byte_len

/// Characters per token: how much text one token carries. Higher is better: the model
/// sees more text per position of its context and spends fewer decoding steps.
///
/// $$\text{compression ratio} = \frac{\#\text{characters}}{\#\text{tokens}}
///   = \left(\frac{\text{tokens}}{\text{character}}\right)^{-1}$$
///
/// Worked example: "大语言模型" is 5 characters. Left as 15 byte tokens its ratio is
/// 5/15 = 1/3; as 3 tokens (大, 语言, 模型) it is 5/3.
///
/// ```
/// use solutions::nlp::byte_level::compression_ratio;
/// assert_eq!(compression_ratio("大语言模型", 3), 5.0 / 3.0);
/// ```
///
/// # Panics
/// If `tokens` is 0.
// ANCHOR: compression_ratio
pub fn compression_ratio(text: &str, tokens: usize) -> f64 {
    assert!(tokens > 0, "a text with no tokens has no compression ratio");
    // Characters, not bytes: the ratio should say how much *text* a token carries,
    // whatever the script's byte length.
    text.chars().count() as f64 / tokens as f64
}
// ANCHOR_END: compression_ratio

#[cfg(test)]
mod tests;
