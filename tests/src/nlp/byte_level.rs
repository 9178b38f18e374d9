//! Graded suite for §2.4: UTF-8 byte lengths and the compression ratio.
//!
//! The byte length is checked on one character from each UTF-8 length class (1, 2, 3 and
//! 4 bytes) and on mixed text; a wrong length is matched against counting characters,
//! counting UTF-16 code units, and "3 bytes for anything non-ASCII". The compression ratio
//! is checked against characters per token, with the inversion, bytes in place of
//! characters, and integer division recognised.

use crate::compare::Tol;
use crate::{Check, Failure};

/// The byte length from the UTF-8 definition rather than from `str::len`.
fn reference_len(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0..=0x7F => 1,
            0x80..=0x7FF => 2,
            0x800..=0xFFFF => 3,
            _ => 4,
        })
        .sum()
}

/// Grades `utf8_byte_len(text)`.
pub fn check_utf8_byte_len<F>(f: F) -> Check
where
    F: Fn(&str) -> usize,
{
    let texts = ["LLM", "中", "大语言模型", "é", "😀", "", "naïve 分词 🤖!", "Straße", "ｱｲｳ"];
    let got: Vec<usize> = texts.iter().map(|t| f(t)).collect();
    let Some(i) = (0..texts.len()).find(|&i| got[i] != reference_len(texts[i])) else {
        return Ok(());
    };
    // Subtle: on "中" counting chars and counting UTF-16 units agree, so the mistake is
    // recognised by the model that fits every text, not just the first wrong one.
    let fits = |model: fn(&str) -> usize| texts.iter().zip(&got).all(|(t, &g)| model(t) == g);
    let cause = if fits(|t| t.chars().count()) {
        "counted chars, not UTF-8 bytes: 中 is 3 bytes (U+0800 to U+FFFF take 3), é is 2 and \
         😀 is 4; only ASCII is 1 byte per character"
    } else if fits(|t| t.encode_utf16().count()) {
        "that is the number of UTF-16 code units (what a Java or JavaScript string length \
         gives). UTF-8 uses 1 byte below U+0080, 2 below U+0800, 3 below U+10000, else 4"
    } else if fits(|t| t.chars().map(|c| if c.is_ascii() { 1 } else { 3 }).sum()) {
        "not every non-ASCII character is 3 bytes: é (U+00E9) takes 2 and 😀 (U+1F600) takes \
         4; 3 bytes is the range U+0800 to U+FFFF, where the common CJK characters live"
    } else {
        "UTF-8 uses 1 byte below U+0080, 2 below U+0800, 3 below U+10000, else 4 \
         (`char::len_utf8`)"
    };
    Err(Failure::new(format!(
        "utf8_byte_len({:?}) is {}, expected {} ({} characters): {cause}.",
        texts[i],
        got[i],
        reference_len(texts[i]),
        texts[i].chars().count()
    )))
}

/// Grades `compression_ratio(text, tokens)`.
pub fn check_compression_ratio<F>(f: F) -> Check
where
    F: Fn(&str, usize) -> f64,
{
    let tol = Tol { abs: 1e-12, rel: 1e-12 };
    let cases = [
        ("大语言模型", 3),
        ("大语言模型", 15),
        ("hello world", 4),
        ("model", 1),
        ("分词 is tokenization", 7),
    ];
    for (text, tokens) in cases {
        let got = f(text, tokens);
        let chars = text.chars().count();
        let want = chars as f64 / tokens as f64;
        if tol.allows(got, want) {
            continue;
        }
        let cause = if tol.allows(got, tokens as f64 / chars as f64) {
            format!(
                "tokens per character inverted: that is {tokens} tokens / {chars} characters. \
                 The compression ratio is characters per token, higher when each token \
                 carries more text"
            )
        } else if tol.allows(got, text.len() as f64 / tokens as f64) {
            format!(
                "that is UTF-8 bytes per token ({} bytes). The ratio counts characters: \
                 {text:?} has {chars}",
                text.len()
            )
        } else if tol.allows(got, (chars / tokens) as f64) {
            "the division was done in integers and truncated: convert to f64 first".to_string()
        } else {
            format!("{text:?} has {chars} characters, split into {tokens} tokens")
        };
        return Err(Failure::new(format!(
            "compression_ratio({text:?}, {tokens}) is {got}, expected {want}: {cause}."
        )));
    }
    Ok(())
}
