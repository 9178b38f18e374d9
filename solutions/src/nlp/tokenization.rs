//! §2.1 What tokenization is (分词): words, characters and subwords; vocabulary and OOV.
//!
//! A tokenizer (分词器) cuts text into tokens and maps each token to an id in a fixed
//! vocabulary (词表). What a token is decides what the model can ever read:
//! - **word-level** (按词): short sequences, but the vocabulary only holds the words seen
//!   in training, so new words are out of vocabulary (OOV, 未登录词) and become `<unk>`;
//!   and a language written without spaces (Chinese) has no words to split on at all;
//! - **character-level** (按字符): a small vocabulary and few OOV, but long sequences;
//! - **subword** (子词, e.g. BPE, Sennrich et al. 2016, arXiv 1508.07909): frequent words
//!   stay whole, rare ones fall apart into pieces; on bytes (§2.2, §2.4) nothing is OOV.
//!
//! Hugging Face: the `Whitespace` pre-tokenizer of `tokenizers` (the regex `\w+|[^\w\s]+`)
//! and its `WordLevelTrainer`, which keeps the most frequent words and breaks ties by the
//! word, as [`word_vocab`] does. PyTorch: `torchtext.vocab.build_vocab_from_iterator`.

use std::collections::{HashMap, HashSet};

/// A word character: `\w` of a Unicode regex, near enough (letters, digits, `_`).
/// Subtle: Han characters are letters, so a Chinese clause is one long run of them.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Word-level tokens: maximal runs of word characters, and maximal runs of other
/// non-space characters (punctuation); whitespace only separates. This is the regex
/// `\w+|[^\w\s]+` of Hugging Face's `Whitespace` pre-tokenizer.
///
/// ```
/// use solutions::nlp::tokenization::word_tokenize;
/// assert_eq!(word_tokenize("Don't panic!"), ["Don", "'", "t", "panic", "!"]);
/// // No spaces in Chinese: the whole clause before the comma is one "word".
/// assert_eq!(word_tokenize("我们训练模型，然后评估。"), ["我们训练模型", "，", "然后评估", "。"]);
/// ```
// ANCHOR: word_tokenize
pub fn word_tokenize(text: &str) -> Vec<&str> {
    let mut tokens = vec![];
    // The current run: its start byte, and whether it is a run of word characters.
    let mut run: Option<(usize, bool)> = None;
    for (i, c) in text.char_indices() {
        let kind = (!c.is_whitespace()).then(|| is_word_char(c));
        match run {
            Some((_, word)) if kind == Some(word) => continue, // the run goes on
            Some((start, _)) => tokens.push(&text[start..i]),
            None => {}
        }
        run = kind.map(|word| (i, word));
    }
    if let Some((start, _)) = run {
        tokens.push(&text[start..]);
    }
    tokens
}
// ANCHOR_END: word_tokenize

/// Whether a [`word_tokenize`] token is a word (a run of word characters), not punctuation.
pub fn is_word_token(token: &str) -> bool {
    token.chars().next().is_some_and(is_word_char)
}

/// Character-level tokens: every character, spaces included (a character model must
/// write the spaces back when it decodes).
pub fn char_tokenize(text: &str) -> Vec<&str> {
    text.char_indices().map(|(i, c)| &text[i..i + c.len_utf8()]).collect()
}

/// The vocabulary of a word-level tokenizer: the `size` most frequent tokens, most
/// frequent first. The vocabulary must be the same on every run, whatever order a HashMap
/// iterates in, so equally frequent tokens come in a fixed order: the one the worked
/// example shows. `size` larger than the number of distinct tokens keeps them all.
///
/// Worked example: in "the cat sat on the mat", "the" occurs twice and the four other
/// words once, so the 3 most frequent are "the", then "cat" and "mat" (first in
/// alphabetical order among the tied words).
///
/// ```
/// use solutions::nlp::tokenization::word_vocab;
/// let train = ["the", "cat", "sat", "on", "the", "mat"];
/// assert_eq!(word_vocab(&train, 3), ["the", "cat", "mat"]);
/// ```
// ANCHOR: word_vocab
pub fn word_vocab(tokens: &[&str], size: usize) -> Vec<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for &token in tokens {
        *counts.entry(token).or_default() += 1;
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    // Subtle: a HashMap iterates in a random order, so without the second key the words
    // that tie at the cut-off would change from run to run. Ties go to the token itself,
    // in ascending (byte) order.
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    ranked.into_iter().take(size).map(|(token, _)| token.to_string()).collect()
}
// ANCHOR_END: word_vocab

/// The OOV rate (未登录词率): the fraction of the tokens of a held-out text that are not in
/// the vocabulary. Tokens, not distinct words: a frequent unknown word costs every time it
/// occurs. An empty text has rate 0.
///
/// $$\text{OOV} = \frac{\#\{\,i : t_i \notin V\,\}}{n}$$
///
/// Worked example: with the vocabulary {the, cat, mat}, "the dog sat on the mat" has 6
/// tokens, of which "dog", "sat" and "on" are unknown: 3/6 = 0.5.
///
/// ```
/// use solutions::nlp::tokenization::oov_rate;
/// let vocab = ["the".to_string(), "cat".into(), "mat".into()];
/// assert_eq!(oov_rate(&vocab, &["the", "dog", "sat", "on", "the", "mat"]), 0.5);
/// ```
// ANCHOR: oov_rate
pub fn oov_rate(vocab: &[String], tokens: &[&str]) -> f64 {
    if tokens.is_empty() {
        return 0.0;
    }
    let known: HashSet<&str> = vocab.iter().map(String::as_str).collect();
    let unknown = tokens.iter().filter(|t| !known.contains(*t)).count();
    unknown as f64 / tokens.len() as f64
}
// ANCHOR_END: oov_rate

/// Splits the non-empty lines of `text` into (training, held-out) lines: every
/// `every`-th line (the `every`-th, the `2·every`-th, …) is held out. Spread over the
/// whole text, the held-out lines come from every part of it, English and Chinese alike.
pub fn split_lines(text: &str, every: usize) -> (Vec<&str>, Vec<&str>) {
    assert!(every >= 2, "hold out every 2nd line or fewer, not every {every}");
    let (mut train, mut held_out) = (vec![], vec![]);
    for (i, line) in crate::nlp::corpus::lines(text).enumerate() {
        if (i + 1).is_multiple_of(every) {
            held_out.push(line);
        } else {
            train.push(line);
        }
    }
    (train, held_out)
}

/// Every `HELD_OUT_EVERY`-th line of the corpus is held out (20 %).
pub const HELD_OUT_EVERY: usize = 5;

/// Every line's tokens, concatenated.
pub fn tokens_of<'a>(lines: &[&'a str], tokenize: fn(&'a str) -> Vec<&'a str>) -> Vec<&'a str> {
    lines.iter().flat_map(|line| tokenize(line)).collect()
}

#[cfg(test)]
mod tests;
