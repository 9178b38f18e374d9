use super::*;
use crate::applications::language_model::ScriptedModel;
use crate::binomial::binomial_se;
use rand::SeedableRng;

#[test]
fn hand_worked_votes() {
    let s = |v: &[i64]| v.iter().map(|&x| Some(x)).collect::<Vec<_>>();
    assert_eq!(majority_vote(&s(&[18, 18, 26, 18, 9])), Some(18));
    assert_eq!(majority_vote(&s(&[26, 18, 26, 18])), Some(18), "a tie goes to the smaller");
    assert_eq!(majority_vote(&s(&[18, 26, 18, 26])), Some(18), "whatever the order");
    assert_eq!(majority_vote(&[None, None, Some(7)]), Some(7), "no answer is no vote");
    assert_eq!(majority_vote(&[None, Some(3), None, Some(3), Some(5)]), Some(3));
    assert_eq!(majority_vote::<i64>(&[]), None);
}

/// The vote depends on the multiset only: every rotation of the answers gives one result.
#[test]
fn the_vote_ignores_the_order_of_the_chains() {
    let mut rng = StdRng::seed_from_u64(3);
    for _ in 0..200 {
        let n = rng.gen_range(1..9);
        let mut v: Vec<Option<i64>> =
            (0..n).map(|_| rng.gen_bool(0.8).then(|| rng.gen_range(0..4))).collect();
        let first = majority_vote(&v);
        for _ in 0..n {
            v.rotate_left(1);
            assert_eq!(majority_vote(&v), first, "{v:?}");
        }
    }
}

#[test]
fn zero_shot_cot_makes_two_calls_as_kojima_et_al() {
    let mut model = ScriptedModel::new([
        " There are 16 balls. Half are golf balls, so 8. Half of those are blue, so 4.",
        " 4.",
    ]);
    let q = "A juggler has 16 balls. Half are golf balls, and half of the golf balls are \
             blue. How many blue golf balls are there?";
    let (reasoning, answer) = zero_shot_cot(&mut model, q);
    assert_eq!(answer, Some(4));
    assert!(reasoning.ends_with("so 4."));
    assert_eq!(model.prompts[0], format!("Q: {q}\nA: Let's think step by step."));
    assert_eq!(
        model.prompts[1],
        format!("Q: {q}\nA: Let's think step by step.{reasoning}\n{EXTRACT}"),
        "the second call sees the question, the trigger and the reasoning"
    );
}

#[test]
fn self_consistency_votes_over_sampled_chains() {
    let chain = |a: &str| format!(" Some steps. The answer is {a}.");
    let mut model = ScriptedModel::new(["18", "18", "26", "18", "9"].map(chain));
    let (vote, answers) = self_consistency(&mut model, "Q: ...\nA:", 5);
    assert_eq!(vote, Some(18));
    assert_eq!(answers, [18, 18, 26, 18, 9].map(Some));
    let mut model = ScriptedModel::new([chain("-3"), " I cannot tell.".into(), chain("-3")]);
    assert_eq!(self_consistency(&mut model, "Q", 3).1, [Some(-3), None, Some(-3)]);
    assert_eq!(first_integer("is 1,234"), Some(1), "the first number only");
}

/// The EGF formula against brute force: every sequence of n answers, weighted by its
/// probability, voted by `majority_vote` itself.
#[test]
fn formula_equals_enumerating_every_sequence() {
    for (wrong, n_max) in [(vec![7], 9), (vec![3, 9], 6), (vec![1, 2, 30], 5)] {
        let m = wrong.len();
        for n in 1..=n_max {
            for p in [0.2, 0.45, 0.7] {
                let mut total = 0.0;
                for code in 0..(m + 1).pow(n as u32) {
                    let (mut c, mut prob, mut v) = (code, 1.0, vec![]);
                    for _ in 0..n {
                        let o = c % (m + 1);
                        c /= m + 1;
                        if o == 0 {
                            prob *= p;
                            v.push(Some(5));
                        } else {
                            prob *= (1.0 - p) / m as f64;
                            v.push(Some(wrong[o - 1]));
                        }
                    }
                    if majority_vote(&v) == Some(5) {
                        total += prob;
                    }
                }
                let got = majority_accuracy(n, p, 5, &wrong);
                approx::assert_abs_diff_eq!(got, total, epsilon = 1e-12);
            }
        }
    }
}

/// One wrong answer, n odd: the textbook binomial tail (Condorcet's jury theorem).
#[test]
fn one_wrong_answer_is_the_binomial_tail() {
    for n in [1usize, 3, 5, 11, 41] {
        for p in [0.3, 0.5, 0.6] {
            let tail: f64 = (n / 2 + 1..=n).map(|k| binomial_pmf(n, k, p)).sum();
            approx::assert_abs_diff_eq!(majority_accuracy(n, p, 0, &[1]), tail, epsilon = 1e-12);
        }
    }
    approx::assert_abs_diff_eq!(binomial_pmf(5, 2, 0.5), 10.0 / 32.0, epsilon = 1e-15);
    assert_eq!(binomial_pmf(3, 0, 0.0), 1.0);
}

/// Counts of right votes from sampled chains against the formula, within 5 standard errors.
#[test]
fn measured_accuracy_matches_the_formula() {
    for (p, wrong, seed) in [(0.6, vec![17], 1), (0.4, vec![17], 2), (0.4, vec![10, 17, 26, 30], 3)]
    {
        let mut model =
            NoisyReasoner { truth: 18, p, wrong: wrong.clone(), rng: StdRng::seed_from_u64(seed) };
        for n in [1, 4, 9, 25] {
            let trials = 600;
            let hits =
                (0..trials).filter(|_| self_consistency(&mut model, "Q", n).0 == Some(18)).count();
            let want = majority_accuracy(n, p, 18, &wrong);
            let se = binomial_se(trials, want).max(0.5);
            let z = (hits as f64 - trials as f64 * want) / se;
            assert!(
                z.abs() < 5.0,
                "p = {p}, {} wrong answers, n = {n}: {hits}/{trials} right votes, the formula \
                 expects {:.1} ± {se:.1} (z = {z:.2})",
                wrong.len(),
                trials as f64 * want
            );
        }
    }
}

/// The page's claims: with one wrong answer more chains help only when p > 1/2; with
/// errors spread over four answers, p = 0.4 still climbs towards 1.
#[test]
fn more_chains_help_when_the_truth_is_the_plurality() {
    let acc = |n, p, wrong: &[i64]| majority_accuracy(n, p, 18, wrong);
    let spread = [10, 17, 26, 30];
    println!(
        "n = 1, 5, 25: p 0.6/1 wrong {:.3} {:.3} {:.3}; p 0.4/1 wrong {:.3} {:.3} {:.3}; \
         p 0.4/4 wrong {:.3} {:.3} {:.3}",
        acc(1, 0.6, &[17]),
        acc(5, 0.6, &[17]),
        acc(25, 0.6, &[17]),
        acc(1, 0.4, &[17]),
        acc(5, 0.4, &[17]),
        acc(25, 0.4, &[17]),
        acc(1, 0.4, &spread),
        acc(5, 0.4, &spread),
        acc(25, 0.4, &spread),
    );
    assert!(acc(25, 0.6, &[17]) > 0.84 && acc(25, 0.6, &[17]) > acc(1, 0.6, &[17]));
    assert!(acc(25, 0.4, &[17]) < 0.16, "p < 1/2 against one wrong answer: voting hurts");
    assert!(acc(25, 0.4, &spread) > 0.85, "{}", acc(25, 0.4, &spread));
    // The three numbers the §6.3 page quotes.
    for (got, page) in
        [(acc(25, 0.6, &[17]), 0.846), (acc(25, 0.4, &[17]), 0.154), (acc(25, 0.4, &spread), 0.887)]
    {
        approx::assert_abs_diff_eq!(got, page, epsilon = 5e-4);
    }
}
