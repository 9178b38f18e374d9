//! §2.3 WordPiece (WordPiece 分词): a likelihood score for merges, and greedy
//! longest-match-first encoding with `##` continuation pieces.
//!
//! Papers: Schuster and Nakajima, *Japanese and Korean Voice Search*, ICASSP 2012 (the
//! merge criterion); Devlin et al., *BERT*, 2018, arXiv 1810.04805 (the encoder, BERT's
//! `WordpieceTokenizer`). Hugging Face: `tokenizers::models::wordpiece::WordPiece`
//! (encoding) and `WordPieceTrainer` — which, note, trains by raw pair *frequency*: it is
//! a `BpeTrainer` with the `##` prefix (see `peers/tests/subword.rs`).
//!
//! Like BPE (§2.2), WordPiece starts from characters and merges pairs of symbols. A
//! symbol that continues a word carries the prefix `##`, so `un ##able` and the
//! word-initial `able` are different entries. BPE merges the most *frequent* pair;
//! WordPiece merges the pair with the highest
//! $\text{score}(a, b) = \frac{f(ab)}{f(a)\,f(b)}$, which prefers pairs whose parts are rare
//! on their own: merging them raises the likelihood of a unigram model of the corpus most.

use crate::nlp::pre_tokenization::pre_tokenize_for_subwords;
use std::collections::{HashMap, HashSet};

/// The piece for a word that cannot be covered.
pub const UNK: &str = "[UNK]";
/// The prefix of a piece that continues a word.
pub const CONTINUATION: &str = "##";
/// Longer words become [`UNK`] without being tried (BERT's and Hugging Face's default).
pub const MAX_INPUT_CHARS_PER_WORD: usize = 100;

/// A word as characters, every one after the first prefixed with `##`:
/// `"low"` → `["l", "##o", "##w"]`.
pub fn initial_split(word: &str) -> Vec<String> {
    word.chars()
        .enumerate()
        .map(|(i, c)| if i == 0 { c.to_string() } else { format!("{CONTINUATION}{c}") })
        .collect()
}

/// The symbol that merging `a` and `b` makes: `b` loses its `##` (`##e` + `##s` → `##es`).
pub fn join(a: &str, b: &str) -> String {
    format!("{a}{}", b.strip_prefix(CONTINUATION).unwrap_or(b))
}

/// WordPiece's merge score of the adjacent pair $(a, b)$ over a split corpus:
///
/// $$\text{score}(a, b) = \frac{f(ab)}{f(a)\, f(b)},$$
///
/// where $f(ab)$ counts the places where `b` directly follows `a` inside a word and $f(a)$,
/// $f(b)$ count every occurrence of each symbol, each weighted by the word's count.
/// `words` holds each distinct word as its current symbols, with its count. A pair that
/// never occurs scores 0.
///
/// Worked example (Sennrich et al.'s corpus `low`×5, `lower`×2, `newest`×6, `widest`×3,
/// split into characters): $f(\#\#e) = 2 + 2\cdot 6 + 3 = 17$ and $f(\#\#s) = 9$, so the
/// most frequent pair, (`##e`, `##s`) with $f = 9$, scores only $9/(17\cdot 9) = 1/17$.
/// (`##i`, `##d`) occurs 3 times, but `##i` and `##d` never occur apart:
/// $3/(3\cdot 3) = 1/3$, the highest score. BPE would merge `e s`; WordPiece merges `i d`.
///
/// ```
/// # use solutions::nlp::wordpiece::{initial_split, wordpiece_score};
/// let words: Vec<_> = [("low", 5), ("lower", 2), ("newest", 6), ("widest", 3)]
///     .iter().map(|&(w, n)| (initial_split(w), n)).collect();
/// assert_eq!(wordpiece_score(&words, "##e", "##s"), 1.0 / 17.0);
/// assert_eq!(wordpiece_score(&words, "##i", "##d"), 1.0 / 3.0);
/// assert_eq!(wordpiece_score(&words, "l", "##w"), 0.0); // never adjacent
/// ```
// ANCHOR: wordpiece_score
pub fn wordpiece_score(words: &[(Vec<String>, u64)], a: &str, b: &str) -> f64 {
    let (mut f_ab, mut f_a, mut f_b) = (0u64, 0u64, 0u64);
    for (symbols, count) in words {
        // Every occurrence counts, weighted by how often the word appears in the corpus.
        f_a += count * symbols.iter().filter(|s| *s == a).count() as u64;
        f_b += count * symbols.iter().filter(|s| *s == b).count() as u64;
        f_ab += count * symbols.windows(2).filter(|w| w[0] == a && w[1] == b).count() as u64;
    }
    if f_ab == 0 {
        return 0.0;
    }
    // Subtle: the product f(a)·f(b) is what makes this WordPiece and not BPE. A pair of
    // common symbols (e and s) is adjacent often by chance; dividing by the product asks
    // how much more often than chance they meet.
    f_ab as f64 / (f_a as f64 * f_b as f64)
}
// ANCHOR_END: wordpiece_score

/// A trained WordPiece vocabulary: [`UNK`], the alphabet (bare first characters and
/// `##`-prefixed continuing ones, sorted), then one new symbol per merge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordPieceModel {
    pub vocab: Vec<String>,
    /// The merged pairs, in order.
    pub merges: Vec<(String, String)>,
}

impl WordPieceModel {
    /// The vocabulary as a set, what [`wordpiece_encode`] takes.
    pub fn vocab_set(&self) -> HashSet<String> {
        self.vocab.iter().cloned().collect()
    }
}

/// Trains WordPiece on `(word, count)` pairs until the vocabulary has `vocab_size` entries
/// (or no pair is left): at each step merge the pair with the highest
/// [`wordpiece_score`]. Ties go to the more frequent pair, then to the smaller pair in
/// string order. Scores are compared exactly, as fractions in integers.
// ANCHOR: train_wordpiece
pub fn train_wordpiece(words: &[(String, u64)], vocab_size: usize) -> WordPieceModel {
    let mut split: Vec<(Vec<String>, u64)> =
        words.iter().map(|(w, n)| (initial_split(w), *n)).collect();
    let alphabet: std::collections::BTreeSet<String> =
        split.iter().flat_map(|(s, _)| s.iter().cloned()).collect();
    let mut vocab: Vec<String> = std::iter::once(UNK.to_string()).chain(alphabet).collect();
    let mut merges = vec![];
    while vocab.len() < vocab_size {
        // Count symbols and adjacent pairs afresh: simple, and fast enough for a corpus
        // of a few thousand distinct words (§2.2 shows the incremental way).
        let mut sym: HashMap<&str, u64> = HashMap::new();
        let mut pairs: HashMap<(&str, &str), u64> = HashMap::new();
        for (s, n) in &split {
            for x in s {
                *sym.entry(x).or_default() += n;
            }
            for w in s.windows(2) {
                *pairs.entry((&w[0], &w[1])).or_default() += n;
            }
        }
        // score = f(ab) / (f(a) f(b)); compare p/q > p'/q' as p·q' > p'·q, exactly.
        let best = pairs.iter().map(|(&(a, b), &f)| (f, (sym[a] * sym[b]) as u128, (a, b)));
        let best = best.max_by(|x, y| {
            (x.0 as u128 * y.1).cmp(&(y.0 as u128 * x.1)).then(x.0.cmp(&y.0)).then(y.2.cmp(&x.2))
        });
        let Some((_, _, (a, b))) = best else { break };
        let (a, b) = (a.to_string(), b.to_string());
        let new = join(&a, &b);
        for (s, _) in split.iter_mut() {
            *s = merge_in(s, &a, &b, &new);
        }
        if !vocab.contains(&new) {
            vocab.push(new);
        }
        merges.push((a, b));
    }
    WordPieceModel { vocab, merges }
}
// ANCHOR_END: train_wordpiece

/// Replaces each non-overlapping occurrence of `a b` (left to right) by `new`.
fn merge_in(symbols: &[String], a: &str, b: &str, new: &str) -> Vec<String> {
    let mut out = Vec::with_capacity(symbols.len());
    let mut i = 0;
    while i < symbols.len() {
        if i + 1 < symbols.len() && symbols[i] == a && symbols[i + 1] == b {
            out.push(new.to_string());
            i += 2;
        } else {
            out.push(symbols[i].clone());
            i += 1;
        }
    }
    out
}

/// Splits one word into WordPiece pieces, BERT's way: from the current position take the
/// **longest** prefix that is in the vocabulary (with `##` in front when it does not start
/// the word), and go on after it. If at some position no prefix, not even one character,
/// is in the vocabulary, the whole word becomes a single [`UNK`], and so does a word of
/// more than [`MAX_INPUT_CHARS_PER_WORD`] characters.
///
/// Worked example, vocabulary {`low`, `wid`, `w`, `##er`, `##est`, `##id`, `##e`}:
/// `widest` → `wid` (longer than `w`), then `##est` (longer than `##e`). `lowest` →
/// `low ##est`. `wider`: after `wid`, the longest match is `##er`. `lows`: after `low`,
/// nothing matches `s` or `##s`, so the whole word is `[UNK]`, not `low [UNK]`.
///
/// ```
/// # use solutions::nlp::wordpiece::wordpiece_encode;
/// let vocab = ["low", "wid", "w", "##er", "##est", "##id", "##e"].map(String::from).into();
/// assert_eq!(wordpiece_encode("widest", &vocab), ["wid", "##est"]);
/// assert_eq!(wordpiece_encode("lowest", &vocab), ["low", "##est"]);
/// assert_eq!(wordpiece_encode("wider", &vocab), ["wid", "##er"]);
/// assert_eq!(wordpiece_encode("lows", &vocab), ["[UNK]"]);
/// ```
// ANCHOR: wordpiece_encode
pub fn wordpiece_encode(word: &str, vocab: &HashSet<String>) -> Vec<String> {
    if word.chars().count() > MAX_INPUT_CHARS_PER_WORD {
        return vec![UNK.to_string()];
    }
    let mut pieces = vec![];
    let mut start = 0; // a byte offset, always on a char boundary
    while start < word.len() {
        // Try the longest candidate first, shrinking it one character at a time.
        let mut end = word.len();
        let mut found = None;
        while end > start {
            let piece = match start {
                0 => word[..end].to_string(),
                _ => format!("{CONTINUATION}{}", &word[start..end]),
            };
            if vocab.contains(&piece) {
                found = Some(piece);
                break;
            }
            // Subtle: step back a whole character, not a byte (Chinese is 3 bytes each).
            end -= word[start..end].chars().next_back().map_or(1, char::len_utf8);
        }
        match found {
            Some(piece) => pieces.push(piece),
            // One uncoverable position spoils the word: BERT emits [UNK] for all of it.
            None => return vec![UNK.to_string()],
        }
        start = end;
    }
    pieces
}
// ANCHOR_END: wordpiece_encode

/// Pre-tokenizes `text` ([`pre_tokenize_for_subwords`]) and encodes every word: the whole
/// WordPiece tokenizer.
pub fn wordpiece_tokenize(text: &str, vocab: &HashSet<String>) -> Vec<String> {
    pre_tokenize_for_subwords(text).into_iter().flat_map(|w| wordpiece_encode(w, vocab)).collect()
}

#[cfg(test)]
mod tests;
