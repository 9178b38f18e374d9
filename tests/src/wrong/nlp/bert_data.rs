//! §2.5: plausible wrong MLM masks and NSP pairs.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::nlp::bert_data::{
    mask_tokens, nsp_pairs, random_ordinary_id, Masked, NspPair, SentenceRef,
};

/// The reference masking with the chosen-token split and the choice rule as parameters:
/// `choose(id)` says whether an id may be chosen, `p` is the choice probability, and a
/// chosen token gets [MASK] below `m`, a random id below `m + r`, else stays.
#[allow(clippy::too_many_arguments)]
fn masking(
    ids: &[u32],
    special: &[u32],
    vocab: u32,
    mask_id: u32,
    rng: &mut StdRng,
    (p, m, r): (f64, f64, f64),
    may_choose: impl Fn(u32) -> bool,
    label_all: bool,
) -> Masked {
    let mut input_ids = ids.to_vec();
    let mut labels = vec![None; ids.len()];
    for (i, &id) in ids.iter().enumerate() {
        if label_all && !special.contains(&id) {
            labels[i] = Some(id);
        }
        if !may_choose(id) || !rng.gen_bool(p) {
            continue;
        }
        labels[i] = Some(id);
        let u: f64 = rng.gen();
        if u < m {
            input_ids[i] = mask_id;
        } else if u < m + r {
            input_ids[i] = random_ordinary_id(special, vocab, rng);
        }
    }
    Masked { input_ids, labels }
}

/// Every position may be chosen, [CLS], [SEP] and [PAD] included.
pub fn mask_specials_too(ids: &[u32], s: &[u32], v: u32, m: u32, rng: &mut StdRng) -> Masked {
    masking(ids, s, v, m, rng, (0.15, 0.8, 0.1), |_| true, false)
}

/// Every chosen token becomes [MASK]: no random, no unchanged.
pub fn mask_all_chosen(ids: &[u32], s: &[u32], v: u32, m: u32, rng: &mut StdRng) -> Masked {
    masking(ids, s, v, m, rng, (0.15, 1.0, 0.0), |id| !s.contains(&id), false)
}

/// 15 % of the chosen become [MASK], the rest split between random and unchanged.
pub fn mask_shares_swapped(ids: &[u32], s: &[u32], v: u32, m: u32, rng: &mut StdRng) -> Masked {
    masking(ids, s, v, m, rng, (0.15, 0.15, 0.425), |id| !s.contains(&id), false)
}

/// Labels at every ordinary position, chosen or not.
pub fn mask_labels_everywhere(ids: &[u32], s: &[u32], v: u32, m: u32, rng: &mut StdRng) -> Masked {
    masking(ids, s, v, m, rng, (0.15, 0.8, 0.1), |id| !s.contains(&id), true)
}

/// 80 / 20 / 0: the chosen tokens that are not masked all get a random id.
pub fn mask_never_unchanged(ids: &[u32], s: &[u32], v: u32, m: u32, rng: &mut StdRng) -> Masked {
    masking(ids, s, v, m, rng, (0.15, 0.8, 0.2), |id| !s.contains(&id), false)
}

/// Ignores the RNG argument: a fresh generator with a fixed seed on every call.
pub fn mask_fixed_seed(ids: &[u32], s: &[u32], v: u32, m: u32, _rng: &mut StdRng) -> Masked {
    mask_tokens(ids, s, v, m, &mut StdRng::seed_from_u64(0))
}

/// NotNext B drawn from anywhere in the corpus, A's own document included.
pub fn nsp_negatives_anywhere(docs: &[Vec<String>], rng: &mut StdRng) -> Vec<NspPair> {
    let all: Vec<SentenceRef> = docs
        .iter()
        .enumerate()
        .flat_map(|(doc, s)| (0..s.len()).map(move |sentence| SentenceRef { doc, sentence }))
        .collect();
    let mut pairs = nsp_pairs(docs, rng);
    for p in pairs.iter_mut().filter(|p| !p.is_next) {
        p.b = all[rng.gen_range(0..all.len())];
    }
    pairs
}

/// The labels flipped: IsNext on the random pairs and NotNext on the real ones.
pub fn nsp_labels_flipped(docs: &[Vec<String>], rng: &mut StdRng) -> Vec<NspPair> {
    let mut pairs = nsp_pairs(docs, rng);
    pairs.iter_mut().for_each(|p| p.is_next = !p.is_next);
    pairs
}

/// B is the real next sentence three times in four.
pub fn nsp_mostly_positive(docs: &[Vec<String>], rng: &mut StdRng) -> Vec<NspPair> {
    let mut pairs = nsp_pairs(docs, rng);
    for p in pairs.iter_mut().filter(|p| !p.is_next) {
        if rng.gen_bool(0.5) {
            p.b = SentenceRef { doc: p.a.doc, sentence: p.a.sentence + 1 };
            p.is_next = true;
        }
    }
    pairs
}

/// BERT's script's rule in place of the per-token coin: exactly round(15 %) of the ordinary
/// positions of each sequence, at least one.
pub fn mask_exact_count(ids: &[u32], s: &[u32], v: u32, m: u32, rng: &mut StdRng) -> Masked {
    use rand::seq::SliceRandom;
    let mut candidates: Vec<usize> = (0..ids.len()).filter(|&i| !s.contains(&ids[i])).collect();
    let k = ((candidates.len() as f64 * 0.15).round() as usize).max(1).min(candidates.len());
    candidates.shuffle(rng);
    let mut input_ids = ids.to_vec();
    let mut labels = vec![None; ids.len()];
    for &i in &candidates[..k] {
        labels[i] = Some(ids[i]);
        let u: f64 = rng.gen();
        if u < 0.8 {
            input_ids[i] = m;
        } else if u < 0.9 {
            input_ids[i] = random_ordinary_id(s, v, rng);
        }
    }
    Masked { input_ids, labels }
}
