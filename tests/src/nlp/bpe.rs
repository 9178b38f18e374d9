//! Graded suite for §2.2: BPE's pair counts, merge, naive trainer and encoder.
//!
//! Every expected value is recomputed here by a short reference (or worked by hand:
//! minbpe's "aaabdaaabac"). Wrong answers are matched against the usual slips: counting a
//! word's pairs once instead of once per occurrence of the word, skipping overlapping
//! pairs, merging overlapping occurrences, breaking ties the other way, numbering new ids
//! off by one, and encoding by the frequency of pairs in the input instead of merge rank.

use crate::{Check, Failure};
use solutions::nlp::bpe::Pair;
use std::collections::HashMap;

type Words = Vec<(Vec<u32>, u64)>;

fn bytes(s: &str) -> Vec<u32> {
    s.bytes().map(u32::from).collect()
}

/// Ids as text where they are ASCII letters, e.g. `[a, a, 256]`.
fn show(ids: &[u32]) -> String {
    let one = |&i: &u32| match char::from_u32(i) {
        Some(c) if c.is_ascii_alphabetic() => c.to_string(),
        _ => i.to_string(),
    };
    format!("[{}]", ids.iter().map(one).collect::<Vec<_>>().join(", "))
}

fn reference_counts(
    words: &[(Vec<u32>, u64)],
    weighted: bool,
    overlaps: bool,
) -> HashMap<Pair, u64> {
    let mut counts = HashMap::new();
    for (w, c) in words {
        let mut i = 0;
        while i + 1 < w.len() {
            *counts.entry((w[i], w[i + 1])).or_default() += if weighted { *c } else { 1 };
            // Without overlaps, `a a a` is read as one (a, a) and a leftover `a`.
            i += if !overlaps && w[i] == w[i + 1] { 2 } else { 1 };
        }
    }
    counts
}

fn reference_merge(ids: &[u32], pair: Pair, new_id: u32) -> Vec<u32> {
    let mut out = vec![];
    let mut i = 0;
    while i < ids.len() {
        let hit = i + 1 < ids.len() && (ids[i], ids[i + 1]) == pair;
        out.push(if hit { new_id } else { ids[i] });
        i += if hit { 2 } else { 1 };
    }
    out
}

/// The reference trainer, also returning each step's counts for the diagnosis.
fn reference_train(words: &Words, first: u32, n: usize) -> (Vec<Pair>, Vec<HashMap<Pair, u64>>) {
    let (mut words, mut merges, mut steps) = (words.clone(), vec![], vec![]);
    for k in 0..n {
        let counts = reference_counts(&words, true, true);
        let Some((&p, _)) = counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) else {
            break;
        };
        words.iter_mut().for_each(|(w, _)| *w = reference_merge(w, p, first + k as u32));
        merges.push(p);
        steps.push(counts);
    }
    (merges, steps)
}

/// Grades `pair_counts(words)`.
pub fn check_pair_counts<F>(f: F) -> Check
where
    F: Fn(&[(Vec<u32>, u64)]) -> HashMap<Pair, u64>,
{
    let cases: Vec<Words> = vec![
        vec![(bytes("aaa"), 3), (bytes("ab"), 2)],
        vec![(bytes("low"), 5), (bytes("lower"), 2), (bytes("newest"), 6), (bytes("widest"), 3)],
        vec![(bytes("x"), 4), (vec![], 1), (bytes("abab"), 1)],
    ];
    for words in cases {
        let got = f(&words);
        let want = reference_counts(&words, true, true);
        if got == want {
            continue;
        }
        let label: Vec<String> = words.iter().map(|(w, c)| format!("{} ×{c}", show(w))).collect();
        let cause = if got == reference_counts(&words, false, true) {
            "you counted each pair once per word instead of weighting by the word's frequency: \
             a word that occurs c times adds c to each of its pairs"
        } else if got == reference_counts(&words, true, false) {
            "overlapping pairs were skipped: `a a a` holds (a, a) twice, at positions 0–1 and \
             1–2. Counting looks at every adjacent pair; only merging skips overlaps"
        } else if got.values().any(|&c| c == 0) {
            "a pair that does not occur should not be in the map at all"
        } else {
            "count every adjacent pair (w[i], w[i+1]) of every word, weighted by its count"
        };
        let mut diffs: Vec<String> = want
            .iter()
            .filter(|(p, c)| got.get(p) != Some(c))
            .map(|(p, c)| format!("{} is {:?}, expected {c}", show(&[p.0, p.1]), got.get(p)))
            .collect();
        diffs.sort();
        diffs.truncate(3);
        return Err(Failure::new(format!(
            "pair_counts([{}]): {}: {cause}.",
            label.join(", "),
            if diffs.is_empty() { "extra pairs".into() } else { diffs.join("; ") }
        )));
    }
    Ok(())
}

/// Grades `merge_pair(ids, pair, new_id)`.
pub fn check_merge_pair<F>(f: F) -> Check
where
    F: Fn(&[u32], Pair, u32) -> Vec<u32>,
{
    let (a, b, c, z) = (97, 98, 99, 256);
    let cases: [(Vec<u32>, Pair); 8] = [
        (vec![a, b, c, a, b], (a, b)),
        (vec![a, a, a], (a, a)),
        (vec![a, a, a, a], (a, a)),
        (vec![c, a, b], (a, b)),
        (vec![b, a, c], (a, b)),
        (vec![a], (a, b)),
        (vec![], (a, b)),
        (vec![a, b, a, b, a], (b, a)),
    ];
    for (ids, pair) in cases {
        let got = f(&ids, pair, z);
        let want = reference_merge(&ids, pair, z);
        if got == want {
            continue;
        }
        let first_only = {
            let at = ids.windows(2).position(|w| (w[0], w[1]) == pair);
            at.map(|i| [&ids[..i], &[z], &ids[i + 2..]].concat())
        };
        let cause = if ids == [a, a, a] && got == [z, z] {
            "you replaced overlapping occurrences: `a a a` with (a, a) must become [Z, a]. \
             After a match, continue two symbols further on: the middle `a` is used up"
        } else if got.len() < want.len() {
            "symbols went missing: a symbol that does not start the pair is copied as it is, \
             the last one included"
        } else if first_only.as_ref() == Some(&got) {
            "only the first occurrence was replaced: replace every one, left to right"
        } else if pair.0 != pair.1
            && got.contains(&z)
            && !ids.windows(2).any(|w| (w[0], w[1]) == pair)
        {
            "the pair is ordered: (a, b) matches `a b`, never `b a`"
        } else {
            "scan left to right; where ids[i], ids[i+1] is the pair, push new_id and skip both"
        };
        return Err(Failure::new(format!(
            "merge_pair({}, {}, 256) is {}, expected {}: {cause}.",
            show(&ids),
            show(&[pair.0, pair.1]),
            show(&got),
            show(&want)
        )));
    }
    Ok(())
}

/// Grades `train_bpe(words, first_id, num_merges)`.
pub fn check_train_bpe<F>(f: F) -> Check
where
    F: Fn(&[(Vec<u32>, u64)], u32, usize) -> Vec<Pair>,
{
    let cases: Vec<(&str, Words, usize)> = vec![
        ("\"aaabdaaabac\" ×1", vec![(bytes("aaabdaaabac"), 1)], 3),
        (
            "low ×5, lower ×2, newest ×6, widest ×3",
            vec![
                (bytes("low"), 5),
                (bytes("lower"), 2),
                (bytes("newest"), 6),
                (bytes("widest"), 3),
            ],
            8,
        ),
        ("ab ×1, asking for 5 merges", vec![(bytes("ab"), 1)], 5),
    ];
    for (label, words, n) in cases {
        let got = f(&words, 256, n);
        let (want, steps) = reference_train(&words, 256, n);
        if got == want {
            continue;
        }
        let Some(k) = (0..want.len()).find(|&k| got.get(k) != Some(&want[k])) else {
            return Err(Failure::new(format!(
                "train_bpe({label}, 256, {n}) gave {} merges, expected {}: when every word is a \
                 single symbol there is no pair left, so training stops early.",
                got.len(),
                want.len()
            )));
        };
        let prefix = format!(
            "train_bpe({label}, 256, {n}): merge {} is {:?}, expected {:?}",
            k + 1,
            got.get(k),
            want[k]
        );
        let counts = &steps[k];
        let top = counts[&want[k]];
        let shifted = |p: Pair| (p.0 + (p.0 >= 256) as u32, p.1 + (p.1 >= 256) as u32);
        let cause = match got.get(k) {
            None => "training stopped too early: merge as long as some pair occurs".to_string(),
            Some(g) if counts.get(g) == Some(&top) => format!(
                "both occur {top} times, a tie. Break ties like Hugging Face's BpeTrainer: the \
                 smallest (left, right) pair wins, so the result never depends on HashMap order"
            ),
            Some(&g) if want[k] != g && shifted(want[k]) == g => format!(
                "merge k (from 0) must create the id first_id + k, so merge {} is {}; your ids \
                 are one off",
                k + 1,
                256 + k
            ),
            Some(g) => {
                let unweighted = {
                    let mut w = words.clone();
                    for (i, &p) in want[..k].iter().enumerate() {
                        w.iter_mut().for_each(|(s, _)| *s = reference_merge(s, p, 256 + i as u32));
                    }
                    reference_counts(&w, false, true)
                };
                let max = unweighted.values().max().copied().unwrap_or(0);
                if unweighted.get(g) == Some(&max) && counts.get(g) != Some(&top) {
                    "you counted each pair once per word: weight it by the word's count".into()
                } else {
                    format!(
                        "{:?} occurs {} times but {:?} occurs {top}: take the most frequent pair",
                        g,
                        counts.get(g).copied().unwrap_or(0),
                        want[k]
                    )
                }
            }
        };
        return Err(Failure::new(format!("{prefix}: {cause}.")));
    }
    Ok(())
}

/// Grades `bpe_encode(symbols, merges)`.
pub fn check_bpe_encode<F>(f: F) -> Check
where
    F: Fn(&[u32], &HashMap<Pair, u32>) -> Vec<u32>,
{
    let table = |m: &[Pair]| -> HashMap<Pair, u32> {
        m.iter().enumerate().map(|(k, &p)| (p, 256 + k as u32)).collect()
    };
    let (a, b, c) = (97, 98, 99);
    let cases: Vec<(Vec<u32>, Vec<Pair>)> = vec![
        (bytes("aaabdaaabac"), vec![(a, a), (a, b), (256, 257)]),
        (bytes("abc"), vec![(a, b), (b, c), (256, c)]),
        // (b, c) is the older merge, though `a b` is the more frequent pair in the input.
        (bytes("ababc"), vec![(b, c), (a, b)]),
        (bytes("xyz"), vec![(a, b)]),
        (bytes("a"), vec![(a, b)]),
    ];
    for (word, merges) in cases {
        let t = table(&merges);
        let got = f(&word, &t);
        // Applying the merges in rank order, each everywhere, is what training did.
        let want = merges
            .iter()
            .enumerate()
            .fold(word.clone(), |w, (k, &p)| reference_merge(&w, p, 256 + k as u32));
        if got == want {
            continue;
        }
        let latest_first = merges
            .iter()
            .enumerate()
            .rev()
            .fold(word.clone(), |w, (k, &p)| reference_merge(&w, p, 256 + k as u32));
        let cause = if word == bytes("ababc") && got == [257, 257, c] {
            "bpe_encode applied merges in order of frequency in the input instead of merge rank: \
             (b, c) was learned first (id 256), so it goes first, although `a b` occurs twice"
        } else if got == latest_first {
            "the latest merges were applied first: the lowest rank (the smallest new id) \
             goes first, as in training"
        } else if want.len() < got.len() && got.iter().any(|&i| i >= 256) {
            "some merges were left out: repeat until no adjacent pair has a merge (a new token \
             can form a pair with a merge of its own)"
        } else {
            "while some adjacent pair is in `merges`, merge the one with the smallest new id"
        };
        return Err(Failure::new(format!(
            "bpe_encode({}, merges {:?} → ids 256…) is {}, expected {}: {cause}.",
            show(&word),
            merges,
            show(&got),
            show(&want)
        )));
    }
    Ok(())
}
