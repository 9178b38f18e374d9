use super::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

fn r(n: i64) -> Rational {
    Rational::int(n)
}

#[test]
fn rationals_are_exact_and_reduced() {
    let third = Rational::new(8, 3);
    assert_eq!(r(8).checked_div(r(3)), Some(third));
    assert_eq!(r(3) - third, Rational::new(1, 3));
    assert_eq!(r(8).checked_div(r(3) - third), Some(r(24)), "8 / (3 - 8/3) is exactly 24");
    assert_eq!(Rational::new(6, -4), Rational::new(-3, 2), "sign on the numerator, reduced");
    assert_eq!(r(5).checked_div(r(0)), None);
    assert!(Rational::new(-1, 2) < Rational::new(1, 3));
    assert_eq!(Rational::new(8, 3).to_string(), "8/3");
    // The float trap the doc comment names.
    assert_ne!(8.0 / (3.0 - 8.0 / 3.0), 24.0f64, "f64 misses 24 here; rationals do not");
}

#[test]
fn hand_worked_solutions() {
    let steps = solve(&state_of(&[4, 9, 10, 13])).expect("4 9 10 13 is solvable");
    assert_eq!(steps.len(), 3);
    assert_eq!(steps[2].left, [r(24)], "the last step leaves 24 alone");
    assert!(solvable(&state_of(&[3, 3, 8, 8])), "8 / (3 - 8/3) = 24 needs a fraction");
    assert!(solvable(&state_of(&[1, 5, 5, 5])), "(5 - 1/5) * 5 = 24 needs a fraction");
    assert!(!solvable(&state_of(&[1, 1, 1, 1])));
    assert!(!solvable(&state_of(&[13, 13, 13, 13])));
    let s = Step { a: r(13), op: Op::Sub, b: r(9), result: r(4), left: state_of(&[4, 4, 10]) };
    assert_eq!(s.to_string(), "13 - 9 = 4 (left: 4 4 10)", "the paper's prompt format");
}

#[test]
fn every_solution_replays_to_24() {
    for p in all_puzzles().iter().step_by(5) {
        let mut state = state_of(p);
        if !solvable(&state) {
            continue;
        }
        for step in solve(&state).unwrap() {
            assert_eq!(step.op.apply(step.a, step.b), Some(step.result), "{p:?}: {step}");
            // The step uses two numbers of the state and leaves the rest.
            let i = state.iter().position(|&x| x == step.a).expect("a is in the state");
            let mut rest = state.clone();
            rest.remove(i);
            let j = rest.iter().position(|&x| x == step.b).expect("b is in the state");
            rest.remove(j);
            rest.push(step.result);
            rest.sort();
            assert_eq!(rest, step.left, "{p:?}: {step}");
            state = rest;
        }
        assert_eq!(state, [r(24)], "{p:?}");
    }
}

/// The slow way: every ordering of the four numbers, every choice of three operations and
/// each of the five binary trees over four leaves. `div` is the division under test.
fn by_expression_trees(p: &[u8; 4], div: fn(Rational, Rational) -> Option<Rational>) -> bool {
    let ops = |o: usize, a: Option<Rational>, b: Option<Rational>| -> Option<Rational> {
        let (a, b) = (a?, b?);
        match o {
            0 => Some(a + b),
            1 => Some(a - b),
            2 => Some(a * b),
            _ => div(a, b),
        }
    };
    let perms = permutations(p);
    for q in &perms {
        let [a, b, c, d] = q.map(|n| Some(r(n as i64)));
        for o in 0..64 {
            let (x, y, z) = (o % 4, o / 4 % 4, o / 16);
            let trees = [
                ops(z, ops(y, ops(x, a, b), c), d),
                ops(z, ops(y, a, ops(x, b, c)), d),
                ops(z, a, ops(y, ops(x, b, c), d)),
                ops(z, a, ops(y, b, ops(x, c, d))),
                ops(z, ops(x, a, b), ops(y, c, d)),
            ];
            if trees.iter().any(|t| *t == Some(r(TARGET))) {
                return true;
            }
        }
    }
    false
}

fn permutations(p: &[u8; 4]) -> Vec<[u8; 4]> {
    let mut out = vec![];
    for i in 0..4 {
        for j in (0..4).filter(|&j| j != i) {
            for k in (0..4).filter(|&k| k != i && k != j) {
                let l = 6 - i - j - k; // 0 + 1 + 2 + 3 = 6
                out.push([p[i], p[j], p[k], p[l]]);
            }
        }
    }
    out
}

fn exact_div(a: Rational, b: Rational) -> Option<Rational> {
    a.checked_div(b)
}

/// Division only when it leaves an integer: the learner's "integer arithmetic" solver.
fn integer_only_div(a: Rational, b: Rational) -> Option<Rational> {
    a.checked_div(b).filter(|q| q.denom() == 1)
}

#[test]
fn there_are_1820_multisets_and_1362_solvable_puzzles() {
    let all = all_puzzles();
    assert_eq!(all.len(), 1820, "C(13 + 4 - 1, 4) multisets of four numbers from 1 to 13");
    let solvable = solvable_puzzles();
    assert_eq!(
        solvable.len(),
        1362,
        "the paper's data set (4nums.com) has 1,362 puzzles; the exact search found {}",
        solvable.len()
    );
}

/// The fast search against the expression trees on a seeded sample of puzzles.
#[test]
fn search_equals_expression_trees() {
    let all = all_puzzles();
    let mut rng = StdRng::seed_from_u64(24);
    for _ in 0..60 {
        let p = all[rng.gen_range(0..all.len())];
        let want = by_expression_trees(&p, exact_div);
        assert_eq!(solvable(&state_of(&p)), want, "{p:?}");
        assert_eq!(solve(&state_of(&p)).is_some(), want, "{p:?}: solve and solvable differ");
    }
}

/// Why the count needs fractions: with division allowed only when it leaves an integer,
/// fewer puzzles are solvable (3 3 8 8 and 1 5 5 5 among the lost). Both ways agree.
#[test]
fn integer_only_division_loses_puzzles() {
    let integer: Vec<[u8; 4]> =
        all_puzzles().into_iter().filter(|p| by_expression_trees(p, integer_only_div)).collect();
    println!("integer-only division: {} solvable puzzles", integer.len());
    assert_eq!(integer.len(), INTEGER_ONLY_SOLVABLE);
    assert!(!integer.contains(&[3, 3, 8, 8]) && !integer.contains(&[1, 5, 5, 5]));
    let exact = solvable_puzzles();
    assert!(integer.iter().all(|p| exact.contains(p)), "integer solutions are solutions");
}

/// Measured by `integer_only_division_loses_puzzles` (and quoted on the §6.4 page).
const INTEGER_ONLY_SOLVABLE: usize = 1346;
