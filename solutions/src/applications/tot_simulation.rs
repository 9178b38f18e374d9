//! §6.4 The Game of 24 table, simulated (24 点游戏的模拟实验): IO, CoT, self-consistency and
//! Tree of Thoughts on all 1,362 puzzles, with stochastic stand-ins for the LM.
//!
//! This is a simulation with stated error rates, NOT a language model. The stand-ins:
//! - **proposer**: lists every valid next thought ([`propose`]) but misses each one,
//!   independently, with probability `miss`;
//! - **judge**: labels a state *sure* if 24 is still reachable and *impossible* if not
//!   (the exact solver decides), except that with probability `mislabel` it gives one of
//!   the two other labels instead, chosen uniformly;
//! - **IO sample**: writes an answer without intermediate steps, modelled as a guess: a
//!   uniformly random path of three valid operations;
//! - **CoT sample**: writes three steps; each step is one of the proposer's thoughts, one
//!   that keeps 24 reachable with probability `skill` (when the list has one), otherwise a
//!   uniformly random one;
//! - **self-consistency**: `sc_chains` CoT samples and [`majority_vote`] on their final
//!   numbers (chains that break off give no answer);
//! - **ToT**: [`tot_bfs`] with the proposer and the judge, b = 1 and b = 5; a puzzle counts
//!   as solved when one of the b final states is 24, because the authors pick among the b
//!   outputs with a validity check (princeton-nlp/tree-of-thought-llm issue #53).
//!
//! Every puzzle has its own seed, derived from `seed`, the puzzle's index and the method, so
//! that any subset of puzzles reproduces exactly the rows of the full run.

use crate::applications::game24::{solvable, state_of, Rational};
use crate::applications::self_consistency::majority_vote;
use crate::applications::tree_of_thoughts::{propose, tot_bfs, Label};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The stand-ins' error rates and the run's sizes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimConfig {
    /// Probability that the proposer leaves out a given valid thought.
    pub miss: f64,
    /// Probability that one judgement is replaced by one of the two wrong labels.
    pub mislabel: f64,
    /// Probability that a CoT step is chosen among the thoughts that keep 24 reachable.
    pub skill: f64,
    /// IO and CoT samples per puzzle (the paper: 100).
    pub samples: usize,
    /// Chains per self-consistency vote (the paper: k = 100).
    pub sc_chains: usize,
    pub seed: u64,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self { miss: 0.2, mislabel: 0.1, skill: 0.5, samples: 100, sc_chains: 100, seed: 2305 }
    }
}

/// Solvability of every state seen, computed once.
#[derive(Default)]
pub struct Oracle(HashMap<Vec<Rational>, bool>);

impl Oracle {
    pub fn reachable(&mut self, left: &[Rational]) -> bool {
        if let Some(&b) = self.0.get(left) {
            return b;
        }
        let b = solvable(left);
        self.0.insert(left.to_vec(), b);
        b
    }
}

/// The stochastic judge: one label for the numbers `left`.
pub fn noisy_judge(rng: &mut StdRng, oracle: &mut Oracle, left: &[Rational], e: f64) -> Label {
    let truth = if oracle.reachable(left) { Label::Sure } else { Label::Impossible };
    if !rng.gen_bool(e) {
        return truth;
    }
    let others: Vec<Label> = [Label::Sure, Label::Likely, Label::Impossible]
        .into_iter()
        .filter(|&l| l != truth)
        .collect();
    others[rng.gen_range(0..2)]
}

/// The stochastic proposer: [`propose`], each thought missed with probability `miss`.
pub fn noisy_propose(
    rng: &mut StdRng,
    left: &[Rational],
    miss: f64,
) -> Vec<crate::applications::game24::Step> {
    propose(left).into_iter().filter(|_| !rng.gen_bool(miss)).collect()
}

/// One IO guess: the final number of a uniformly random path of valid operations.
pub fn io_sample(rng: &mut StdRng, numbers: &[Rational]) -> Rational {
    let mut left = numbers.to_vec();
    while left.len() > 1 {
        let all = propose(&left);
        left = all[rng.gen_range(0..all.len())].left.clone();
    }
    left[0]
}

/// One CoT chain's final number, or `None` if the proposer offered nothing at some step.
pub fn cot_sample(
    rng: &mut StdRng,
    oracle: &mut Oracle,
    numbers: &[Rational],
    cfg: &SimConfig,
) -> Option<Rational> {
    let mut left = numbers.to_vec();
    while left.len() > 1 {
        let listed = noisy_propose(rng, &left, cfg.miss);
        let good: Vec<usize> =
            (0..listed.len()).filter(|&i| oracle.reachable(&listed[i].left)).collect();
        let pick = if !good.is_empty() && rng.gen_bool(cfg.skill) {
            good[rng.gen_range(0..good.len())]
        } else if !listed.is_empty() {
            rng.gen_range(0..listed.len())
        } else {
            return None;
        };
        left = listed[pick].left.clone();
    }
    Some(left[0])
}

/// One puzzle's outcomes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PuzzleRow {
    pub puzzle: [u8; 4],
    /// IO samples (of `samples`) that reached 24.
    pub io: usize,
    /// CoT samples (of `samples`) that reached 24.
    pub cot: usize,
    /// Did the self-consistency vote say 24?
    pub sc: bool,
    pub tot1: bool,
    pub tot5: bool,
    /// Model calls of each search: proposals plus judgements.
    pub tot1_calls: usize,
    pub tot5_calls: usize,
}

/// The per-puzzle, per-method RNG.
fn rng_for(seed: u64, index: usize, method: u64) -> StdRng {
    StdRng::seed_from_u64(seed ^ ((index as u64) << 8 | method).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Runs every method on puzzle number `index` of the data set.
// ANCHOR: run_puzzle
pub fn run_puzzle(
    index: usize,
    puzzle: [u8; 4],
    cfg: &SimConfig,
    oracle: &mut Oracle,
) -> PuzzleRow {
    let numbers = state_of(&puzzle);
    let is_24 = |x: &Rational| *x == Rational::int(24);
    let mut rng = rng_for(cfg.seed, index, 0);
    let io = (0..cfg.samples).filter(|_| is_24(&io_sample(&mut rng, &numbers))).count();
    let mut rng = rng_for(cfg.seed, index, 1);
    let cot = (0..cfg.samples)
        .filter(|_| cot_sample(&mut rng, oracle, &numbers, cfg).is_some_and(|x| is_24(&x)))
        .count();
    let mut rng = rng_for(cfg.seed, index, 2);
    let finals: Vec<Option<Rational>> =
        (0..cfg.sc_chains).map(|_| cot_sample(&mut rng, oracle, &numbers, cfg)).collect();
    let sc = majority_vote(&finals).is_some_and(|x| is_24(&x));
    let mut tot = |b: usize, method: u64| {
        let mut rng = rng_for(cfg.seed, index, method);
        let (mut proposals, mut judgements) = (0, 0);
        let kept = {
            let rng = std::cell::RefCell::new(&mut rng);
            let mut prop = |left: &[Rational]| {
                proposals += 1;
                noisy_propose(&mut rng.borrow_mut(), left, cfg.miss)
            };
            let mut judge = |left: &[Rational]| {
                judgements += 1;
                noisy_judge(&mut rng.borrow_mut(), oracle, left, cfg.mislabel)
            };
            tot_bfs(&numbers, b, &mut prop, &mut judge)
        };
        (kept.iter().any(|n| n.solved()), proposals + judgements)
    };
    let (tot1, tot1_calls) = tot(1, 3);
    let (tot5, tot5_calls) = tot(5, 4);
    PuzzleRow { puzzle, io, cot, sc, tot1, tot5, tot1_calls, tot5_calls }
}
// ANCHOR_END: run_puzzle

/// A whole run: the configuration, where it came from, and one row per puzzle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Game24Table {
    pub provenance: String,
    pub config: SimConfig,
    pub rows: Vec<PuzzleRow>,
}

/// Runs the puzzles whose indices (into `puzzles`) are given.
pub fn run_table(puzzles: &[[u8; 4]], indices: &[usize], cfg: &SimConfig) -> Vec<PuzzleRow> {
    let mut oracle = Oracle::default();
    indices.iter().map(|&i| run_puzzle(i, puzzles[i], cfg, &mut oracle)).collect()
}

/// One line of the results table.
#[derive(Clone, Debug, PartialEq)]
pub struct MethodRate {
    pub method: &'static str,
    /// Our simulated solve rate, in [0, 1].
    pub rate: f64,
    /// GPT-4's in the paper (Table 2), in [0, 1].
    pub paper: f64,
    /// Model calls per puzzle in our simulation.
    pub calls: f64,
}

impl Game24Table {
    /// The five rates. IO and CoT are averaged over samples, as the paper's 7.3 % and 4.0 %
    /// are; self-consistency and ToT count puzzles.
    pub fn rates(&self) -> Vec<MethodRate> {
        let n = self.rows.len() as f64;
        let c = &self.config;
        let share =
            |f: &dyn Fn(&PuzzleRow) -> bool| self.rows.iter().filter(|r| f(r)).count() as f64 / n;
        let per_sample = |f: &dyn Fn(&PuzzleRow) -> usize| {
            self.rows.iter().map(f).sum::<usize>() as f64 / (n * c.samples as f64)
        };
        let calls =
            |f: &dyn Fn(&PuzzleRow) -> usize| self.rows.iter().map(f).sum::<usize>() as f64 / n;
        vec![
            MethodRate { method: "IO", rate: per_sample(&|r| r.io), paper: 0.073, calls: 1.0 },
            MethodRate { method: "CoT", rate: per_sample(&|r| r.cot), paper: 0.040, calls: 1.0 },
            MethodRate {
                method: "CoT-SC",
                rate: share(&|r| r.sc),
                paper: 0.090,
                calls: c.sc_chains as f64,
            },
            MethodRate {
                method: "ToT b=1",
                rate: share(&|r| r.tot1),
                paper: 0.45,
                calls: calls(&|r| r.tot1_calls),
            },
            MethodRate {
                method: "ToT b=5",
                rate: share(&|r| r.tot5),
                paper: 0.74,
                calls: calls(&|r| r.tot5_calls),
            },
        ]
    }

    /// The table as markdown: method, our rate, GPT-4's, calls per puzzle.
    pub fn markdown(&self) -> String {
        let mut out = String::from(
            "| method | simulated solve rate | GPT-4 (paper, Table 2) | model calls per puzzle |\n\
             |---|---|---|---|\n",
        );
        for m in self.rates() {
            out += &format!(
                "| {} | {:.1} % | {:.1} % | {:.1} |\n",
                m.method,
                100.0 * m.rate,
                100.0 * m.paper,
                m.calls
            );
        }
        out
    }
}

/// The full run: every solvable puzzle, with `cfg`.
pub fn full_table(cfg: &SimConfig) -> Game24Table {
    let puzzles = crate::applications::game24::solvable_puzzles();
    let indices: Vec<usize> = (0..puzzles.len()).collect();
    Game24Table {
        provenance: format!(
            "cargo course tot --save data/bench/game24_tot.json ({} puzzles, seed {})",
            puzzles.len(),
            cfg.seed
        ),
        config: cfg.clone(),
        rows: run_table(&puzzles, &indices, cfg),
    }
}

#[cfg(test)]
mod tests;
