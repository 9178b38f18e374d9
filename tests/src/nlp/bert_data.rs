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
use solutions::nlp::bert_data::{
    documents, pair_input, z_score, Masked, NspPair, SentenceRef, WordVocab, MASK, PAD, SPECIAL,
};
use solutions::nlp::corpus;

/// How many standard errors a proportion may stray before the check fails.
const SIGMAS: f64 = 5.0;

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

/// Grades `mask_tokens(ids, special, vocab_size, mask_id, rng)`.
pub fn check_mask_tokens<F>(f: F) -> Check
where
    F: Fn(&[u32], &[u32], u32, u32, &mut StdRng) -> Masked,
{
    let (vocab_size, inputs) = corpus_inputs();
    let ordinary = (vocab_size - SPECIAL.len() as u32) as f64;
    let run =
        |ids: &[u32], seed| f(ids, &SPECIAL, vocab_size, MASK, &mut StdRng::seed_from_u64(seed));

    // The same seed gives the same output; another seed another one.
    let long: Vec<u32> = inputs.iter().take(20).flatten().copied().collect();
    if run(&long, 7) != run(&long, 7) {
        return Err(Failure::new(
            "two calls with the same seed gave different masks: draw every random number from \
             the `rng` argument (not `rand::thread_rng()`), so that a seed reproduces the data."
                .to_string(),
        ));
    }
    if run(&long, 7) == run(&long, 8) {
        return Err(Failure::new(
            "seeds 7 and 8 gave identical masks over 1 280 positions: the `rng` argument is \
             ignored (a fixed seed inside the function?)."
                .to_string(),
        ));
    }

    let (mut candidates, mut chosen, mut masked, mut random, mut kept) = (0, 0, 0, 0, 0);
    let mut changed_unlabelled = 0;
    // Σ (k − np)² / np(1 − p) over sequences: about 1 per sequence for independent coins,
    // near 0 for an exact count per sequence.
    let (mut dispersion, mut sequences) = (0.0, 0);
    let mut rng = StdRng::seed_from_u64(0);
    for round in 0..4 {
        for (s, ids) in inputs.iter().enumerate() {
            let m = f(ids, &SPECIAL, vocab_size, MASK, &mut rng);
            if m.input_ids.len() != ids.len() || m.labels.len() != ids.len() {
                return Err(Failure::new(format!(
                    "for {} ids you returned {} input ids and {} labels: masking replaces tokens \
                     in place, one output and one label per position.",
                    ids.len(),
                    m.input_ids.len(),
                    m.labels.len()
                )));
            }
            let (before, chosen_before) = (candidates, chosen);
            for (i, &o) in ids.iter().enumerate() {
                let (x, l) = (m.input_ids[i], m.labels[i]);
                let at = format!("sequence {s} (round {round}), position {i}");
                if SPECIAL.contains(&o) {
                    if x != o || l.is_some() {
                        return Err(Failure::new(format!(
                            "{at} holds {} (id {o}) but became id {x} with label {l:?}: you \
                             masked [CLS]/[SEP]/[PAD]. Special tokens are never chosen: they \
                             carry no word to predict, and [CLS]/[SEP] mark the layout.",
                            names(o)
                        )));
                    }
                    continue;
                }
                candidates += 1;
                match l {
                    None if x != o => changed_unlabelled += 1,
                    None => {}
                    Some(label) if label != o => {
                        return Err(Failure::new(format!(
                            "{at}: the label is {label}, but the original id there is {o}: a \
                             label is the token the model must recover, the original, not the \
                             replacement."
                        )));
                    }
                    Some(_) => {
                        chosen += 1;
                        if x == MASK {
                            masked += 1;
                        } else if x == o {
                            kept += 1;
                        } else if SPECIAL.contains(&x) || x >= vocab_size {
                            return Err(Failure::new(format!(
                                "{at}: the random replacement is id {x}, outside the ordinary \
                                 vocabulary (ids below {vocab_size} that are not special): \
                                 draw it uniformly from those."
                            )));
                        } else {
                            random += 1;
                        }
                    }
                }
            }
            let n = (candidates - before) as f64;
            if n > 0.0 {
                let k = (chosen - chosen_before) as f64;
                dispersion += (k - 0.15 * n).powi(2) / (n * 0.15 * 0.85);
                sequences += 1;
            }
        }
    }
    if changed_unlabelled > 0 {
        return Err(Failure::new(format!(
            "{changed_unlabelled} positions were changed but carry no label: every changed \
             position was chosen and needs its original id as label (otherwise the model is \
             shown noise and never asked to undo it)."
        )));
    }
    let share = |k: usize| k as f64 / chosen.max(1) as f64;
    let (pm, pr, pk) = (share(masked), share(random), share(kept));
    let shares = format!(
        "of the {chosen} chosen, {:.1} % [MASK], {:.1} % random, {:.1} % unchanged",
        100.0 * pm,
        100.0 * pr,
        100.0 * pk
    );
    let z = z_score(chosen, candidates, 0.15);
    if z.abs() > SIGMAS {
        let frac = chosen as f64 / candidates as f64;
        let cause = if frac > 0.9 {
            "labels set at unchosen positions: the loss would count them. Only the chosen 15 % \
             get a label; the rest are None (−100 in Hugging Face), which the loss ignores"
                .to_string()
        } else if pk < 0.01 && (frac - 0.135).abs() < 0.01 {
            "the 10 % of chosen tokens left unchanged got no label: they are still prediction \
             targets (that is what makes the model check every visible token)"
                .to_string()
        } else if (frac - 0.8).abs() < 0.05 {
            "80 % of the positions were chosen: the proportions are swapped. 15 % are chosen, \
             and 80 % of those become [MASK]"
                .to_string()
        } else {
            "each ordinary position is chosen with probability 0.15, one coin per position \
             (Hugging Face's rule), not an exact rounded count per sequence (BERT's script)"
                .to_string()
        };
        return Err(Failure::new(format!(
            "{chosen} of {candidates} ordinary positions were chosen ({:.2} %), {:.1} standard \
             errors from 15 % (allowed {SIGMAS}): {cause}.",
            100.0 * frac,
            z
        )));
    }
    let dispersion = dispersion / sequences.max(1) as f64;
    if dispersion < 0.5 {
        return Err(Failure::new(format!(
            "the number of chosen positions hardly varies between sequences (its variance is \
             {dispersion:.2} of the binomial's): you chose an exact count per sequence, as \
             BERT's script does. This exercise takes Hugging Face's rule, one coin with \
             p = 0.15 per ordinary position, not an exact rounded count per sequence."
        )));
    }
    let checks = [
        ("[MASK]", masked, 0.8),
        ("random", random, 0.1 * (1.0 - 1.0 / ordinary)),
        ("unchanged", kept, 0.1 + 0.1 / ordinary),
    ];
    for (what, count, p) in checks {
        let z = z_score(count, chosen, p);
        if z.abs() <= SIGMAS {
            continue;
        }
        let cause = if pm > 0.99 {
            "all chosen tokens became [MASK]: the 10 % random and 10 % unchanged are missing, so \
             the model never learns to represent unmasked input ([MASK] never occurs in \
             fine-tuning, and it could ignore every visible token)"
        } else if (pm - 0.15).abs() < 0.03 {
            "15 % of the chosen became [MASK] (proportions swapped): 15 % of the positions are \
             chosen, and 80 % of those become [MASK]"
        } else if pk < 0.02 {
            "none of the chosen tokens was left as it was: 10 % must stay unchanged (still \
             labelled), so that a visible token may also be a target"
        } else if pr < 0.02 {
            "no chosen token got a random replacement: 10 % must become a random ordinary id"
        } else {
            "a chosen token becomes [MASK] with probability 0.8, a random id with 0.1, and \
             stays with 0.1: draw one uniform number per chosen token"
        };
        return Err(Failure::new(format!(
            "{shares}; the {what} share is {z:.1} standard errors from {:.1} % (allowed \
             {SIGMAS}; a random draw may equal the original, which counts as unchanged): \
             {cause}.",
            100.0 * p
        )));
    }
    Ok(())
}

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
