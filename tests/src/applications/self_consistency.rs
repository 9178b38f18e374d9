//! Graded suite for §6.3, `majority_vote`: the worked example, a tie (to the smallest
//! answer, whatever the order of the chains), chains without an answer, and seeded vote
//! lists against the library.

use crate::{Check, Failure};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::applications::self_consistency as lib;

fn show(v: &[Option<i64>]) -> String {
    let items: Vec<String> =
        v.iter().map(|a| a.map_or("None".to_string(), |x| x.to_string())).collect();
    format!("[{}]", items.join(", "))
}

/// Why `got` is not `want` for the answers `v`: recomputes the likely mistakes.
fn diagnose(v: &[Option<i64>], got: Option<i64>) -> String {
    let answered: Vec<i64> = v.iter().flatten().copied().collect();
    let count = |x: i64| answered.iter().filter(|&&a| a == x).count();
    let top = answered.iter().map(|&a| count(a)).max().unwrap_or(0);
    let none_votes = v.len() - answered.len();
    if got.is_none() && none_votes >= top && top > 0 {
        return "chains without an answer (None) were counted as votes, and None won: only \
                the chains that gave an answer vote"
            .into();
    }
    if let Some(g) = got {
        if count(g) == top && answered.iter().filter(|&&a| count(a) == top).any(|&a| a < g) {
            let first = answered.iter().copied().find(|&a| count(a) == top);
            let note = if first == Some(g) { " (your tie went to the first seen)" } else { "" };
            return format!(
                "a tie between answers with {top} votes each went to {g}{note}: the rule is \
                 that a tie goes to the smallest answer, so that the vote does not depend on \
                 the order the chains were sampled in"
            );
        }
        if count(g) < top {
            return format!(
                "{g} has {} votes but another answer has {top}: return the most frequent \
                 answer, not the first or the last chain's",
                count(g)
            );
        }
    }
    "return the most frequent answer among the chains that gave one".into()
}

fn same(f: &impl Fn(&[Option<i64>]) -> Option<i64>, v: &[Option<i64>], what: &str) -> Check {
    let (got, want) = (f(v), lib::majority_vote(v));
    if got != want {
        return Err(Failure::new(format!(
            "{what}: majority_vote({}) returned {got:?}, expected {want:?}: {}.",
            show(v),
            diagnose(v, got)
        )));
    }
    Ok(())
}

/// Grades `majority_vote(answers)`.
pub fn check_majority_vote<F>(f: F) -> Check
where
    F: Fn(&[Option<i64>]) -> Option<i64>,
{
    let s = |v: &[i64]| v.iter().map(|&x| Some(x)).collect::<Vec<_>>();
    same(&f, &s(&[18, 18, 26, 18, 9]), "the worked example")?;
    same(&f, &s(&[26, 18, 26, 18]), "a 2–2 tie")?;
    same(&f, &s(&[9, 26, 18, 26, 18, 9]), "a three-way tie")?;
    same(&f, &[None, None, None, Some(7), Some(7)], "three chains without an answer")?;
    same(&f, &[None, None], "no chain gave an answer")?;
    same(&f, &[], "no chains")?;
    same(&f, &s(&[-4, 3, -4]), "negative answers")?;
    let mut rng = StdRng::seed_from_u64(63);
    for case in 0..200 {
        let n = rng.gen_range(1..12);
        let v: Vec<Option<i64>> =
            (0..n).map(|_| rng.gen_bool(0.85).then(|| rng.gen_range(-2..5))).collect();
        same(&f, &v, &format!("seeded case {case}"))?;
    }
    Ok(())
}
