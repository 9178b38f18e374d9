//! §2.2 Byte-level BPE (字节级 BPE), as in GPT-2: the alphabet is the 256 bytes.
//!
//! Paper: Radford et al. 2019 (GPT-2), §2.2 "Input Representation"; Sennrich et al.,
//! arXiv 1508.07909, for BPE itself. Hugging Face: the `ByteLevel` pre-tokenizer and
//! decoder with `models::bpe::BPE` (what GPT-2, RoBERTa and LLaMA-3 tokenizers are).
//!
//! Any text is a sequence of UTF-8 bytes, so a byte-level tokenizer never meets an unknown
//! symbol (no OOV, 没有未登录词) and decoding is exact: the bytes of the tokens, concatenated,
//! are the bytes of the text. Symbol id `b` is byte `b` (so the initial alphabet is sorted
//! by byte value), and merge `k` is id `256 + k`.
//!
//! Pre-tokenization (预分词) keeps the space in front of a word *with* the word, as GPT-2
//! does: "the cat" → `the`, ` cat`. Merges never cross a word boundary, and the
//! concatenated words are the text, so nothing is lost. Each whitespace character other
//! than a space that leads a word stands alone (`"a\nb"` → `a`, `\n`, `b`). GPT-2 also
//! splits off punctuation, digits and `'s`-style suffixes with a regex; we do not.

use crate::nlp::bpe::{self, Pair};
use crate::nlp::{corpus, fast_bpe};
use std::collections::HashMap;

/// Which trainer learns the merges: both give identical merges (tested).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trainer {
    /// [`bpe::train_bpe`]: recount every pair for every merge.
    Naive,
    /// [`fast_bpe::train_fast_bpe`]: incremental counts and a lazy heap.
    Fast,
}

impl Trainer {
    /// Runs this trainer on a word-frequency table.
    pub fn merges(self, words: &[(Vec<u32>, u64)], first_id: u32, num_merges: usize) -> Vec<Pair> {
        match self {
            Trainer::Naive => bpe::train_bpe(words, first_id, num_merges),
            Trainer::Fast => fast_bpe::train_fast_bpe(words, first_id, num_merges),
        }
    }
}

/// GPT-2-style words: a new word starts at every whitespace character, and after every
/// whitespace character other than a space. So a single space stays in front of the word
/// it precedes, and `words(text).concat() == text`.
///
/// ```
/// use solutions::nlp::byte_bpe::words;
/// assert_eq!(words("the cat  sat\non"), ["the", " cat", " ", " sat", "\n", "on"]);
/// ```
// ANCHOR: words
pub fn words(text: &str) -> Vec<&str> {
    let mut out = vec![];
    let mut start = 0;
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        let boundary = c.is_whitespace() || prev.is_some_and(|p| p.is_whitespace() && p != ' ');
        if boundary && i > start {
            out.push(&text[start..i]);
            start = i;
        }
        prev = Some(c);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}
// ANCHOR_END: words

/// A trained byte-level BPE tokenizer.
///
/// ```
/// use solutions::nlp::byte_bpe::ByteBpe;
/// let bpe = ByteBpe::train("low lower lowest low low", 256 + 10);
/// let ids = bpe.encode("slower 更低"); // never OOV, even for unseen text
/// assert_eq!(bpe.decode(&ids), "slower 更低");
/// assert!(ids.len() < "slower 更低".len()); // some merges apply
/// ```
#[derive(Clone, Debug)]
pub struct ByteBpe {
    merges: Vec<Pair>,
    table: HashMap<Pair, u32>,
    /// The bytes of each id: 0..256 the bytes themselves, then one entry per merge.
    vocab: Vec<Vec<u8>>,
}

impl ByteBpe {
    /// Trains on the non-empty lines of `text` with the efficient trainer until the
    /// vocabulary holds `vocab_size` tokens (256 bytes + merges), or no pair is left.
    pub fn train(text: &str, vocab_size: usize) -> ByteBpe {
        ByteBpe::train_with(text, vocab_size, Trainer::Fast)
    }

    /// [`ByteBpe::train`] with a chosen trainer.
    pub fn train_with(text: &str, vocab_size: usize, trainer: Trainer) -> ByteBpe {
        let table = bpe::word_counts(corpus::lines(text).flat_map(words));
        let words: Vec<(Vec<u32>, u64)> =
            table.iter().map(|&(w, c)| (w.bytes().map(u32::from).collect(), c)).collect();
        ByteBpe::from_merges(trainer.merges(&words, 256, vocab_size.saturating_sub(256)))
    }

    /// A tokenizer from a list of merges (merge `k` makes id `256 + k`).
    pub fn from_merges(merges: Vec<Pair>) -> ByteBpe {
        let mut vocab: Vec<Vec<u8>> = (0..=255u8).map(|b| vec![b]).collect();
        for &(a, b) in &merges {
            let token = [vocab[a as usize].as_slice(), vocab[b as usize].as_slice()].concat();
            vocab.push(token);
        }
        let table = bpe::merge_table(&merges, 256);
        ByteBpe { merges, table, vocab }
    }

    /// The merges, in the order they were learned.
    pub fn merges(&self) -> &[Pair] {
        &self.merges
    }

    /// 256 + the number of merges.
    pub fn vocab_size(&self) -> usize {
        self.vocab.len()
    }

    /// The bytes of token `id`.
    pub fn token_bytes(&self, id: u32) -> &[u8] {
        &self.vocab[id as usize]
    }

    /// Token ids of `text`: each word's bytes, merged by [`bpe::bpe_encode`].
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let mut ids = vec![];
        for w in words(text) {
            let bytes: Vec<u32> = w.bytes().map(u32::from).collect();
            ids.extend(bpe::bpe_encode(&bytes, &self.table));
        }
        ids
    }

    /// The bytes of the tokens, concatenated.
    pub fn decode_bytes(&self, ids: &[u32]) -> Vec<u8> {
        ids.iter().flat_map(|&id| self.token_bytes(id).iter().copied()).collect()
    }

    /// The text of the tokens. Exact for the ids of any [`ByteBpe::encode`]; a sequence
    /// cut in the middle of a character decodes with U+FFFD in its place.
    pub fn decode(&self, ids: &[u32]) -> String {
        String::from_utf8_lossy(&self.decode_bytes(ids)).into_owned()
    }

    /// Each token of `text` as text, for display. A token that holds only part of a
    /// character's bytes is shown as its bytes, e.g. `<e4 bd>`.
    pub fn pieces(&self, text: &str) -> Vec<String> {
        self.encode(text).iter().map(|&id| self.piece(id)).collect()
    }

    /// Token `id` as text, or as `<hex bytes>` when it is not valid UTF-8 on its own.
    pub fn piece(&self, id: u32) -> String {
        let bytes = self.token_bytes(id);
        match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => {
                let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
                format!("<{}>", hex.join(" "))
            }
        }
    }
}

#[cfg(test)]
mod tests;
