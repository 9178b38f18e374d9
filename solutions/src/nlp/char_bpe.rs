//! §2.2 Character-level BPE with an end-of-word marker (词尾标记 `</w>`), as in the paper.
//!
//! Paper: Sennrich, Haddow and Birch, arXiv 1508.07909, §3.2. Their reference code,
//! subword-nmt, and Hugging Face's `BpeTrainer::end_of_word_suffix("</w>")` (used by the
//! original GPT and CLIP tokenizers) attach the marker to a word's last character.
//!
//! The marker lets a merge know where a word ends: `est</w>` (a suffix, as in "lowest")
//! and `est` (as in "estimate") become different tokens, and decoding knows where to put
//! the spaces back. The paper's Algorithm 1 writes `</w>` as a symbol of its own
//! ("l o w </w>"); attached to the last character ("l o w</w>"), it saves one symbol per
//! word and one merge per word-final token, and the learned tokens are the same strings.
//! The price: the alphabet holds `x` and `x</w>` for each character that ends a word.
//!
//! Ids: the characters sorted by code point, then the `x</w>` symbols sorted by `x`, then
//! `</w>` alone, then the merges in order, then 256 byte-fallback tokens `<0xNN>`.
//! Unseen characters are spelled in UTF-8 bytes (byte fallback, 字节回退, as SentencePiece
//! does for LLaMA) rather than mapped to `[UNK]`, so decoding is exact for any text. A word
//! whose last character has no `x</w>` symbol ends with the lone `</w>`; so does the empty
//! word between two spaces, which keeps `"a  b"` exact. Words are split at the space
//! character only; other whitespace stays inside a word as an ordinary character.

use crate::nlp::bpe::{self, Pair};
use crate::nlp::byte_bpe::Trainer;
use crate::nlp::corpus;
use std::collections::{BTreeSet, HashMap};

/// The end-of-word marker.
pub const END_OF_WORD: &str = "</w>";

/// The words the character-level tokenizer trains on: split at spaces, empty ones dropped.
pub fn words(line: &str) -> impl Iterator<Item = &str> {
    line.split(' ').filter(|w| !w.is_empty())
}

/// A trained character-level BPE tokenizer.
///
/// ```
/// use solutions::nlp::char_bpe::CharBpe;
/// // The paper's dictionary: low ×5, lower ×2, newest ×6, widest ×3.
/// let text = "low ".repeat(5) + &"lower ".repeat(2) + &"newest ".repeat(6) + &"widest ".repeat(3);
/// let bpe = CharBpe::train(&text, 4);
/// assert_eq!(bpe.pieces("lowest"), ["lo", "w", "est</w>"]);
/// assert_eq!(bpe.decode(&bpe.encode("lowest  new")), "lowest  new");
/// ```
#[derive(Clone, Debug)]
pub struct CharBpe {
    merges: Vec<Pair>,
    table: HashMap<Pair, u32>,
    /// Each id's text (without the marker) and whether it ends a word.
    tokens: Vec<(Vec<u8>, bool)>,
    /// Base ids: a character → its id, and its word-final id if it has one.
    chars: HashMap<char, (u32, Option<u32>)>,
    /// The id of `</w>` alone.
    end: u32,
}

impl CharBpe {
    /// Learns `num_merges` merges (Sennrich et al.'s hyper-parameter) from the words of the
    /// non-empty lines of `text`, with the efficient trainer.
    pub fn train(text: &str, num_merges: usize) -> CharBpe {
        CharBpe::train_with(text, num_merges, Trainer::Fast)
    }

    /// [`CharBpe::train`] with a chosen trainer.
    pub fn train_with(text: &str, num_merges: usize, trainer: Trainer) -> CharBpe {
        let table = bpe::word_counts(corpus::lines(text).flat_map(words));
        let mut bpe = CharBpe::alphabet(table.iter().map(|&(w, _)| w));
        let first = bpe.tokens.len() as u32;
        let words: Vec<(Vec<u32>, u64)> =
            table.iter().map(|&(w, c)| (bpe.base_symbols(w), c)).collect();
        for pair in trainer.merges(&words, first, num_merges) {
            bpe.push_merge(pair);
        }
        bpe.table = bpe::merge_table(&bpe.merges, first);
        for b in 0..=255u8 {
            bpe.tokens.push((vec![b], false));
        }
        bpe
    }

    /// The initial symbols of a set of words: their characters, the word-final ones, `</w>`.
    fn alphabet<'a>(words: impl Iterator<Item = &'a str> + Clone) -> CharBpe {
        let all: BTreeSet<char> = words.clone().flat_map(str::chars).collect();
        let last: BTreeSet<char> = words.filter_map(|w| w.chars().last()).collect();
        let mut tokens = vec![];
        let mut chars = HashMap::new();
        for &c in &all {
            chars.insert(c, (tokens.len() as u32, None));
            tokens.push((c.to_string().into_bytes(), false));
        }
        for &c in &last {
            chars.get_mut(&c).expect("a last char is a char").1 = Some(tokens.len() as u32);
            tokens.push((c.to_string().into_bytes(), true));
        }
        let end = tokens.len() as u32;
        tokens.push((vec![], true));
        CharBpe { merges: vec![], table: HashMap::new(), tokens, chars, end }
    }

    fn push_merge(&mut self, (a, b): Pair) {
        let (left, right) = (&self.tokens[a as usize], &self.tokens[b as usize]);
        let token = ([left.0.as_slice(), right.0.as_slice()].concat(), right.1);
        self.tokens.push(token);
        self.merges.push((a, b));
    }

    /// A word as alphabet ids before any merge. Unseen characters become their UTF-8
    /// bytes; the word ends with its last character's `x</w>`, or with the lone `</w>`.
    // ANCHOR: base_symbols
    pub fn base_symbols(&self, word: &str) -> Vec<u32> {
        let mut ids = vec![];
        let mut chars = word.chars().peekable();
        while let Some(c) = chars.next() {
            let last = chars.peek().is_none();
            match self.chars.get(&c) {
                Some(&(_, Some(end))) if last => return [ids, vec![end]].concat(),
                Some(&(id, _)) => ids.push(id),
                None => {
                    // The 256 byte tokens are the last ids (only used once trained).
                    let byte0 = self.tokens.len() as u32 - 256;
                    ids.extend(c.to_string().bytes().map(|b| byte0 + b as u32))
                }
            }
        }
        ids.push(self.end);
        ids
    }
    // ANCHOR_END: base_symbols

    /// Token ids of `text`: each space-separated word (empty words included), merged.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        if text.is_empty() {
            return vec![];
        }
        text.split(' ').flat_map(|w| bpe::bpe_encode(&self.base_symbols(w), &self.table)).collect()
    }

    /// The text of the tokens: their characters, a space after each word-final token, and
    /// the space after the last word removed.
    pub fn decode(&self, ids: &[u32]) -> String {
        let mut bytes = vec![];
        for &id in ids {
            let (text, ends_word) = &self.tokens[id as usize];
            bytes.extend_from_slice(text);
            if *ends_word {
                bytes.push(b' ');
            }
        }
        if bytes.last() == Some(&b' ') {
            bytes.pop();
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Token `id` for display: its text, `</w>` if it ends a word, `<0xNN>` for a byte.
    pub fn piece(&self, id: u32) -> String {
        let (text, ends_word) = &self.tokens[id as usize];
        let mut s = match std::str::from_utf8(text) {
            Ok(t) if id < self.tokens.len() as u32 - 256 => t.to_string(),
            _ => text.iter().map(|b| format!("<0x{b:02X}>")).collect(),
        };
        if *ends_word {
            s.push_str(END_OF_WORD);
        }
        s
    }

    /// The tokens of `text`, for display.
    pub fn pieces(&self, text: &str) -> Vec<String> {
        self.encode(text).iter().map(|&id| self.piece(id)).collect()
    }

    /// The merges in learning order, with ids.
    pub fn merges(&self) -> &[Pair] {
        &self.merges
    }

    /// The merges as the token strings they join, e.g. `("e", "s</w>")`.
    pub fn merge_strings(&self) -> Vec<(String, String)> {
        self.merges.iter().map(|&(a, b)| (self.piece(a), self.piece(b))).collect()
    }

    /// The number of ids: alphabet, `</w>`, merges and the 256 fallback bytes.
    pub fn vocab_size(&self) -> usize {
        self.tokens.len()
    }

    /// The size of the alphabet before any merge (characters, `x</w>` and `</w>`).
    pub fn alphabet_size(&self) -> usize {
        self.tokens.len() - 256 - self.merges.len()
    }
}

#[cfg(test)]
mod tests;
