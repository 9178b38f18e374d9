//! §2.4: each wrong variant is rejected with the message meant for its mistake.

use crate::nlp::byte_level::*;
use crate::proofs::rejects;
use crate::wrong::nlp::byte_level::*;

#[test]
fn utf8_byte_len_rejects_the_known_mistakes() {
    rejects(check_utf8_byte_len(len_chars), "counted chars, not UTF-8 bytes: 中 is 3 bytes");
    rejects(check_utf8_byte_len(len_utf16), "UTF-16 code units");
    rejects(check_utf8_byte_len(len_three_for_non_ascii), "not every non-ASCII character");
}

#[test]
fn compression_ratio_rejects_the_known_mistakes() {
    rejects(check_compression_ratio(ratio_inverted), "tokens per character inverted");
    rejects(check_compression_ratio(ratio_bytes), "UTF-8 bytes per token");
    rejects(check_compression_ratio(ratio_integer), "done in integers");
}
