//! §2.5 measured: the MLM and NSP proportions of BERT's pre-training data over a corpus,
//! each as a share and as standard errors from its expectation.
//!
//! Paper: Devlin et al., *BERT*, 2018, arXiv 1810.04805, appendix A.1 (15 % chosen; of
//! those 80 % `[MASK]`, 10 % random, 10 % unchanged; half the NSP pairs IsNext). Hugging
//! Face has no equivalent; its collator's own test counts only `[MASK]`.
//!
//! The builders are in `bert_data.rs`; this file only runs them many times and counts, so
//! the book's figure, the notebook and the tests read the same numbers.

use crate::binomial::z_score;
use crate::nlp::bert_data::{mask_tokens, nsp_pairs, pair_input, Masked, SentenceRef};
use crate::nlp::bert_data::{MASK_SHARE, MLM_PROBABILITY, RANDOM_SHARE};
use crate::nlp::bert_text::{documents, WordVocab, MASK, PAD, SPECIAL};
use rand::rngs::StdRng;

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

/// The MLM and NSP proportions measured on a corpus text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Proportions {
    pub mlm: MlmCounts,
    /// Ordinary ids in the corpus's word vocabulary, V′.
    pub ordinary_ids: usize,
    pub is_next: usize,
    pub pairs: usize,
}

impl Proportions {
    /// (name, measured share, expected share, z) for the chosen share of the ordinary
    /// positions, the three shares of the chosen, and the IsNext share of the pairs. A random
    /// draw equal to the original counts as unchanged, so those two expectations carry the
    /// $0.1/V'$ correction.
    pub fn table(&self) -> [(&'static str, f64, f64, f64); 5] {
        let c = self.mlm;
        let v = self.ordinary_ids as f64;
        let row =
            |name, k: usize, n: usize, p: f64| (name, k as f64 / n as f64, p, z_score(k, n, p));
        [
            row("chosen / ordinary", c.chosen, c.candidates, MLM_PROBABILITY),
            row("[MASK] / chosen", c.masked, c.chosen, MASK_SHARE),
            row("random / chosen", c.random, c.chosen, RANDOM_SHARE * (1.0 - 1.0 / v)),
            row(
                "unchanged / chosen",
                c.kept,
                c.chosen,
                1.0 - MASK_SHARE - RANDOM_SHARE + RANDOM_SHARE / v,
            ),
            row("IsNext / pairs", self.is_next, self.pairs, 0.5),
        ]
    }
}

/// Builds NSP pairs from `text` (one document per line), lays each out as
/// `[CLS] A [SEP] B [SEP]` padded with `[PAD]` to 64, masks it, and repeats with fresh
/// random draws until at least `min_candidates` ordinary positions have been seen.
pub fn measure(text: &str, min_candidates: usize, seed: u64) -> Proportions {
    use rand::SeedableRng;
    let docs = documents(text);
    let vocab = WordVocab::new(docs.iter().flatten().map(String::as_str));
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = Proportions { ordinary_ids: vocab.len() - SPECIAL.len(), ..Default::default() };
    let encode = |r: SentenceRef| vocab.encode(&docs[r.doc][r.sentence]);
    while out.mlm.candidates < min_candidates {
        let before = out.mlm.candidates;
        for p in nsp_pairs(&docs, &mut rng) {
            let mut ids = pair_input(&encode(p.a), &encode(p.b), 64).ids;
            ids.resize(64, PAD);
            let m = mask_tokens(&ids, &SPECIAL, vocab.len() as u32, MASK, &mut rng);
            out.mlm.add(&ids, &m, &SPECIAL, MASK);
            (out.is_next, out.pairs) = (out.is_next + usize::from(p.is_next), out.pairs + 1);
        }
        if out.mlm.candidates == before {
            break; // a text without sentence pairs: nothing more to measure
        }
    }
    out
}

#[cfg(test)]
mod tests;
