//! Wrong variants of §6.3 and §6.4 (self-consistency, Tree of Thoughts).

use solutions::applications::game24::{remaining, Op, Rational, Step};
use solutions::applications::tree_of_thoughts::{Label, Node, N_EVALUATE};
use std::collections::BTreeMap;

// §6.3

/// Ties go to the answer seen first (Python's `Counter.most_common` habit).
pub fn vote_first_seen_tie(answers: &[Option<i64>]) -> Option<i64> {
    let mut counts: Vec<(i64, usize)> = vec![];
    for a in answers.iter().flatten() {
        match counts.iter_mut().find(|(x, _)| x == a) {
            Some((_, n)) => *n += 1,
            None => counts.push((*a, 1)),
        }
    }
    let top = counts.iter().map(|c| c.1).max()?;
    counts.into_iter().find(|c| c.1 == top).map(|c| c.0)
}

/// Chains without an answer vote for "no answer".
pub fn vote_counts_none(answers: &[Option<i64>]) -> Option<i64> {
    let mut counts: BTreeMap<Option<i64>, usize> = BTreeMap::new();
    for a in answers {
        *counts.entry(*a).or_default() += 1;
    }
    // Ties to the smallest, None below every number.
    counts.into_iter().rev().max_by_key(|c| c.1).and_then(|c| c.0)
}

/// The last chain's answer.
pub fn vote_last_chain(answers: &[Option<i64>]) -> Option<i64> {
    answers.iter().rev().flatten().next().copied()
}

// §6.4

/// The pairs' steps without removing repeated thoughts.
fn all_steps(left: &[Rational], keep: impl Fn(Op, Rational, Rational) -> bool) -> Vec<Step> {
    let mut out = vec![];
    for i in 0..left.len() {
        for j in i + 1..left.len() {
            let (x, y) = (left[i], left[j]);
            let (hi, lo) = if x >= y { (x, y) } else { (y, x) };
            let tries = [(hi, Op::Add, lo), (hi, Op::Mul, lo), (x, Op::Sub, y), (y, Op::Sub, x)];
            let divs = [(x, Op::Div, y), (y, Op::Div, x)];
            for (a, op, b) in tries.into_iter().chain(divs) {
                if !keep(op, a, b) {
                    continue;
                }
                if let Some(result) = op.apply(a, b) {
                    let step = Step { a, op, b, result, left: remaining(left, i, j, result) };
                    out.push(step);
                }
            }
        }
    }
    out
}

/// Division only when it leaves an integer.
pub fn propose_integer_division(left: &[Rational]) -> Vec<Step> {
    let mut out: Vec<Step> = vec![];
    for s in all_steps(left, |_, _, _| true) {
        if s.result.denom() == 1 && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Only a − b and a ÷ b for a pair in state order, never b − a or b ÷ a.
pub fn propose_one_order(left: &[Rational]) -> Vec<Step> {
    let mut out: Vec<Step> = vec![];
    for i in 0..left.len() {
        for j in i + 1..left.len() {
            let (x, y) = (left[i], left[j]);
            for s in all_steps(&[x, y], |op, a, _| !matches!(op, Op::Sub | Op::Div) || a == x) {
                let step = Step { left: remaining(left, i, j, s.result), ..s };
                if !out.contains(&step) {
                    out.push(step);
                }
            }
        }
    }
    out
}

/// Every pair's thoughts, repeats included.
pub fn propose_with_repeats(left: &[Rational]) -> Vec<Step> {
    all_steps(left, |_, _, _| true)
}

type Proposer<'a> = &'a mut dyn FnMut(&[Rational]) -> Vec<Step>;
type Judge<'a> = &'a mut dyn FnMut(&[Rational]) -> Label;

/// The search with a choice of sample count and of selection.
fn bfs(
    numbers: &[Rational],
    b: usize,
    p: Proposer,
    j: Judge,
    samples: usize,
    pick: fn(&mut Vec<Node>),
) -> Vec<Node> {
    let mut kept = vec![Node::root(numbers)];
    for _ in 1..numbers.len() {
        let mut cands = vec![];
        for node in &kept {
            for step in p(&node.left) {
                let mut steps = node.steps.clone();
                let left = step.left.clone();
                steps.push(step);
                cands.push(Node { steps, left, value: 0.0 });
            }
        }
        for c in &mut cands {
            c.value = (0..samples).map(|_| j(&c.left).value()).sum();
        }
        pick(&mut cands);
        cands.truncate(b);
        kept = cands;
    }
    kept
}

/// Keeps the b lowest values.
pub fn tot_keeps_worst(numbers: &[Rational], b: usize, p: Proposer, j: Judge) -> Vec<Node> {
    bfs(numbers, b, p, j, N_EVALUATE, |c| c.sort_by(|x, y| x.value.total_cmp(&y.value)))
}

/// Judges each candidate once.
pub fn tot_one_sample(numbers: &[Rational], b: usize, p: Proposer, j: Judge) -> Vec<Node> {
    bfs(numbers, b, p, j, 1, |c| c.sort_by(|x, y| y.value.total_cmp(&x.value)))
}

/// Sorts ascending and reverses: ties come out latest first.
pub fn tot_reversed_ties(numbers: &[Rational], b: usize, p: Proposer, j: Judge) -> Vec<Node> {
    bfs(numbers, b, p, j, N_EVALUATE, |c| {
        c.sort_by(|x, y| x.value.total_cmp(&y.value));
        c.reverse();
    })
}
