//! §6.4 The Game of 24, solved exactly (24 点游戏的精确求解).
//!
//! Four numbers from 1 to 13; combine them with + − × ÷, each number used once, to make 24.
//! Tree of Thoughts (Yao et al. 2023, "Tree of Thoughts: Deliberate Problem Solving with
//! Large Language Models", arXiv 2305.10601, §4.1) uses 1,362 such puzzles scraped from
//! 4nums.com. This file enumerates every multiset of four numbers from 1 to 13 (1,820) and
//! finds the solvable ones by exhaustive search, so the course has the whole data set
//! without downloading it, and an exact judge for every state a search can reach.
//! The authors' code checks answers with `sympy.simplify`; Python's `fractions.Fraction`
//! is the closest equivalent of [`Rational`].

use std::cmp::Ordering;
use std::fmt;

/// The target.
pub const TARGET: i64 = 24;

/// An exact fraction num/den in lowest terms with den > 0.
///
/// Subtle: the game needs fractions. 3 3 8 8 is solved only by 8 ÷ (3 − 8 ÷ 3) = 24, whose
/// intermediate 8/3 an integer (or truncating) division loses, and a float's 8/3 is not
/// exact: 8 / (3 − 8/3) gives 23.999999999999993 in f64.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rational {
    num: i64,
    den: i64,
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a.abs()
    } else {
        gcd(b, a % b)
    }
}

impl Rational {
    /// num/den reduced; panics on a zero denominator.
    pub fn new(num: i64, den: i64) -> Self {
        assert!(den != 0, "Rational::new({num}, 0): zero denominator");
        let g = gcd(num, den).max(1);
        let sign = if den < 0 { -1 } else { 1 };
        Self { num: sign * num / g, den: sign * den / g }
    }
    /// The integer n as n/1.
    pub fn int(n: i64) -> Self {
        Self { num: n, den: 1 }
    }
    pub fn numer(self) -> i64 {
        self.num
    }
    pub fn denom(self) -> i64 {
        self.den
    }
    pub fn is_zero(self) -> bool {
        self.num == 0
    }
    /// self ÷ other, or `None` when other is 0.
    pub fn checked_div(self, other: Self) -> Option<Self> {
        (!other.is_zero()).then(|| Self::new(self.num * other.den, self.den * other.num))
    }
}

impl std::ops::Add for Rational {
    type Output = Self;
    fn add(self, o: Self) -> Self {
        Self::new(self.num * o.den + o.num * self.den, self.den * o.den)
    }
}
impl std::ops::Sub for Rational {
    type Output = Self;
    fn sub(self, o: Self) -> Self {
        Self::new(self.num * o.den - o.num * self.den, self.den * o.den)
    }
}
impl std::ops::Mul for Rational {
    type Output = Self;
    fn mul(self, o: Self) -> Self {
        Self::new(self.num * o.num, self.den * o.den)
    }
}

impl Ord for Rational {
    fn cmp(&self, o: &Self) -> Ordering {
        // Denominators are positive, so cross-multiplying keeps the order.
        (self.num as i128 * o.den as i128).cmp(&(o.num as i128 * self.den as i128))
    }
}
impl PartialOrd for Rational {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl fmt::Display for Rational {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

/// The four operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

impl Op {
    pub const ALL: [Op; 4] = [Op::Add, Op::Sub, Op::Mul, Op::Div];

    /// a op b, or `None` for a division by zero.
    pub fn apply(self, a: Rational, b: Rational) -> Option<Rational> {
        match self {
            Op::Add => Some(a + b),
            Op::Sub => Some(a - b),
            Op::Mul => Some(a * b),
            Op::Div => a.checked_div(b),
        }
    }
    pub fn symbol(self) -> char {
        match self {
            Op::Add => '+',
            Op::Sub => '-',
            Op::Mul => '*',
            Op::Div => '/',
        }
    }
}

/// One thought of the Game of 24: one operation on two of the remaining numbers, written as
/// the paper's prompts write it, `13 - 9 = 4 (left: 4 4 10)`. `left` is sorted ascending.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Step {
    pub a: Rational,
    pub op: Op,
    pub b: Rational,
    pub result: Rational,
    pub left: Vec<Rational>,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let left: Vec<String> = self.left.iter().map(|x| x.to_string()).collect();
        let (a, op, b, r) = (self.a, self.op.symbol(), self.b, self.result);
        write!(f, "{a} {op} {b} = {r} (left: {})", left.join(" "))
    }
}

/// The puzzle's numbers as rationals, sorted ascending.
pub fn state_of(numbers: &[u8]) -> Vec<Rational> {
    let mut s: Vec<Rational> = numbers.iter().map(|&n| Rational::int(n as i64)).collect();
    s.sort();
    s
}

/// The numbers left after combining positions i < j of `nums` into r, sorted ascending.
pub fn remaining(nums: &[Rational], i: usize, j: usize, r: Rational) -> Vec<Rational> {
    let mut left: Vec<Rational> =
        nums.iter().enumerate().filter(|&(k, _)| k != i && k != j).map(|(_, &x)| x).collect();
    left.push(r);
    left.sort();
    left
}

/// Every result of one operation on the unordered pair {x, y}: x + y, x × y, x − y, y − x,
/// x ÷ y and y ÷ x (divisions by zero left out), as (a, op, b, a op b).
pub fn pair_results(x: Rational, y: Rational) -> Vec<(Rational, Op, Rational, Rational)> {
    let (hi, lo) = if x >= y { (x, y) } else { (y, x) };
    let ordered = [(hi, Op::Add, lo), (hi, Op::Mul, lo), (x, Op::Sub, y), (y, Op::Sub, x)];
    let divisions = [(x, Op::Div, y), (y, Op::Div, x)];
    ordered
        .into_iter()
        .chain(divisions)
        .filter_map(|(a, op, b)| op.apply(a, b).map(|r| (a, op, b, r)))
        .collect()
}

/// Can `nums` (1 to 8 numbers) be combined, each number used once, into exactly 24?
///
/// Exhaustive: every pair, each of its six results, then the same on what is left; it
/// stops at the first success. Worked example: [4, 9, 10, 13] → 13 − 9 = 4, 10 − 4 = 6,
/// 4 × 6 = 24.
// ANCHOR: solvable
pub fn solvable(nums: &[Rational]) -> bool {
    let n = nums.len();
    assert!((1..=8).contains(&n), "solvable: {n} numbers, expected 1 to 8");
    if n == 1 {
        return nums[0] == Rational::int(TARGET);
    }
    // The numbers left after a step, in a stack buffer: this runs millions of times.
    let mut next = [Rational::int(0); 8];
    for i in 0..n {
        for j in i + 1..n {
            let mut k = 0;
            for (_, &v) in nums.iter().enumerate().filter(|&(m, _)| m != i && m != j) {
                next[k] = v;
                k += 1;
            }
            let (x, y) = (nums[i], nums[j]);
            let results = [Some(x + y), Some(x * y), Some(x - y), Some(y - x)];
            for r in results.into_iter().chain([x.checked_div(y), y.checked_div(x)]).flatten() {
                next[k] = r;
                if solvable(&next[..=k]) {
                    return true;
                }
            }
        }
    }
    false
}

/// A solution as steps (the chain a perfect chain of thought would write), or `None`.
/// The same search as [`solvable`], keeping the steps.
pub fn solve(nums: &[Rational]) -> Option<Vec<Step>> {
    if nums.len() == 1 {
        return (nums[0] == Rational::int(TARGET)).then(Vec::new);
    }
    for i in 0..nums.len() {
        for j in i + 1..nums.len() {
            for (a, op, b, r) in pair_results(nums[i], nums[j]) {
                let left = remaining(nums, i, j, r);
                if let Some(mut rest) = solve(&left) {
                    rest.insert(0, Step { a, op, b, result: r, left });
                    return Some(rest);
                }
            }
        }
    }
    None
}
// ANCHOR_END: solvable

/// Every multiset of four numbers from 1 to 13, each sorted ascending: C(16, 4) = 1,820.
pub fn all_puzzles() -> Vec<[u8; 4]> {
    let mut out = vec![];
    for a in 1..=13u8 {
        for b in a..=13 {
            for c in b..=13 {
                for d in c..=13 {
                    out.push([a, b, c, d]);
                }
            }
        }
    }
    out
}

/// The solvable ones, in the order of [`all_puzzles`]: the Game of 24's data set.
// ANCHOR: solvable_puzzles
pub fn solvable_puzzles() -> Vec<[u8; 4]> {
    // Computed once per process: tests, figures and the CLI all ask for it.
    static PUZZLES: std::sync::OnceLock<Vec<[u8; 4]>> = std::sync::OnceLock::new();
    PUZZLES
        .get_or_init(|| all_puzzles().into_iter().filter(|p| solvable(&state_of(p))).collect())
        .clone()
}
// ANCHOR_END: solvable_puzzles

#[cfg(test)]
mod tests;
