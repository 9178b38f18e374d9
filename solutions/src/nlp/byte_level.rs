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
/// # Panics
/// If `tokens` is 0.
pub fn compression_ratio(text: &str, tokens: usize) -> f64 {
    assert!(tokens > 0, "a text with no tokens has no compression ratio");
    text.chars().count() as f64 / tokens as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_by_script() {
        assert_eq!(utf8_byte_len("a"), 1);
        assert_eq!(utf8_byte_len("é"), 2);
        assert_eq!(utf8_byte_len("中"), 3);
        assert_eq!(utf8_byte_len("😀"), 4);
        // Agrees with the standard library's byte length on mixed text.
        let mixed = "Hello, 世界! Ünïcødé 😀";
        assert_eq!(utf8_byte_len(mixed), mixed.len());
    }

    #[test]
    fn untrained_bytes_cost_three_tokens_per_chinese_character() {
        // With no merges, a byte-level tokenizer emits one token per byte.
        let text = "大语言模型";
        assert_eq!(compression_ratio(text, utf8_byte_len(text)), 1.0 / 3.0);
        assert_eq!(compression_ratio("model", utf8_byte_len("model")), 1.0);
    }
}
