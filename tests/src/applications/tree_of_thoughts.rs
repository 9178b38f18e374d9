//! Graded suite for §6.4, `propose` and `tot_bfs`: the worked examples, fractions, equal
//! numbers and zeros for the proposer; for the search, the number of judgements, the sum
//! over three samples, the best b kept in a stable order, and seeded noisy judges against
//! the library.

use crate::{Check, Failure};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::applications::game24::{solvable, state_of, Op, Rational, Step};
use solutions::applications::tree_of_thoughts::{self as lib, Label, Node};
use std::collections::BTreeSet;

/// + and × written larger first, so that the learner's operand order does not matter.
fn canonical(s: &Step) -> Step {
    let mut s = s.clone();
    if matches!(s.op, Op::Add | Op::Mul) && s.a < s.b {
        std::mem::swap(&mut s.a, &mut s.b);
    }
    s
}

fn show(left: &[Rational]) -> String {
    left.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(" ")
}

fn same_thoughts(f: &impl Fn(&[Rational]) -> Vec<Step>, left: &[Rational]) -> Check {
    let got: Vec<Step> = f(left).iter().map(canonical).collect();
    let want: BTreeSet<Step> = lib::propose(left).into_iter().collect();
    let what = format!("propose({})", show(left));
    for s in &got {
        if s.op.apply(s.a, s.b) != Some(s.result) {
            let int = s.op == Op::Div && s.b != Rational::int(0);
            let hint = if int { " (is the division exact? 8 / 3 is 8/3, not 2)" } else { "" };
            return Err(Failure::new(format!(
                "{what}: the thought `{s}` is wrong arithmetic{hint}."
            )));
        }
        let mut sorted = s.left.clone();
        sorted.sort();
        if sorted != s.left {
            return Err(Failure::new(format!(
                "{what}: `{s}` lists the numbers left unsorted: sort them ascending."
            )));
        }
    }
    let got_set: BTreeSet<Step> = got.iter().cloned().collect();
    if got_set.len() < got.len() {
        let mut seen = BTreeSet::new();
        let twice = got.iter().find(|s| !seen.insert((*s).clone())).unwrap();
        return Err(Failure::new(format!(
            "{what}: the thought `{twice}` is listed twice: equal numbers make equal thoughts \
             (and + and × are the same either way round); list each once."
        )));
    }
    if let Some(missing) = want.difference(&got_set).next() {
        let fraction = missing.result.denom() != 1
            || (missing.op == Op::Div && missing.a.denom() * missing.b.denom() != 1);
        let cause = if fraction {
            "a thought whose result is a fraction is missing: the Game of 24 allows fractions \
             (3 3 8 8 is solved only through 8 / 3), so divide exactly, with `Rational`"
        } else if matches!(missing.op, Op::Sub | Op::Div) {
            "both orders of − and ÷ are thoughts: a − b and b − a, a ÷ b and b ÷ a"
        } else {
            "every pair of positions, every operation"
        };
        return Err(Failure::new(format!(
            "{what}: `{missing}` is missing ({} listed, {} expected): {cause}.",
            got.len(),
            want.len()
        )));
    }
    if let Some(extra) = got_set.difference(&want).next() {
        return Err(Failure::new(format!(
            "{what}: `{extra}` is not a valid thought (a division by zero, or numbers that are \
             not in the state?)."
        )));
    }
    Ok(())
}

/// Grades `propose(left)`.
pub fn check_propose<F>(f: F) -> Check
where
    F: Fn(&[Rational]) -> Vec<Step>,
{
    for p in [[1, 2, 3, 4], [4, 9, 10, 13], [3, 3, 8, 8], [4, 4, 6, 8], [5, 5, 5, 5]] {
        same_thoughts(&f, &state_of(&p))?;
    }
    same_thoughts(&f, &state_of(&[3, 8]))?;
    same_thoughts(&f, &[Rational::int(0), Rational::int(5)])?;
    same_thoughts(&f, &[Rational::new(8, 3), Rational::int(3)])?;
    let mut rng = StdRng::seed_from_u64(64);
    for _ in 0..60 {
        let n = rng.gen_range(2..5);
        let mut left: Vec<Rational> =
            (0..n).map(|_| Rational::new(rng.gen_range(-2..14), rng.gen_range(1..4))).collect();
        left.sort();
        same_thoughts(&f, &left)?;
    }
    Ok(())
}

type Bfs<'a> = dyn Fn(
        &[Rational],
        usize,
        &mut dyn FnMut(&[Rational]) -> Vec<Step>,
        &mut dyn FnMut(&[Rational]) -> Label,
    ) -> Vec<Node>
    + 'a;

/// One run with a seeded noisy judge (same seed for the learner and the library, so equal
/// call sequences give equal labels). Returns the kept nodes and the number of judgements.
fn run(bfs: &Bfs<'_>, numbers: &[Rational], b: usize, seed: u64, noise: f64) -> (Vec<Node>, usize) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut calls = 0;
    let mut judge = |left: &[Rational]| {
        calls += 1;
        let truth = solvable(left);
        match rng.gen_range(0.0..1.0) {
            x if x < noise => Label::Likely,
            x if x < 1.5 * noise => {
                if truth {
                    Label::Impossible
                } else {
                    Label::Sure
                }
            }
            _ if truth => Label::Sure,
            _ => Label::Impossible,
        }
    };
    let kept = bfs(numbers, b, &mut |l: &[Rational]| lib::propose(l), &mut judge);
    (kept, calls)
}

fn describe(nodes: &[Node]) -> String {
    let v: Vec<String> =
        nodes.iter().map(|n| format!("[{}] value {:.3}", show(&n.left), n.value)).collect();
    v.join("; ")
}

/// Grades `tot_bfs(numbers, breadth, propose, judge)`.
pub fn check_tot_bfs<F>(f: F) -> Check
where
    F: Fn(
        &[Rational],
        usize,
        &mut dyn FnMut(&[Rational]) -> Vec<Step>,
        &mut dyn FnMut(&[Rational]) -> Label,
    ) -> Vec<Node>,
{
    let cases: [([u8; 4], usize, u64, f64); 6] = [
        ([4, 9, 10, 13], 1, 1, 0.0),
        ([4, 9, 10, 13], 5, 2, 0.3),
        ([1, 1, 4, 6], 5, 3, 0.4),
        ([3, 3, 8, 8], 3, 4, 0.2),
        ([2, 5, 7, 11], 5, 5, 0.6),
        ([1, 1, 1, 1], 2, 6, 0.3),
    ];
    for (p, b, seed, noise) in cases {
        let numbers = state_of(&p);
        let (want, want_calls) = run(&lib::tot_bfs, &numbers, b, seed, noise);
        let (got, got_calls) = run(&f, &numbers, b, seed, noise);
        let what =
            format!("tot_bfs({}, b = {b}, judge seed {seed}, noise {noise})", show(&numbers));
        if got_calls * lib::N_EVALUATE == want_calls && want_calls > 0 {
            return Err(Failure::new(format!(
                "{what}: the judge was called {got_calls} times, expected {want_calls}: each \
                 candidate was judged once. Judge it N_EVALUATE = 3 times and sum the three \
                 labels' values (the authors' n_evaluate_sample = 3)."
            )));
        }
        if got.len() != want.len() {
            return Err(Failure::new(format!(
                "{what}: {} nodes returned, expected {}: keep the best `breadth` of all the \
                 candidates of a step, over every parent together.",
                got.len(),
                want.len()
            )));
        }
        if got != want {
            let ascending = got.windows(2).all(|w| w[0].value <= w[1].value)
                && got.first().map(|n| n.value) < want.first().map(|n| n.value);
            let same_values = got.iter().zip(&want).all(|(g, w)| g.value == w.value);
            let cause = if ascending {
                "you kept the worst b: sort by value in descending order, best first"
            } else if same_values {
                "same values, different nodes: among equal values the earlier-proposed node \
                 comes first (a stable sort, descending; not an ascending sort reversed)"
            } else {
                "the values differ: a node's value is the sum of Label::value over its three \
                 judgements (sure 20, likely 1, impossible 0.001), and the best `breadth` of \
                 all candidates are kept"
            };
            return Err(Failure::new(format!(
                "{what}: kept {}, expected {}: {cause}.",
                describe(&got),
                describe(&want)
            )));
        }
        if got_calls != want_calls {
            return Err(Failure::new(format!(
                "{what}: the judge was called {got_calls} times, expected {want_calls}: judge \
                 every new candidate {} times in a row, in the order proposed, and only the \
                 new ones.",
                lib::N_EVALUATE
            )));
        }
    }
    Ok(())
}
