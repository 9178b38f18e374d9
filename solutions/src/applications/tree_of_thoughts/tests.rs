use super::*;
use crate::applications::game24::{solvable, solvable_puzzles, state_of, Op};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeSet;

fn r(n: i64) -> Rational {
    Rational::int(n)
}

/// The slow definition: every ordered pair of positions and every operation, + and × with
/// the larger operand first, divisions by zero dropped, duplicates removed by a set.
fn slow_propose(left: &[Rational]) -> BTreeSet<Step> {
    let mut out = BTreeSet::new();
    for i in 0..left.len() {
        for j in 0..left.len() {
            if i == j {
                continue;
            }
            for op in Op::ALL {
                let (mut a, mut b) = (left[i], left[j]);
                if matches!(op, Op::Add | Op::Mul) && a < b {
                    std::mem::swap(&mut a, &mut b);
                }
                let Some(result) = op.apply(a, b) else { continue };
                let mut rest: Vec<Rational> = left
                    .iter()
                    .enumerate()
                    .filter(|&(k, _)| k != i && k != j)
                    .map(|(_, &x)| x)
                    .collect();
                rest.push(result);
                rest.sort();
                out.insert(Step { a, op, b, result, left: rest });
            }
        }
    }
    out
}

#[test]
fn hand_worked_proposals() {
    assert_eq!(propose(&state_of(&[1, 2, 3, 4])).len(), 36, "6 pairs × 6 operations");
    assert_eq!(propose(&state_of(&[1, 2, 3])).len(), 18);
    assert_eq!(propose(&state_of(&[2, 3])).len(), 6);
    let zero = propose(&[r(0), r(5)]);
    assert_eq!(zero.len(), 5, "0 + 5, 0 × 5, 0 − 5, 5 − 0, 0 ÷ 5; never 5 ÷ 0: {zero:?}");
    let fractions = propose(&state_of(&[3, 8]));
    assert!(fractions.iter().any(|s| s.result == Rational::new(8, 3)));
    let text: Vec<String> =
        propose(&state_of(&[4, 9, 10, 13])).iter().map(|s| s.to_string()).collect();
    assert!(text.contains(&"13 - 9 = 4 (left: 4 4 10)".to_string()), "the paper's first thought");
}

#[test]
fn equal_numbers_repeat_no_thought() {
    let p = propose(&state_of(&[4, 4, 6, 8]));
    let unique: BTreeSet<&Step> = p.iter().collect();
    assert_eq!(unique.len(), p.len(), "a thought listed twice");
    assert_eq!(p.len(), slow_propose(&state_of(&[4, 4, 6, 8])).len());
    assert!(p.len() < 36, "the two 4s make the same thoughts: {}", p.len());
}

#[test]
fn equals_the_slow_definition_on_random_states() {
    let mut rng = StdRng::seed_from_u64(5);
    for _ in 0..300 {
        let n = rng.gen_range(2..5);
        let left: Vec<Rational> = {
            let mut v: Vec<Rational> =
                (0..n).map(|_| Rational::new(rng.gen_range(-3..14), rng.gen_range(1..4))).collect();
            v.sort();
            v
        };
        let got: BTreeSet<Step> = propose(&left).into_iter().collect();
        assert_eq!(got, slow_propose(&left), "{left:?}");
    }
}

/// A perfect proposer and a perfect judge (sure exactly when 24 is reachable) solve every
/// puzzle with b = 1; nothing solves an unsolvable one.
#[test]
fn a_perfect_judge_solves_every_puzzle_with_b_1() {
    let mut judge =
        |left: &[Rational]| if solvable(left) { Label::Sure } else { Label::Impossible };
    for p in solvable_puzzles().iter().step_by(25) {
        let kept = tot_bfs(&state_of(p), 1, &mut |l: &[Rational]| propose(l), &mut judge);
        assert_eq!(kept.len(), 1);
        assert!(kept[0].solved(), "{p:?}: {:?}", kept[0].steps);
        assert_eq!(kept[0].steps.len(), 3);
        assert_eq!(kept[0].value, 60.0, "three sure = 3 × 20");
    }
    let kept = tot_bfs(&state_of(&[1, 1, 1, 1]), 5, &mut |l: &[Rational]| propose(l), &mut judge);
    assert!(kept.iter().all(|n| !n.solved()) && kept.len() == 5);
}

#[test]
fn each_candidate_is_judged_three_times_and_the_best_b_are_kept_in_order() {
    let puzzle = state_of(&[4, 9, 10, 13]);
    let mut calls: Vec<Vec<Rational>> = vec![];
    // The judge says "likely" to everything: every value is 3, so order alone decides.
    let kept = tot_bfs(&puzzle, 5, &mut |l: &[Rational]| propose(l), &mut |l: &[Rational]| {
        calls.push(l.to_vec());
        Label::Likely
    });
    let first = propose(&puzzle);
    assert_eq!(kept.len(), 5);
    assert!(kept.iter().all(|n| n.value == 3.0), "3 × likely = 3");
    // All tied: the first five of the last step, in proposal order, from the first parent.
    let parent = &first[0];
    let second = propose(&parent.left);
    assert_eq!(kept[0].steps[0], *parent);
    assert_eq!(kept[0].steps[1], second[0]);
    // Judged three times each: the 36 first states, the children of the first five, then
    // the children of the first five of those.
    let kept1: Vec<Vec<Rational>> = first[..5].iter().map(|s| s.left.clone()).collect();
    let step2: Vec<Vec<Rational>> = kept1.iter().flat_map(|l| propose(l)).map(|s| s.left).collect();
    let step3: usize = step2[..5].iter().map(|l| propose(l).len()).sum();
    assert_eq!(calls.len(), 3 * (36 + step2.len() + step3), "judge calls");
    assert_eq!(calls[0], calls[1], "the three samples of one state are consecutive");
    assert_eq!(Label::Sure.value() + Label::Likely.value() + Label::Impossible.value(), 21.001);
}
