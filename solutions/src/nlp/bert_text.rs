//! §2.5's text helpers: a corpus as documents of sentences, and a word-level vocabulary
//! split like BERT's `BasicTokenizer` (lower-cased, every punctuation mark and every CJK
//! character a token of its own, no accent stripping). Hugging Face: `BasicTokenizer` in
//! `transformers.models.bert.tokenization_bert`.
//!
//! The BERT data builders of [`crate::nlp::bert_data`] run on real text through these,
//! without depending on the subword tokenizers of §2.2 and §2.3.

use crate::nlp::bert_data::UNK;
use std::collections::HashMap;

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

/// BERT's basic split: lower-case, break at whitespace, and make every punctuation mark and
/// every CJK character a token of its own.
pub fn basic_tokens(sentence: &str) -> Vec<String> {
    let (mut out, mut word) = (vec![], String::new());
    for c in sentence.chars().flat_map(char::to_lowercase) {
        let cjk = crate::nlp::corpus::is_cjk(c);
        if c.is_alphanumeric() && !cjk {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if !c.is_whitespace() {
            out.push(c.to_string());
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// A word-level vocabulary: the five special tokens, then every word of the training
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
            for t in basic_tokens(s) {
                *counts.entry(t).or_default() += 1;
            }
        }
        let mut words: Vec<(String, usize)> = counts.into_iter().collect();
        words.sort_by(|(a, x), (b, y)| y.cmp(x).then(a.cmp(b)));
        let mut tokens: Vec<String> =
            ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].map(String::from).to_vec();
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
        basic_tokens(sentence).iter().map(|t| *self.ids.get(t).unwrap_or(&UNK)).collect()
    }

    /// The token of an id (`[UNK]` for an id out of range).
    pub fn token(&self, id: u32) -> &str {
        self.tokens.get(id as usize).map_or("[UNK]", String::as_str)
    }

    /// The tokens of a sequence, joined by spaces.
    pub fn decode(&self, ids: &[u32]) -> String {
        ids.iter().map(|&i| self.token(i)).collect::<Vec<_>>().join(" ")
    }
}
