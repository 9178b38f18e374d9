//! §2.3 The Unigram language model tokenizer (Unigram 语言模型分词): Viterbi segmentation
//! and training by EM with pruning.
//!
//! Paper: Kudo, *Subword Regularization*, 2018, arXiv 1804.10959, §3. Hugging Face:
//! `tokenizers::models::unigram::Unigram` and `UnigramTrainer` (SentencePiece's algorithm).
//!
//! Unigram turns BPE around. It starts from a *large* vocabulary, gives every piece $x$ a
//! probability $p(x)$, and scores a segmentation $\mathbf{x} = (x_1, \dots, x_m)$ of a word
//! by $\sum_i \log p(x_i)$, as if the pieces were drawn independently. The tokenizer
//! outputs the best segmentation (Viterbi, 维特比); training alternates EM re-estimation of
//! the $p(x)$ with pruning the pieces whose removal costs the least likelihood.

use std::collections::HashMap;

/// An uncovered character scores this much below the lowest piece (Hugging Face's
/// `K_UNK_PENALTY`, as in SentencePiece).
pub const UNK_PENALTY: f64 = 10.0;

/// One cell of the Viterbi table: the best score of the word's first `end` characters
/// and where the last piece of that best path starts (in characters).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cell {
    pub score: f64,
    pub start: usize,
    /// False when that last piece is an unknown character (no piece covers it).
    pub known: bool,
}

/// The Viterbi table of `word`, one [`Cell`] per character boundary (index 0 is the empty
/// prefix). `best[e] = max over s < e of best[s] + log p(word[s..e])`, over the pieces in
/// `pieces` (log-probabilities), skipping `exclude`. A character that starts no one-
/// character piece gets an unknown edge scoring `min log p − 10`, as in Hugging Face.
// ANCHOR: viterbi_table
pub fn viterbi_table(
    word: &str,
    pieces: &HashMap<String, f64>,
    exclude: Option<&str>,
) -> Vec<Cell> {
    let bounds: Vec<usize> = word.char_indices().map(|(i, _)| i).chain([word.len()]).collect();
    let n = bounds.len() - 1;
    let mut table: Vec<Option<Cell>> = vec![None; n + 1];
    table[0] = Some(Cell { score: 0.0, start: 0, known: true });
    let mut unk_score = None; // min log p − 10, computed only when needed
    for s in 0..n {
        let Some(here) = table[s] else { continue };
        let mut single = false;
        for e in s + 1..=n {
            let piece = &word[bounds[s]..bounds[e]];
            let Some(&logp) = pieces.get(piece).filter(|_| Some(piece) != exclude) else {
                continue;
            };
            single |= e == s + 1;
            // Subtle: strictly greater, and starts visited in increasing order: of equal
            // paths the one whose last piece starts earliest (is longest) wins, as in HF.
            let cand = here.score + logp;
            if table[e].is_none_or(|c| cand > c.score) {
                table[e] = Some(Cell { score: cand, start: s, known: true });
            }
        }
        if !single {
            let unk = *unk_score.get_or_insert_with(|| {
                pieces.values().copied().fold(f64::INFINITY, f64::min) - UNK_PENALTY
            });
            let cand = here.score + unk;
            if table[s + 1].is_none_or(|c| cand > c.score) {
                table[s + 1] = Some(Cell { score: cand, start: s, known: false });
            }
        }
    }
    // Every boundary is reachable: each character has a one-character or an unknown edge.
    table.into_iter().map(|c| c.expect("reachable")).collect()
}
// ANCHOR_END: viterbi_table

/// The most likely segmentation of `word` under a unigram model: the pieces $x_1 \dots x_m$
/// spelling the word that maximise $\sum_i \log p(x_i)$. `pieces` maps each piece to its
/// log-probability. Consecutive characters that no piece covers come back fused as one
/// piece (Hugging Face's `fuse_unk`; its id would be the unknown token's).
///
/// Worked example, log-probabilities h −3, u −3, g −3, s −2, hu −2.5, ug −3, hug −4,
/// gs −4.5. The best score of each prefix of `hugs`: `h` −3; `hu` max(−2.5, −3−3) = −2.5;
/// `hug` max(hug −4, h·ug −6, hu·g −5.5) = −4; `hugs` max(hug·s −4−2 = −6, hu·gs
/// −2.5−4.5 = −7) = −6. Walking back from the end: `s` starts at 3, `hug` at 0.
///
/// ```
/// # use solutions::nlp::unigram::{unigram_viterbi, viterbi_table};
/// let pieces = [("h", -3.0), ("u", -3.0), ("g", -3.0), ("s", -2.0), ("hu", -2.5),
///     ("ug", -3.0), ("hug", -4.0), ("gs", -4.5)].map(|(p, l)| (p.to_string(), l)).into();
/// assert_eq!(unigram_viterbi("hugs", &pieces), ["hug", "s"]);
/// let best: Vec<f64> = viterbi_table("hugs", &pieces, None).iter().map(|c| c.score).collect();
/// assert_eq!(best, [0.0, -3.0, -2.5, -4.0, -6.0]);
/// ```
// ANCHOR: unigram_viterbi
pub fn unigram_viterbi(word: &str, pieces: &HashMap<String, f64>) -> Vec<String> {
    let table = viterbi_table(word, pieces, None);
    let bounds: Vec<usize> = word.char_indices().map(|(i, _)| i).chain([word.len()]).collect();
    // Walk the back-pointers from the end, gluing runs of unknown characters together.
    let mut out: Vec<String> = vec![];
    let (mut e, mut unk_end) = (bounds.len() - 1, None);
    while e > 0 {
        let Cell { start, known, .. } = table[e];
        if known {
            if let Some(u) = unk_end.take() {
                out.push(word[bounds[e]..bounds[u]].to_string());
            }
            out.push(word[bounds[start]..bounds[e]].to_string());
        } else {
            unk_end.get_or_insert(e);
        }
        e = start;
    }
    if let Some(u) = unk_end {
        out.push(word[..bounds[u]].to_string());
    }
    out.reverse();
    out
}
// ANCHOR_END: unigram_viterbi

/// $\log \sum_{\mathbf{x}} \prod_i p(x_i)$ over every segmentation, and the expected count
/// of each piece given the word (forward–backward over the lattice), for the E-step.
fn forward_backward(
    word: &[char],
    pieces: &HashMap<String, f64>,
    max: usize,
    expected: &mut HashMap<String, f64>,
    weight: f64,
) -> f64 {
    let n = word.len();
    let lse = |a: f64, b: f64| {
        if a == f64::NEG_INFINITY {
            b
        } else {
            a.max(b) + (-(a - b).abs()).exp().ln_1p()
        }
    };
    let edges: Vec<(usize, usize, String, f64)> = (0..n)
        .flat_map(|s| (s + 1..=n.min(s + max)).map(move |e| (s, e)))
        .filter_map(|(s, e)| {
            let p: String = word[s..e].iter().collect();
            pieces.get(&p).map(|&l| (s, e, p, l))
        })
        .collect();
    let (mut alpha, mut beta) = (vec![f64::NEG_INFINITY; n + 1], vec![f64::NEG_INFINITY; n + 1]);
    alpha[0] = 0.0;
    beta[n] = 0.0;
    for (s, e, _, l) in &edges {
        alpha[*e] = lse(alpha[*e], alpha[*s] + l); // edges are sorted by start
    }
    for (s, e, _, l) in edges.iter().rev() {
        beta[*s] = lse(beta[*s], beta[*e] + l);
    }
    for (s, e, p, l) in &edges {
        *expected.entry(p.clone()).or_default() +=
            weight * (alpha[*s] + l + beta[*e] - alpha[n]).exp();
    }
    alpha[n]
}

/// Trains a Unigram vocabulary of `vocab_size` pieces on `(word, count)` pairs (Kudo §3.2):
/// 1. seed with every single character and the substrings of up to `max_chars` characters
///    that occur at least twice, $p \propto$ frequency;
/// 2. run two EM steps: expected piece counts by forward–backward, then $p = c / \sum c$
///    (pieces expected less than half a time are dropped, never below `vocab_size`);
/// 3. prune: for each multi-character piece, the loss of log-likelihood if it were removed
///    (each word's Viterbi score with and without it, summed over the words whose best
///    path uses it); keep the best 75 % (never fewer than `vocab_size`), and all single
///    characters so that every word stays coverable; repeat from 2.
///
/// Returns exactly `vocab_size` pieces, as `(piece, log p)` sorted by log-probability,
/// highest first. Two exceptions, both from the corpus: if it has more distinct characters
/// than `vocab_size`, all of them are kept (and nothing else); if the seed of step 1 has
/// fewer than `vocab_size` pieces, all of them are returned.
// ANCHOR: train_unigram
pub fn train_unigram(
    words: &[(String, u64)],
    vocab_size: usize,
    max_chars: usize,
) -> Vec<(String, f64)> {
    let chars: Vec<(Vec<char>, f64)> =
        words.iter().map(|(w, n)| (w.chars().collect(), *n as f64)).collect();
    let mut freq: HashMap<String, f64> = HashMap::new();
    for (w, n) in &chars {
        for s in 0..w.len() {
            for e in s + 1..=w.len().min(s + max_chars) {
                *freq.entry(w[s..e].iter().collect()).or_default() += n;
            }
        }
    }
    freq.retain(|p, f| p.chars().count() == 1 || *f >= 2.0);
    let normalise = |c: HashMap<String, f64>| -> HashMap<String, f64> {
        let total: f64 = c.values().sum();
        c.into_iter().map(|(p, f)| (p, f.ln() - total.ln())).collect()
    };
    let mut pieces = normalise(freq);
    loop {
        for _ in 0..2 {
            let mut expected: HashMap<String, f64> =
                pieces.keys().map(|p| (p.clone(), 0.0)).collect();
            for (w, n) in &chars {
                forward_backward(w, &pieces, max_chars, &mut expected, *n);
            }
            drop_rare(&mut expected, vocab_size);
            pieces = normalise(expected);
        }
        if pieces.len() <= vocab_size {
            break;
        }
        let mut loss: HashMap<&str, f64> = HashMap::new();
        for (w, n) in words {
            let mut best = unigram_viterbi(w, &pieces);
            best.sort();
            best.dedup(); // a piece used twice in a word is removed once
            let score = viterbi_table(w, &pieces, None).last().unwrap().score;
            for p in best.iter().filter(|p| p.chars().count() > 1) {
                let without = viterbi_table(w, &pieces, Some(p)).last().unwrap().score;
                let key = pieces.get_key_value(p.as_str()).unwrap().0.as_str();
                *loss.entry(key).or_default() += *n as f64 * (score - without);
            }
        }
        let mut multi: Vec<(&str, f64)> = pieces
            .keys()
            .filter(|p| p.chars().count() > 1)
            .map(|p| (p.as_str(), loss.get(p.as_str()).copied().unwrap_or(0.0)))
            .collect();
        if multi.is_empty() {
            break; // only characters left: the vocabulary cannot shrink further
        }
        multi.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        let singles = pieces.len() - multi.len();
        let keep = ((pieces.len() * 3) / 4).max(vocab_size).saturating_sub(singles);
        let kept: Vec<String> = multi.into_iter().take(keep).map(|(p, _)| p.to_string()).collect();
        pieces.retain(|p, _| p.chars().count() == 1 || kept.contains(p));
    }
    let mut out: Vec<(String, f64)> = pieces.into_iter().collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}
// ANCHOR_END: train_unigram

/// The M-step's clean-up of expected counts: a multi-character piece expected less than
/// half a time is dropped (as in SentencePiece), the rarest first, but never below
/// `vocab_size` pieces; the pieces kept below 1/2 get a floor count of 1/2.
///
/// Subtle: two traps. A character always swallowed by longer pieces can get an expected
/// count that underflows to 0, log p = −∞, and words that need it would become
/// impossible: characters are never dropped and get the floor too. And dropping every rare
/// piece after the last pruning would leave fewer than `vocab_size` pieces, so the drop
/// stops there and the floor keeps the rest.
fn drop_rare(expected: &mut HashMap<String, f64>, vocab_size: usize) {
    let mut rare: Vec<(String, f64)> = expected
        .iter()
        .filter(|(p, &c)| c < 0.5 && p.chars().count() > 1)
        .map(|(p, &c)| (p.clone(), c))
        .collect();
    rare.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let droppable = expected.len().saturating_sub(vocab_size);
    for (p, _) in rare.into_iter().take(droppable) {
        expected.remove(&p);
    }
    expected.values_mut().for_each(|c| *c = c.max(0.5));
}

#[cfg(test)]
mod tests;
