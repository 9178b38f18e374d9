//! §2.5's text: a corpus as documents of sentences, BERT's five special tokens, and a
//! word-level vocabulary over words split like BERT's uncased `BasicTokenizer`
//! ([`pre_tokenize_for_words`]). Hugging Face: `BasicTokenizer` and the special tokens of
//! `BertTokenizer` in `transformers.models.bert.tokenization_bert`.
//!
//! The BERT data builders of [`crate::nlp::bert_data`] run on real text through these,
//! without depending on the subword tokenizers of §2.2 and §2.3. Imports run one way:
//! `bert_data` uses this file, never the reverse.

use crate::nlp::pre_tokenization::pre_tokenize_for_words;
use std::collections::HashMap;

/// BERT's special tokens, in the order they take the first ids of every [`WordVocab`]
/// (BERT's own vocabulary has the same five, at other ids). The one place the order is
/// written: the ids below are looked up in it.
pub const SPECIAL_TOKENS: [&str; 5] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
pub const PAD: u32 = special_id("[PAD]");
pub const UNK: u32 = special_id("[UNK]");
pub const CLS: u32 = special_id("[CLS]");
pub const SEP: u32 = special_id("[SEP]");
pub const MASK: u32 = special_id("[MASK]");
/// The ids of [`SPECIAL_TOKENS`], `0..5`: what the masking never chooses.
pub const SPECIAL: [u32; SPECIAL_TOKENS.len()] = {
    let mut ids = [0; SPECIAL_TOKENS.len()];
    let mut i = 0;
    while i < ids.len() {
        ids[i] = i as u32;
        i += 1;
    }
    ids
};

/// The position of `token` in [`SPECIAL_TOKENS`], at compile time (a misspelt token is a
/// compile error, not a wrong id).
const fn special_id(token: &str) -> u32 {
    let mut i = 0;
    while i < SPECIAL_TOKENS.len() {
        let (a, b) = (SPECIAL_TOKENS[i].as_bytes(), token.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i as u32;
            }
        }
        i += 1;
    }
    panic!("not a special token")
}

/// Splits a paragraph into sentences: after `.`, `!` or `?` followed by a space or the end,
/// and after `。`, `！` or `？` always; closing quotes and brackets stay with their sentence.
pub fn split_sentences(paragraph: &str) -> Vec<String> {
    let chars: Vec<char> = paragraph.chars().collect();
    let (mut out, mut current) = (vec![], String::new());
    let mut i = 0;
    while i < chars.len() {
        current.push(chars[i]);
        let end = match chars[i] {
            '。' | '！' | '？' => true,
            '.' | '!' | '?' => {
                let mut j = i + 1;
                while j < chars.len() && "\"'”’)」』）".contains(chars[j]) {
                    j += 1;
                }
                j == chars.len() || chars[j].is_whitespace()
            }
            _ => false,
        };
        if end {
            while i + 1 < chars.len() && "\"'”’)」』）".contains(chars[i + 1]) {
                i += 1;
                current.push(chars[i]);
            }
            out.push(current.trim().to_string());
            current.clear();
        }
        i += 1;
    }
    out.push(current.trim().to_string());
    out.retain(|s| !s.is_empty());
    out
}

/// The documents of a corpus text: one per non-empty line (a paragraph), split into
/// sentences.
pub fn documents(text: &str) -> Vec<Vec<String>> {
    crate::nlp::corpus::lines(text).map(split_sentences).collect()
}

/// A word-level vocabulary: the five [`SPECIAL_TOKENS`], then every word of the training
/// sentences, most frequent first (ties alphabetical), so ids are deterministic.
#[derive(Clone, Debug)]
pub struct WordVocab {
    tokens: Vec<String>,
    ids: HashMap<String, u32>,
}

impl WordVocab {
    pub fn new<'a>(sentences: impl IntoIterator<Item = &'a str>) -> WordVocab {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for s in sentences {
            for t in pre_tokenize_for_words(s) {
                *counts.entry(t).or_default() += 1;
            }
        }
        let mut words: Vec<(String, usize)> = counts.into_iter().collect();
        words.sort_by(|(a, x), (b, y)| y.cmp(x).then(a.cmp(b)));
        let mut tokens: Vec<String> = SPECIAL_TOKENS.map(String::from).to_vec();
        tokens.extend(words.into_iter().map(|(w, _)| w));
        let ids = tokens.iter().enumerate().map(|(i, t)| (t.clone(), i as u32)).collect();
        WordVocab { tokens, ids }
    }

    /// The number of ids, specials included.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The ids of a sentence; unknown words become `[UNK]`.
    pub fn encode(&self, sentence: &str) -> Vec<u32> {
        pre_tokenize_for_words(sentence).iter().map(|t| *self.ids.get(t).unwrap_or(&UNK)).collect()
    }

    /// The token of an id (`[UNK]` for an id out of range).
    pub fn token(&self, id: u32) -> &str {
        self.tokens.get(id as usize).map_or(SPECIAL_TOKENS[UNK as usize], String::as_str)
    }

    /// The tokens of a sequence, joined by spaces.
    pub fn decode(&self, ids: &[u32]) -> String {
        ids.iter().map(|&i| self.token(i)).collect::<Vec<_>>().join(" ")
    }
}

#[cfg(test)]
mod tests;
