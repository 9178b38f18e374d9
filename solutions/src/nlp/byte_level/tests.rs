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
