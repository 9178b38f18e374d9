//! Graded suite for §2.5's masked language modelling (MLM): `mask_tokens`.
//!
//! Paper: Devlin et al. 2018, arXiv 1810.04805, §3.1; Hugging Face:
//! `DataCollatorForLanguageModeling`. The exact rules are checked at every position
//! (special tokens never chosen, an unchosen position unchanged and unlabelled, a chosen one
//! labelled with its original id, the same output for the same seed). The proportions are
//! checked statistically over the embedded corpus, each within 5 binomial standard errors;
//! when one is off, a table of known mistakes, each a predicate on the tally and a message,
//! names the first that fits.

use super::SIGMAS;
use crate::{Check, Failure};
use rand::rngs::StdRng;
use rand::SeedableRng;
use solutions::nlp::bert_data::{
    documents, pair_input, z_score, Masked, WordVocab, MASK, PAD, SPECIAL,
};
use solutions::nlp::corpus;

fn names(id: u32) -> &'static str {
    ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].get(id as usize).copied().unwrap_or("?")
}

/// BERT inputs from the corpus: consecutive sentences as `[CLS] A [SEP] B [SEP]`, padded
/// with `[PAD]` to 64, so every special token occurs. Returns the vocabulary size too.
fn corpus_inputs() -> (u32, Vec<Vec<u32>>) {
    let docs = documents(&corpus::embedded());
    let vocab = WordVocab::new(docs.iter().flatten().map(String::as_str));
    let mut inputs = vec![];
    for doc in &docs {
        for w in doc.windows(2) {
            let mut ids = pair_input(&vocab.encode(&w[0]), &vocab.encode(&w[1]), 64).ids;
            ids.resize(64, PAD);
            inputs.push(ids);
        }
    }
    (vocab.len() as u32, inputs)
}

/// What a masking function did over every ordinary (non-special) position of the corpus.
#[derive(Default)]
struct Tally {
    /// Ordinary positions seen, and how many of them were chosen (got a label).
    candidates: usize,
    chosen: usize,
    /// The chosen positions that became [MASK], a random ordinary id, or stayed.
    masked: usize,
    random: usize,
    kept: usize,
    /// Σ (k − np)² / np(1 − p) over sequences, divided by their number: about 1 for
    /// independent coins, near 0 for an exact count per sequence.
    dispersion: f64,
}

impl Tally {
    fn rate(&self) -> f64 {
        self.chosen as f64 / self.candidates.max(1) as f64
    }
    /// The share of the chosen positions that `k` is.
    fn share(&self, k: usize) -> f64 {
        k as f64 / self.chosen.max(1) as f64
    }
}

/// A known mistake: when it fits the tally, and what the learner is told.
struct Diagnosis {
    fits: fn(&Tally) -> bool,
    says: &'static str,
}

/// Why the chosen rate is off 15 %, tried in order; the first that fits is reported.
const RATE_DIAGNOSES: [Diagnosis; 3] = [
    Diagnosis {
        fits: |t| t.rate() > 0.9,
        says: "labels set at unchosen positions: the loss would count them. Only the chosen \
               15 % get a label; the rest are None (−100 in Hugging Face), which the loss \
               ignores",
    },
    Diagnosis {
        fits: |t| t.share(t.kept) < 0.01 && (t.rate() - 0.135).abs() < 0.01,
        says: "the 10 % of chosen tokens left unchanged got no label: they are still \
               prediction targets (that is what makes the model check every visible token)",
    },
    Diagnosis {
        fits: |t| (t.rate() - 0.8).abs() < 0.05,
        says: "80 % of the positions were chosen (proportions swapped): 15 % are chosen, and \
               80 % of those become [MASK]",
    },
];

/// The rule itself, when no known mistake fits the rate.
const RATE_RULE: &str = "each ordinary position is chosen with probability 0.15, one coin per \
                         position (Hugging Face's rule)";

/// Why a share among the chosen is off 80/10/10, tried in order.
const SHARE_DIAGNOSES: [Diagnosis; 4] = [
    Diagnosis {
        fits: |t| t.share(t.masked) > 0.99,
        says: "all chosen tokens became [MASK]: the 10 % random and 10 % unchanged are \
               missing, so the model never learns to represent unmasked input ([MASK] never \
               occurs in fine-tuning, and it could ignore every visible token)",
    },
    Diagnosis {
        fits: |t| (t.share(t.masked) - 0.15).abs() < 0.03,
        says: "only 15 % of the chosen became [MASK], the two shares confused: 15 % of the \
               positions are chosen, and 80 % of those become [MASK]",
    },
    Diagnosis {
        fits: |t| t.share(t.kept) < 0.02,
        says: "none of the chosen tokens was left as it was: 10 % must stay unchanged (still \
               labelled), so that a visible token may also be a target",
    },
    Diagnosis {
        fits: |t| t.share(t.random) < 0.02,
        says: "no chosen token got a random replacement: 10 % must become a random ordinary id",
    },
];

/// The rule itself, when no known mistake fits the shares.
const SHARE_RULE: &str = "a chosen token becomes [MASK] with probability 0.8, a random id with \
                          0.1, and stays with 0.1: draw one uniform number per chosen token";

/// The first diagnosis in `table` that fits, else the rule.
fn diagnose(t: &Tally, table: &[Diagnosis], rule: &'static str) -> &'static str {
    table.iter().find(|d| (d.fits)(t)).map_or(rule, |d| d.says)
}

/// A masking function as the suite calls it.
type MaskFn<'a> = &'a dyn Fn(&[u32], &mut StdRng) -> Masked;

/// The same seed must give the same output, and another seed another one.
fn check_seeds(run: MaskFn, inputs: &[Vec<u32>]) -> Check {
    let long: Vec<u32> = inputs.iter().take(20).flatten().copied().collect();
    let with = |seed| run(&long, &mut StdRng::seed_from_u64(seed));
    if with(7) != with(7) {
        return Err(Failure::new(
            "two calls with the same seed gave different masks: draw every random number from \
             the `rng` argument (not `rand::thread_rng()`), so that a seed reproduces the data."
                .to_string(),
        ));
    }
    if with(7) == with(8) {
        return Err(Failure::new(
            "seeds 7 and 8 gave identical masks over 1 280 positions: the `rng` argument is \
             ignored (a fixed seed inside the function?)."
                .to_string(),
        ));
    }
    Ok(())
}

/// Checks the exact rules at one position and counts it into `t`; `at` names it.
fn tally_position(
    t: &mut Tally,
    at: &dyn Fn() -> String,
    o: u32,
    x: u32,
    l: Option<u32>,
    vocab_size: u32,
) -> Check {
    if SPECIAL.contains(&o) {
        if x != o || l.is_some() {
            return Err(Failure::new(format!(
                "{} holds {} (id {o}) but became id {x} with label {l:?}: you masked \
                 [CLS]/[SEP]/[PAD]. Special tokens are never chosen: they carry no word to \
                 predict, and [CLS]/[SEP] mark the layout.",
                at(),
                names(o)
            )));
        }
        return Ok(());
    }
    t.candidates += 1;
    let Some(label) = l else {
        if x == o {
            return Ok(());
        }
        return Err(Failure::new(format!(
            "{}: id {o} was changed to {x} but carries no label: every changed position was \
             chosen and needs its original id as label (otherwise the model is shown noise \
             and never asked to undo it).",
            at()
        )));
    };
    if label != o {
        return Err(Failure::new(format!(
            "{}: the label is {label}, but the original id there is {o}: a label is the token \
             the model must recover, the original, not the replacement.",
            at()
        )));
    }
    t.chosen += 1;
    if x == MASK {
        t.masked += 1;
    } else if x == o {
        t.kept += 1;
    } else if SPECIAL.contains(&x) || x >= vocab_size {
        return Err(Failure::new(format!(
            "{}: the random replacement is id {x}, outside the ordinary vocabulary (ids below \
             {vocab_size} that are not special): draw it uniformly from those.",
            at()
        )));
    } else {
        t.random += 1;
    }
    Ok(())
}

/// Masks the corpus four times with one generator, checking the exact rules everywhere.
fn tally(run: MaskFn, inputs: &[Vec<u32>], vocab_size: u32) -> Result<Tally, Failure> {
    let mut t = Tally::default();
    let mut sequences = 0;
    let mut rng = StdRng::seed_from_u64(0);
    for round in 0..4 {
        for (s, ids) in inputs.iter().enumerate() {
            let m = run(ids, &mut rng);
            if m.input_ids.len() != ids.len() || m.labels.len() != ids.len() {
                return Err(Failure::new(format!(
                    "for {} ids you returned {} input ids and {} labels: masking replaces \
                     tokens in place, one output and one label per position.",
                    ids.len(),
                    m.input_ids.len(),
                    m.labels.len()
                )));
            }
            let (before, chosen_before) = (t.candidates, t.chosen);
            for (i, &o) in ids.iter().enumerate() {
                let at = || format!("sequence {s} (round {round}), position {i}");
                tally_position(&mut t, &at, o, m.input_ids[i], m.labels[i], vocab_size)?;
            }
            let n = (t.candidates - before) as f64;
            if n > 0.0 {
                let k = (t.chosen - chosen_before) as f64;
                t.dispersion += (k - 0.15 * n).powi(2) / (n * 0.15 * 0.85);
                sequences += 1;
            }
        }
    }
    t.dispersion /= sequences.max(1) as f64;
    Ok(t)
}

/// Grades `mask_tokens(ids, special, vocab_size, mask_id, rng)`.
pub fn check_mask_tokens<F>(f: F) -> Check
where
    F: Fn(&[u32], &[u32], u32, u32, &mut StdRng) -> Masked,
{
    let (vocab_size, inputs) = corpus_inputs();
    let ordinary = (vocab_size - SPECIAL.len() as u32) as f64;
    let run = |ids: &[u32], rng: &mut StdRng| f(ids, &SPECIAL, vocab_size, MASK, rng);
    check_seeds(&run, &inputs)?;
    let t = tally(&run, &inputs, vocab_size)?;
    // Before the rate: an exact count per sequence also shifts the rate a little (by its
    // rounding), and the dispersion names that mistake, not the rate.
    if t.dispersion < 0.5 {
        return Err(Failure::new(format!(
            "the number of chosen positions hardly varies between sequences (its variance is \
             {:.2} of the binomial's): you chose an exact count per sequence, as BERT's \
             script does. This exercise takes Hugging Face's rule: one coin with p = 0.15 \
             per ordinary position.",
            t.dispersion
        )));
    }
    let z = z_score(t.chosen, t.candidates, 0.15);
    if z.abs() > SIGMAS {
        return Err(Failure::new(format!(
            "{} of {} ordinary positions were chosen ({:.2} %), {z:.1} standard errors from \
             15 % (allowed {SIGMAS}): {}.",
            t.chosen,
            t.candidates,
            100.0 * t.rate(),
            diagnose(&t, &RATE_DIAGNOSES, RATE_RULE)
        )));
    }
    let checks = [
        ("[MASK]", t.masked, 0.8),
        ("random", t.random, 0.1 * (1.0 - 1.0 / ordinary)),
        ("unchanged", t.kept, 0.1 + 0.1 / ordinary),
    ];
    for (what, count, p) in checks {
        let z = z_score(count, t.chosen, p);
        if z.abs() <= SIGMAS {
            continue;
        }
        return Err(Failure::new(format!(
            "of the {} chosen, {:.1} % [MASK], {:.1} % random, {:.1} % unchanged; the {what} \
             share is {z:.1} standard errors from {:.1} % (allowed {SIGMAS}; a random draw may \
             equal the original, which counts as unchanged): {}.",
            t.chosen,
            100.0 * t.share(t.masked),
            100.0 * t.share(t.random),
            100.0 * t.share(t.kept),
            100.0 * p,
            diagnose(&t, &SHARE_DIAGNOSES, SHARE_RULE)
        )));
    }
    Ok(())
}
