//! §3.5 From corpus to token stream: the two tokenizations a training run can use (词表).
//!
//! Character level, as nanoGPT's `data/shakespeare_char/prepare.py`: the vocabulary is the
//! sorted set of distinct characters of the text (`chars = sorted(list(set(data)))`), and a
//! character's id is its rank. Or the chapter-2 byte-level BPE
//! ([`crate::nlp::byte_bpe::ByteBpe`], GPT-2's scheme), trained on the same corpus. Hugging
//! Face: a character vocabulary is a `WordLevel` model over single characters; the BPE is
//! `ByteLevel` + `BPE`.
//!
//! The choice is a trade: characters give a tiny vocabulary (about 65 for Shakespeare, a
//! few thousand with Chinese) and long sequences; BPE gives fewer, longer tokens, so the
//! same context window sees more text, at the price of a larger embedding and LM head.

use crate::nlp::bpe::Pair;
use crate::nlp::byte_bpe::ByteBpe;
use std::fmt;

/// A character-level vocabulary: the distinct characters of a text, sorted by code point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharVocab {
    chars: Vec<char>,
}

/// A character that is not in the vocabulary (only possible for text other than the corpus
/// the vocabulary was built from, such as a prompt).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownChar(pub char);

impl fmt::Display for UnknownChar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "character {:?} (U+{:04X}) is not in the vocabulary", self.0, self.0 as u32)
    }
}

impl std::error::Error for UnknownChar {}

impl CharVocab {
    /// nanoGPT's `sorted(list(set(text)))`.
    ///
    /// Worked example: `"hello"` has the characters `e h l o` (sorted), so `h` is 1, `e` 0,
    /// `l` 2, `o` 3, and `"hello"` encodes to `[1, 0, 2, 2, 3]`.
    pub fn from_text(text: &str) -> CharVocab {
        let mut chars: Vec<char> = text.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        CharVocab { chars }
    }

    /// The characters, id order.
    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    pub fn vocab_size(&self) -> usize {
        self.chars.len()
    }

    /// The id of every character of `text`.
    pub fn encode(&self, text: &str) -> Result<Vec<u32>, UnknownChar> {
        // The vocabulary is sorted, so a binary search finds a character's rank.
        text.chars()
            .map(|c| self.chars.binary_search(&c).map(|i| i as u32).map_err(|_| UnknownChar(c)))
            .collect()
    }

    /// The characters of `ids`. Panics on an id outside the vocabulary.
    pub fn decode(&self, ids: &[u32]) -> String {
        ids.iter().map(|&i| self.chars[i as usize]).collect()
    }
}

/// The tokenizer of a training run.
#[derive(Debug, Clone)]
pub enum Tokenizer {
    Char(CharVocab),
    ByteBpe(ByteBpe),
}

/// What a checkpoint stores to rebuild the [`Tokenizer`] without the corpus: the characters,
/// or the merges.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TokenizerSpec {
    Char { chars: String },
    ByteBpe { merges: Vec<Pair> },
}

impl Tokenizer {
    /// Character-level vocabulary of `text`.
    pub fn chars(text: &str) -> Tokenizer {
        Tokenizer::Char(CharVocab::from_text(text))
    }

    /// Byte-level BPE trained on `text` up to `vocab_size` tokens (256 bytes + merges).
    pub fn byte_bpe(text: &str, vocab_size: usize) -> Tokenizer {
        Tokenizer::ByteBpe(ByteBpe::train(text, vocab_size))
    }

    pub fn vocab_size(&self) -> usize {
        match self {
            Tokenizer::Char(v) => v.vocab_size(),
            Tokenizer::ByteBpe(b) => b.vocab_size(),
        }
    }

    /// Token ids of `text`. Only a character vocabulary can fail (an unseen character);
    /// byte-level BPE encodes anything.
    pub fn encode(&self, text: &str) -> Result<Vec<u32>, UnknownChar> {
        match self {
            Tokenizer::Char(v) => v.encode(text),
            Tokenizer::ByteBpe(b) => Ok(b.encode(text)),
        }
    }

    pub fn decode(&self, ids: &[u32]) -> String {
        match self {
            Tokenizer::Char(v) => v.decode(ids),
            Tokenizer::ByteBpe(b) => b.decode(ids),
        }
    }

    pub fn spec(&self) -> TokenizerSpec {
        match self {
            Tokenizer::Char(v) => TokenizerSpec::Char { chars: v.chars.iter().collect() },
            Tokenizer::ByteBpe(b) => TokenizerSpec::ByteBpe { merges: b.merges().to_vec() },
        }
    }

    /// Rebuilds the tokenizer a checkpoint was trained with.
    pub fn from_spec(spec: &TokenizerSpec) -> Tokenizer {
        match spec {
            // `from_text` sorts and dedups again, so a hand-edited spec cannot break ids'
            // order assumption (binary search).
            TokenizerSpec::Char { chars } => Tokenizer::chars(chars),
            TokenizerSpec::ByteBpe { merges } => {
                Tokenizer::ByteBpe(ByteBpe::from_merges(merges.clone()))
            }
        }
    }
}

#[cfg(test)]
mod tests;
