//! Graded suite for §2.5: BERT's masking (MLM) and its sentence pairs (NSP).
//!
//! The exact rules are checked on every position: special tokens are never chosen, an
//! unchosen position keeps its id and gets no label, a chosen one is labelled with its
//! original id, the output is the same for the same seed. The proportions are checked
//! statistically over a few hundred thousand positions of the embedded corpus, each within
//! 5 binomial standard errors of its expectation (a correct implementation fails one of
//! them with probability below 10⁻⁵), and the messages name the usual mistakes.

use crate::{Check, Failure};
use rand::rngs::StdRng;
use rand::SeedableRng;
use solutions::nlp::bert_data::{documents, z_score, NspPair, SentenceRef};
use solutions::nlp::corpus;

mod masking;
pub use masking::check_mask_tokens;

/// How many standard errors a proportion may stray before the check fails.
const SIGMAS: f64 = 5.0;

/// Grades `nsp_pairs(documents, rng)`.
pub fn check_nsp_pairs<F>(f: F) -> Check
where
    F: Fn(&[Vec<String>], &mut StdRng) -> Vec<NspPair>,
{
    // The corpus's paragraphs, plus hand-made documents of 0 to 7 sentences.
    let mut docs = documents(&corpus::embedded());
    for d in 0..60 {
        docs.push((0..d % 8).map(|s| format!("Sentence {s} of made-up document {d}.")).collect());
    }
    let want = docs.iter().map(|d| d.len().saturating_sub(1)).sum::<usize>();
    let run = |seed| f(&docs, &mut StdRng::seed_from_u64(seed));
    if run(5) != run(5) {
        return Err(Failure::new(
            "two calls with the same seed gave different pairs: draw from the `rng` argument."
                .to_string(),
        ));
    }
    if run(5) == run(6) {
        return Err(Failure::new(
            "seeds 5 and 6 gave identical pairs: the `rng` argument is ignored.".to_string(),
        ));
    }
    let (mut positive, mut total, mut neighbour) = (0, 0, 0);
    for seed in 0..10 {
        let pairs = run(seed);
        if pairs.len() != want {
            return Err(Failure::new(format!(
                "{} pairs, expected {want}: one pair per sentence that has a successor in its \
                 document (a document of n sentences gives n − 1).",
                pairs.len()
            )));
        }
        let mut seen = std::collections::HashSet::new();
        for p in &pairs {
            let SentenceRef { doc, sentence } = p.a;
            let ok = |r: SentenceRef| r.doc < docs.len() && r.sentence < docs[r.doc].len();
            if !ok(p.a) || !ok(p.b) || sentence + 1 >= docs[doc].len() || !seen.insert(p.a) {
                return Err(Failure::new(format!(
                    "pair {p:?}: each A must be a sentence with a successor, used once, and B \
                     must exist."
                )));
            }
            let next = SentenceRef { doc, sentence: sentence + 1 };
            if p.is_next && p.b != next {
                return Err(Failure::new(format!(
                    "pair {p:?} says IsNext, but B is not the sentence after A ({next:?}): is \
                     the label flipped?"
                )));
            }
            if !p.is_next && p.b.doc == doc {
                return Err(Failure::new(format!(
                    "pair {p:?}: NSP negatives drawn from the same document. BERT takes B from \
                     another document, so a NotNext B can never be the true continuation (or \
                     the real next sentence itself)."
                )));
            }
            positive += usize::from(p.is_next);
            neighbour += usize::from(!p.is_next && p.b.doc == doc + 1);
        }
        total += pairs.len();
    }
    let z = z_score(positive, total, 0.5);
    if z.abs() > SIGMAS {
        return Err(Failure::new(format!(
            "{positive} of {total} pairs are IsNext ({:.1} %), {z:.1} standard errors from 50 % \
             (allowed {SIGMAS}): B is the real next sentence with probability 1/2.",
            100.0 * positive as f64 / total as f64
        )));
    }
    let negatives = total - positive;
    if neighbour * 2 > negatives {
        return Err(Failure::new(format!(
            "{neighbour} of {negatives} negatives come from the document right after A's: pick \
             the other document at random, uniformly."
        )));
    }
    Ok(())
}
