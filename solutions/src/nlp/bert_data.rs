//! §2.5 BERT pre-training data: masked language modelling and next-sentence prediction
//! (掩码语言模型 MLM 与下一句预测 NSP).
//!
//! Paper: Devlin et al., *BERT*, 2018, arXiv 1810.04805, §3.1 and appendix A.1; the data
//! code is `create_pretraining_data.py` in google-research/bert. Hugging Face:
//! `DataCollatorForLanguageModeling` (MLM, labels −100 where no loss is taken) and
//! `TextDatasetForNextSentencePrediction` (NSP pairs).
//!
//! MLM: of the ordinary (non-special) positions, each is *chosen* with probability 0.15.
//! A chosen token becomes `[MASK]` with probability 0.8, a random token with 0.1, and stays
//! as it is with 0.1; its label is the original id. Unchosen positions keep their token and
//! get no label. NSP: pair a sentence A with its real successor (IsNext) or, half the time,
//! with a random sentence of another document (NotNext), and lay the pair out as
//! `[CLS] A [SEP] B [SEP]` with segment ids 0 and 1.
//!
//! To run on real text without depending on the course's subword tokenizers, this file
//! carries a tiny word-level vocabulary ([`WordVocab`]), split like BERT's
//! `BasicTokenizer`: lower-cased, punctuation and each CJK character a token of its own.

use rand::rngs::StdRng;
use rand::Rng;
use std::collections::HashMap;

/// The special tokens, at the start of every [`WordVocab`] (BERT's vocabulary has the same
/// five, at other ids).
pub const PAD: u32 = 0;
pub const UNK: u32 = 1;
pub const CLS: u32 = 2;
pub const SEP: u32 = 3;
pub const MASK: u32 = 4;
pub const SPECIAL: [u32; 5] = [PAD, UNK, CLS, SEP, MASK];

/// The share of ordinary positions chosen as MLM targets, and the split of the chosen.
pub const MLM_PROBABILITY: f64 = 0.15;
pub const MASK_SHARE: f64 = 0.8;
pub const RANDOM_SHARE: f64 = 0.1;

/// A corrupted sequence and its labels. `labels[i]` is `Some(original id)` at the chosen
/// positions and `None` elsewhere, where the loss ignores the position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Masked {
    pub input_ids: Vec<u32>,
    pub labels: Vec<Option<u32>>,
}

impl Masked {
    /// The labels as Hugging Face writes them: the id, or −100 (the `ignore_index` of
    /// PyTorch's cross-entropy) where there is no target.
    pub fn hf_labels(&self) -> Vec<i64> {
        self.labels.iter().map(|l| l.map_or(-100, i64::from)).collect()
    }
}

/// BERT's masking of one sequence, per token as in Hugging Face's collator: every position
/// whose id is not in `special` is chosen with probability 0.15; a chosen token becomes
/// `mask_id` (80 %), a random ordinary id from `0..vocab_size` (10 %), or stays (10 %).
///
/// The random id is drawn uniformly from the ids below `vocab_size` that are not special,
/// so it may equal the original token, as in BERT's code (there, and in Hugging Face's, it
/// may even be a special token; here it may not). So a chosen token is left as it was with
/// probability $0.1 + 0.1/V'$, for $V'$ ordinary ids.
///
/// Worked example: `[CLS] the cat sat [SEP] [PAD]` = `[2, 5, 6, 7, 3, 0]` with the five
/// special ids. Positions 0, 4 and 5 are never touched. If position 2 is chosen and gets
/// `[MASK]`, `input_ids[2] = 4` and `labels[2] = Some(6)`; every unchosen position keeps its
/// id and has label `None`.
/// ```
/// # use rand::SeedableRng;
/// # use solutions::nlp::bert_data::*;
/// let ids = [CLS, 5, 6, 7, SEP, PAD];
/// let m = mask_tokens(&ids, &SPECIAL, 10, MASK, &mut rand::rngs::StdRng::seed_from_u64(0));
/// for i in [0, 4, 5] {
///     assert_eq!((m.input_ids[i], m.labels[i]), (ids[i], None));
/// }
/// ```
// ANCHOR: mask_tokens
pub fn mask_tokens(
    ids: &[u32],
    special: &[u32],
    vocab_size: u32,
    mask_id: u32,
    rng: &mut StdRng,
) -> Masked {
    let mut input_ids = ids.to_vec();
    let mut labels = vec![None; ids.len()];
    for (i, &id) in ids.iter().enumerate() {
        // Special tokens are never chosen: [CLS], [SEP] and [PAD] carry no word to predict.
        if special.contains(&id) || !rng.gen_bool(MLM_PROBABILITY) {
            continue;
        }
        // Subtle: the label is set for every chosen position, also the 10 % left unchanged;
        // they are prediction targets that happen to look like ordinary input.
        labels[i] = Some(id);
        let r: f64 = rng.gen();
        if r < MASK_SHARE {
            input_ids[i] = mask_id;
        } else if r < MASK_SHARE + RANDOM_SHARE {
            input_ids[i] = random_ordinary_id(special, vocab_size, rng);
        } // else: unchanged, the remaining 10 %.
    }
    Masked { input_ids, labels }
}
// ANCHOR_END: mask_tokens

/// A uniform draw from the ids below `vocab_size` that are not in `special`.
pub fn random_ordinary_id(special: &[u32], vocab_size: u32, rng: &mut StdRng) -> u32 {
    assert!((0..vocab_size).any(|t| !special.contains(&t)), "no ordinary ids to draw from");
    // Rejection: redraw on a special id, which keeps the draw uniform over the others.
    loop {
        let t = rng.gen_range(0..vocab_size);
        if !special.contains(&t) {
            return t;
        }
    }
}

/// The expected number of `[MASK]` tokens among `positions` ordinary positions:
/// $0.15 \cdot 0.8 \cdot n$; 512 positions give 61.44.
/// ```
/// # use solutions::nlp::bert_data::expected_mask_count;
/// assert!((expected_mask_count(512) - 61.44).abs() < 1e-9);
/// ```
pub fn expected_mask_count(positions: usize) -> f64 {
    positions as f64 * MLM_PROBABILITY * MASK_SHARE
}

/// What happened to the positions of masked sequences, counted against the originals.
/// `random` counts chosen tokens that were replaced by a different ordinary id; a random
/// draw that hit the original id is indistinguishable from `kept`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MlmCounts {
    /// Ordinary (non-special) positions: the ones that can be chosen.
    pub candidates: usize,
    /// Positions with a label.
    pub chosen: usize,
    pub masked: usize,
    pub random: usize,
    pub kept: usize,
}

impl MlmCounts {
    /// Adds one sequence and its masked version.
    pub fn add(&mut self, original: &[u32], m: &Masked, special: &[u32], mask_id: u32) {
        for ((&o, &x), l) in original.iter().zip(&m.input_ids).zip(&m.labels) {
            self.candidates += usize::from(!special.contains(&o));
            if l.is_some() {
                self.chosen += 1;
                match x {
                    x if x == mask_id => self.masked += 1,
                    x if x == o => self.kept += 1,
                    _ => self.random += 1,
                }
            }
        }
    }
}

/// How many binomial standard errors `count` lies from its mean $np$:
/// $z = (k - np)/\sqrt{np(1-p)}$.
pub fn z_score(count: usize, n: usize, p: f64) -> f64 {
    let n = n as f64;
    (count as f64 - n * p) / (n * p * (1.0 - p)).sqrt()
}

/// Where a sentence sits in the corpus: document `doc`, sentence `sentence` within it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SentenceRef {
    pub doc: usize,
    pub sentence: usize,
}

/// One NSP example: sentence A, sentence B, and whether B really follows A.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NspPair {
    pub a: SentenceRef,
    pub b: SentenceRef,
    pub is_next: bool,
}

/// NSP pairs: one per sentence that has a successor in its document, in corpus order. With
/// probability 1/2 B is that successor (IsNext); otherwise B is a uniformly random sentence
/// of a uniformly random *other* document (NotNext), as in BERT's code, so that a negative
/// can never be the true continuation. Documents with no sentences are never drawn.
///
/// Worked example: documents `[[a0, a1, a2], [b0]]` give two pairs, A = a0 and A = a1; a
/// positive pairs a0 with a1, a negative pairs a0 with b0, the only sentence elsewhere.
///
/// Panics if some document has two or more sentences and no other document has any.
// ANCHOR: nsp_pairs
pub fn nsp_pairs(documents: &[Vec<String>], rng: &mut StdRng) -> Vec<NspPair> {
    let mut pairs = vec![];
    for (doc, sentences) in documents.iter().enumerate() {
        // Only documents other than this one, and only non-empty ones, can supply negatives.
        let others: Vec<usize> =
            (0..documents.len()).filter(|&d| d != doc && !documents[d].is_empty()).collect();
        for sentence in 0..sentences.len().saturating_sub(1) {
            let a = SentenceRef { doc, sentence };
            let is_next = rng.gen_bool(0.5);
            let b = if is_next {
                SentenceRef { doc, sentence: sentence + 1 }
            } else {
                assert!(!others.is_empty(), "NSP negatives need a second non-empty document");
                let d = others[rng.gen_range(0..others.len())];
                SentenceRef { doc: d, sentence: rng.gen_range(0..documents[d].len()) }
            };
            pairs.push(NspPair { a, b, is_next });
        }
    }
    pairs
}
// ANCHOR_END: nsp_pairs

/// A BERT input: token ids and segment (token-type) ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairInput {
    pub ids: Vec<u32>,
    pub segments: Vec<u8>,
}

/// `[CLS] A [SEP] B [SEP]`, with segment 0 for `[CLS] A [SEP]` and 1 for `B [SEP]`. If it
/// would exceed `max_len`, the longer of A and B loses its last token until it fits, as
/// Hugging Face's `longest_first` truncation does (BERT's code drops from a random end).
/// ```
/// # use solutions::nlp::bert_data::*;
/// let x = pair_input(&[10, 11], &[12], 16);
/// assert_eq!(x.ids, [CLS, 10, 11, SEP, 12, SEP]);
/// assert_eq!(x.segments, [0, 0, 0, 0, 1, 1]);
/// ```
// ANCHOR: pair_input
pub fn pair_input(a: &[u32], b: &[u32], max_len: usize) -> PairInput {
    assert!(max_len >= 3, "[CLS] and two [SEP] need 3 positions");
    let (mut a, mut b) = (a, b);
    while a.len() + b.len() + 3 > max_len {
        if a.len() >= b.len() {
            a = &a[..a.len() - 1];
        } else {
            b = &b[..b.len() - 1];
        }
    }
    let ids = [&[CLS], a, &[SEP], b, &[SEP]].concat();
    let segments = [vec![0; a.len() + 2], vec![1; b.len() + 1]].concat();
    PairInput { ids, segments }
}
// ANCHOR_END: pair_input

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
        let cjk = ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c);
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

#[cfg(test)]
#[path = "bert_data_tests.rs"]
mod tests;
