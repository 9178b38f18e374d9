//! §6.4 Tree of Thoughts (思维树): breadth-first search over thoughts, on the Game of 24.
//!
//! Yao, Yu, Zhao, Shafran, Griffiths, Cao and Narasimhan 2023, "Tree of Thoughts:
//! Deliberate Problem Solving with Large Language Models", arXiv 2305.10601, §3 and §4.1.
//! A *thought* is one intermediate step (`13 - 9 = 4 (left: 4 4 10)`). At each of three
//! steps the LM **proposes** next thoughts for every kept state, the LM **evaluates** each
//! new state three times as *sure* / *likely* / *impossible* (can the numbers left still
//! reach 24?), the labels are turned into numbers and summed, and the best **b** states
//! are kept. The settings are those of the authors' code (github.com/princeton-nlp/
//! tree-of-thought-llm, `src/tot/methods/bfs.py` and `tasks/game24.py`: `value_map =
//! {'impossible': 0.001, 'likely': 1, 'sure': 20}`, `n_evaluate_sample = 3`,
//! `n_select_sample = 5`, greedy selection). LangChain's equivalent is
//! `langchain_experimental.tot`; nothing in PyTorch or Hugging Face.

use crate::applications::game24::{pair_results, remaining, Rational, Step};

/// How many times each new state is judged (`n_evaluate_sample`).
pub const N_EVALUATE: usize = 3;

/// The evaluator's verdict on a state: can the numbers left still reach 24?
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Label {
    Sure,
    Likely,
    Impossible,
}

impl Label {
    /// The authors' `value_map`: sure 20, likely 1, impossible 0.001. One "sure" outweighs
    /// any number of "likely"s below 20; "impossible" is tiny but not 0, so that states
    /// judged impossible three times still rank among themselves by nothing but order.
    pub fn value(self) -> f64 {
        match self {
            Label::Sure => 20.0,
            Label::Likely => 1.0,
            Label::Impossible => 0.001,
        }
    }
}

/// A state of the search: the thoughts so far and the numbers they leave (ascending).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub steps: Vec<Step>,
    pub left: Vec<Rational>,
    /// The summed value of the evaluations that kept this node (0 for the root).
    pub value: f64,
}

impl Node {
    /// The root: the puzzle's numbers, no thought yet.
    pub fn root(numbers: &[Rational]) -> Self {
        let mut left = numbers.to_vec();
        left.sort();
        Self { steps: vec![], left, value: 0.0 }
    }
    /// Did this node reach 24 with every number used?
    pub fn solved(&self) -> bool {
        self.left == [Rational::int(crate::applications::game24::TARGET)]
    }
}

/// Every distinct next thought from the numbers `left` (a perfect proposer): for each pair
/// of positions, a + b and a × b once (the larger number written first), a − b and b − a,
/// and a ÷ b and b ÷ a where the divisor is not zero. Each `Step` carries the numbers it
/// leaves, sorted ascending. The same thought twice (from equal numbers) is listed once.
/// The order of the list does not matter.
///
/// Worked example: [1, 2, 3, 4] has 6 pairs × 6 operations = 36 thoughts, all distinct;
/// [4, 4, 6, 8] has fewer, because the two 4s make the same thoughts with 6 and with 8, and
/// 4 − 4 = 4 − 4. Division is exact: [3, 8] gives 8 / 3 = 8/3, not 2.
///
/// ```
/// use solutions::applications::game24::state_of;
/// use solutions::applications::tree_of_thoughts::propose;
/// assert_eq!(propose(&state_of(&[1, 2, 3, 4])).len(), 36);
/// let two = propose(&state_of(&[3, 8]));
/// assert!(two.iter().any(|s| s.to_string() == "8 / 3 = 8/3 (left: 8/3)"));
/// ```
// ANCHOR: propose
pub fn propose(left: &[Rational]) -> Vec<Step> {
    let mut out: Vec<Step> = vec![];
    for i in 0..left.len() {
        for j in i + 1..left.len() {
            // pair_results writes + and × larger first, so equal thoughts compare equal.
            for (a, op, b, result) in pair_results(left[i], left[j]) {
                let step = Step { a, op, b, result, left: remaining(left, i, j, result) };
                // Subtle: equal numbers repeat thoughts (4 + 6 from either 4): keep one, as
                // the authors' BFS gives a duplicate candidate the value 0.
                if !out.contains(&step) {
                    out.push(step);
                }
            }
        }
    }
    out
}
// ANCHOR_END: propose

/// Breadth-first Tree of Thoughts. Starting from the root, for `numbers.len() − 1` steps:
/// 1. every kept node, in order, asks `propose(&node.left)` for its next thoughts;
/// 2. each new node, in that order, is judged [`N_EVALUATE`] times in a row by
///    `judge(&new.left)`, and its value is the sum of the labels' [`Label::value`];
/// 3. the `breadth` nodes of highest value are kept (ties: the earlier node first, as
///    Python's stable `sorted(..., reverse=True)` keeps them).
///
/// Returns the kept nodes of the last step, best first (fewer than `breadth` if fewer were
/// proposed). The search succeeds if one of them is [`Node::solved`].
///
/// Worked example: [4, 9, 10, 13], breadth 1, a judge that says "sure" exactly when the
/// numbers left can reach 24: of the 36 first thoughts the first one proposed that keeps 24
/// reachable scores 60, the rest 0.003; the search then follows 60-valued states to 24.
// ANCHOR: tot_bfs
pub fn tot_bfs(
    numbers: &[Rational],
    breadth: usize,
    propose: &mut dyn FnMut(&[Rational]) -> Vec<Step>,
    judge: &mut dyn FnMut(&[Rational]) -> Label,
) -> Vec<Node> {
    let mut kept = vec![Node::root(numbers)];
    for _ in 1..numbers.len() {
        let mut candidates = vec![];
        for node in &kept {
            for step in propose(&node.left) {
                let mut steps = node.steps.clone();
                let left = step.left.clone();
                steps.push(step);
                candidates.push(Node { steps, left, value: 0.0 });
            }
        }
        for c in &mut candidates {
            // Summed over samples: three "likely"s (3) rank below one "sure" (20+).
            c.value = (0..N_EVALUATE).map(|_| judge(&c.left).value()).sum();
        }
        // Subtle: a stable sort by descending value keeps ties in proposal order; reversing
        // an ascending sort would put the later of two equal nodes first.
        candidates.sort_by(|x, y| y.value.total_cmp(&x.value));
        candidates.truncate(breadth);
        kept = candidates;
    }
    kept
}
// ANCHOR_END: tot_bfs

#[cfg(test)]
mod tests;
