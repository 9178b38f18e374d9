//! Graded suite for §3.1: the causal and prefix-LM attention masks.
//!
//! The reference is the rule itself, written per (query, key) pair here; each known mistake
//! is a whole mask computed by its own wrong rule, so that a learner's mask equal to one of
//! them gets that mistake's diagnosis, and any other gets the first wrong pair.

use crate::compare::check_len;
use crate::{Check, Failure};
use solutions::architectures::lm_masks::Allowed;

/// The mask `rule(i, j)` of `seq` tokens.
fn by_rule(seq: usize, rule: impl Fn(usize, usize) -> bool) -> Allowed {
    (0..seq).map(|i| (0..seq).map(|j| rule(i, j)).collect()).collect()
}

/// Checks the row count and every row's length, then every pair; `mistakes` are the masks
/// of known wrong rules, each with its diagnosis.
fn grade_mask(label: &str, got: &Allowed, want: &Allowed, mistakes: &[(Allowed, &str)]) -> Check {
    let seq = want.len();
    check_len(label, "rows (one per query)", got.len(), seq, "")?;
    for (i, row) in got.iter().enumerate() {
        check_len(&format!("{label}, row {i}"), "entries (one per key)", row.len(), seq, "")?;
    }
    let Some((i, j)) = (0..seq)
        .flat_map(|i| (0..seq).map(move |j| (i, j)))
        .find(|&(i, j)| got[i][j] != want[i][j])
    else {
        return Ok(());
    };
    let cause = mistakes.iter().find(|(m, _)| m == got).map_or(
        "key j is visible from query i exactly when the rule of the doc comment allows it",
        |(_, why)| *why,
    );
    Err(Failure::new(format!(
        "{label}[{i}][{j}] (query {i}, key {j}) is {}, expected {}: {cause}.",
        got[i][j], want[i][j]
    )))
}

/// Grades `causal_mask(seq)`.
pub fn check_causal_mask<F>(f: F) -> Check
where
    F: Fn(usize) -> Allowed,
{
    // Hand-worked: 3 tokens allow (0,0), (1,0), (1,1), (2,0), (2,1), (2,2).
    let three: Allowed =
        vec![vec![true, false, false], vec![true, true, false], vec![true, true, true]];
    for seq in [3, 1, 5, 8, 0] {
        let want = if seq == 3 { three.clone() } else { by_rule(seq, |i, j| j <= i) };
        let mistakes = [
            (
                by_rule(seq, |i, j| j >= i),
                "the mask is transposed: each query sees itself and its future, never its past. \
                 Row i is query i and column j is key j; the allowed keys are those not after i",
            ),
            (
                by_rule(seq, |i, j| j < i),
                "off by one: the diagonal is hidden, so no token sees itself (and query 0 sees \
                 nothing at all, a softmax over nothing). Query i may see key i",
            ),
        ];
        grade_mask(&format!("causal_mask({seq})"), &f(seq), &want, &mistakes)?;
    }
    Ok(())
}

/// Grades `prefix_lm_mask(seq, prefix)`.
pub fn check_prefix_lm_mask<F>(f: F) -> Check
where
    F: Fn(usize, usize) -> Allowed,
{
    // Hand-worked (4 tokens, prefix 2): rows ■■□□, ■■□□, ■■■□, ■■■■.
    let hand: Allowed = vec![
        vec![true, true, false, false],
        vec![true, true, false, false],
        vec![true, true, true, false],
        vec![true, true, true, true],
    ];
    for (seq, prefix) in [(4, 2), (6, 3), (5, 1), (5, 0), (4, 4), (7, 5)] {
        let want = if (seq, prefix) == (4, 2) {
            hand.clone()
        } else {
            by_rule(seq, |i, j| j < prefix || j <= i)
        };
        let mut mistakes = vec![
            (
                by_rule(seq, |i, j| i < prefix || j < prefix || j <= i),
                "the prefix peeks at the continuation: a prefix token sees the tokens generated \
                 after the prefix. Bidirectional holds inside the prefix only; no query sees a \
                 key after the prefix that is also after itself",
            ),
            (
                by_rule(seq, |i, j| j <= prefix || j <= i),
                "one token too many is visible: the prefix is the first `prefix` tokens, keys \
                 0..prefix, so key `prefix` itself is already generated text",
            ),
        ];
        if prefix > 1 {
            // With a prefix of 0 or 1 tokens the causal mask is the right answer.
            mistakes.push((
                by_rule(seq, |i, j| j <= i),
                "this is the causal mask: it is causal inside the prefix too. In a prefix LM \
                 every prefix token sees the whole prefix, also the prefix tokens after it",
            ));
        }
        let label = format!("prefix_lm_mask({seq}, {prefix})");
        grade_mask(&label, &f(seq, prefix), &want, &mistakes)?;
    }
    Ok(())
}
