//! §2.4 Extending a byte-level vocabulary for Chinese (扩充中文词表): the experiment.
//!
//! Paper: Cui, Yang and Yao, *Efficient and Effective Text Encoding for Chinese LLaMA and
//! Alpaca*, 2023, arXiv 2304.08177. LLaMA's 32,000-token SentencePiece vocabulary was
//! learned mostly from Latin-script text and falls back to UTF-8 bytes for most Chinese
//! characters; Chinese-LLaMA added 20,000 Chinese tokens (49,953 in all), which roughly
//! halved the number of tokens of Chinese text. Hugging Face: `BpeTrainer` with
//! `ByteLevel` pre-tokenization, trained on the two corpora, then
//! `model.resize_token_embeddings(len(tokenizer))` after merging the vocabularies.
//!
//! Here the same effect, small: one byte-level BPE ([`ByteBpe`], §2.2) trained on the
//! English half of the corpus only, one trained on English and Chinese, both with the same
//! vocabulary size, measured on held-out lines of each language.

use crate::nlp::byte_bpe::ByteBpe;
use crate::nlp::byte_level::utf8_byte_len;
use crate::nlp::tokenization::{split_lines, HELD_OUT_EVERY};

/// The vocabulary size of both tokenizers: 256 bytes + 2,000 merges.
pub const VOCAB_SIZE: usize = 256 + 2000;

/// A tokenizer on a set of held-out lines: totals over the lines.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cost {
    pub chars: usize,
    pub bytes: usize,
    pub tokens: usize,
}

impl Cost {
    /// Encodes each line (a line is never merged with the next) and adds up.
    pub fn measure(bpe: &ByteBpe, lines: &[&str]) -> Cost {
        let text = lines.concat();
        let tokens = lines.iter().map(|l| bpe.encode(l).len()).sum();
        Cost { chars: text.chars().count(), bytes: utf8_byte_len(&text), tokens }
    }

    /// Tokens per character: 3 for CJK text left as bytes, 1 for one token per character.
    pub fn tokens_per_char(&self) -> f64 {
        1.0 / self.compression()
    }

    /// Characters per token: [`compression_ratio`](crate::nlp::byte_level::compression_ratio)
    /// of the lines and their token count.
    pub fn compression(&self) -> f64 {
        self.chars as f64 / self.tokens as f64
    }

    /// UTF-8 bytes per character of the text itself: the ceiling of tokens per character
    /// for a byte-level tokenizer whose merges never apply.
    pub fn bytes_per_char(&self) -> f64 {
        self.bytes as f64 / self.chars as f64
    }
}

/// The experiment's result: each tokenizer on held-out English and Chinese lines.
#[derive(Clone, Debug, PartialEq)]
pub struct Extension {
    pub vocab_size: usize,
    pub english_only: (Cost, Cost),
    pub bilingual: (Cost, Cost),
}

/// Trains a byte-level BPE of `vocab_size` tokens on the training lines of `english`, and
/// another on the training lines of `english` and `chinese` together; measures both on
/// the held-out lines of each (every [`HELD_OUT_EVERY`]-th line). Returns the costs as
/// (English, Chinese) pairs.
// ANCHOR: extension
pub fn extension(english: &str, chinese: &str, vocab_size: usize) -> Extension {
    let (en_train, en_held) = split_lines(english, HELD_OUT_EVERY);
    let (zh_train, zh_held) = split_lines(chinese, HELD_OUT_EVERY);
    let english_only = ByteBpe::train(&en_train.join("\n"), vocab_size);
    // Same budget of merges: the Chinese merges have to displace English ones.
    let bilingual = ByteBpe::train(&[en_train, zh_train].concat().join("\n"), vocab_size);
    let costs = |bpe: &ByteBpe| (Cost::measure(bpe, &en_held), Cost::measure(bpe, &zh_held));
    Extension { vocab_size, english_only: costs(&english_only), bilingual: costs(&bilingual) }
}
// ANCHOR_END: extension

/// The experiment on the embedded corpus at [`VOCAB_SIZE`].
pub fn on_the_corpus() -> Extension {
    use crate::nlp::corpus::{CHINESE, ENGLISH};
    extension(ENGLISH, CHINESE, VOCAB_SIZE)
}

/// The vocabulary sizes of the §2.4 figure: 256 bytes plus 0 to 4,000 merges.
pub const CURVE_SIZES: [usize; 6] = [256, 256 + 250, 256 + 500, 256 + 1000, 256 + 2000, 256 + 4000];

/// [`extension`] at each vocabulary size of [`CURVE_SIZES`], on the embedded corpus.
pub fn curve_on_the_corpus() -> Vec<Extension> {
    use crate::nlp::corpus::{CHINESE, ENGLISH};
    CURVE_SIZES.iter().map(|&v| extension(ENGLISH, CHINESE, v)).collect()
}

#[cfg(test)]
mod tests;
