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
//! To run on real text without depending on the course's subword tokenizers, the section
//! uses a tiny word-level vocabulary ([`WordVocab`] and the special tokens, in
//! `bert_text.rs`, re-exported here). Measuring the proportions over a corpus is
//! `bert_proportions.rs`; the binomial statistics that judge them are `crate::binomial`.

pub use crate::binomial::{binomial_se, z_score};
pub use crate::nlp::bert_text::{documents, split_sentences, WordVocab};
pub use crate::nlp::bert_text::{CLS, MASK, PAD, SEP, SPECIAL, SPECIAL_TOKENS, UNK};
use rand::rngs::StdRng;
use rand::Rng;

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

/// The masking's seeded generator (the notebook's).
pub use crate::seeded_rng;

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
/// $0.15 \cdot 0.8 \cdot n$; 512 positions give 61.44. Subtle: special tokens are never
/// chosen, so a full 512-token pair `[CLS] A [SEP] B [SEP]` has only 509 ordinary
/// positions, and 61.08.
/// ```
/// # use solutions::nlp::bert_data::expected_mask_count;
/// assert!((expected_mask_count(512) - 61.44).abs() < 1e-9);
/// assert!((expected_mask_count(512 - 3) - 61.08).abs() < 1e-9);
/// ```
pub fn expected_mask_count(positions: usize) -> f64 {
    positions as f64 * MLM_PROBABILITY * MASK_SHARE
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

#[cfg(test)]
mod tests;
