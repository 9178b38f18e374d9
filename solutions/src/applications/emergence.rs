//! §6.6 Emergence or a mirage of the metric? Exact match of a k-token answer
//! (涌现能力还是指标的幻象：k 个 token 答案的完全匹配).
//!
//! Papers: Wei et al. 2022, "Emergent Abilities of Large Language Models", arXiv 2206.07682
//! (an ability is emergent if it is absent in smaller models and present in larger ones, so
//! that extrapolating the small ones would not predict it); Schaeffer, Miranda and Koyejo
//! 2023, "Are Emergent Abilities of Large Language Models a Mirage?", arXiv 2304.15004, §2:
//! if each of the k tokens of an answer is right with probability p, independently, exact
//! match scores $p^k$, a nonlinear metric that turns a smooth $p$ into a curve that sits at
//! zero and then shoots up.
//!
//! Computed here, on a *stated* smooth curve, not on real models: per-token accuracy
//! logistic in $\log_{10}$ of the parameter count,
//! $p(x) = \sigma(s\,(x - m))$ with $x = \log_{10} N$ (midpoint $m$, slope $s$ per decade).
//! BIG-bench (`bigbench` on GitHub) and Hugging Face `evaluate`'s `exact_match` score
//! answers this way.

use rand::Rng;

// ANCHOR: curve
/// The stated smooth per-token accuracy: $p(x) = \sigma(s(x - m))$, $x = \log_{10} N$.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PerTokenCurve {
    /// $m$: the $\log_{10}$ parameter count at which half the tokens are right.
    pub midpoint: f64,
    /// $s$: how fast, per decade of parameters.
    pub slope: f64,
}

/// The page's curve: half the tokens right at 10⁸ parameters, logistic slope 1 per decade.
pub const BOOK_CURVE: PerTokenCurve = PerTokenCurve { midpoint: 8.0, slope: 1.0 };

impl PerTokenCurve {
    /// Per-token accuracy at $10^x$ parameters.
    pub fn per_token(&self, x: f64) -> f64 {
        1.0 / (1.0 + (-self.slope * (x - self.midpoint)).exp())
    }

    /// Exact match of a `k`-token answer at $10^x$ parameters: $p(x)^k$.
    pub fn exact_match(&self, x: f64, k: u32) -> f64 {
        exact_match(self.per_token(x), k)
    }

    /// Where exact match of `k` tokens reaches `level`, in closed form: $p^k = \ell$ at
    /// $p = \ell^{1/k}$, so $x = m + \mathrm{logit}(\ell^{1/k})/s$.
    pub fn crossing(&self, k: u32, level: f64) -> f64 {
        let p = level.powf(1.0 / k as f64);
        self.midpoint + (p / (1.0 - p)).ln() / self.slope
    }
}
// ANCHOR_END: curve

// ANCHOR: exact_match
/// Exact match of a `k`-token answer whose tokens are each right with probability `p`,
/// independently: all k must be right, $p^k$. At p = 0.8 and k = 10: 0.107.
///
/// ```
/// use solutions::applications::emergence::exact_match;
/// assert!((exact_match(0.8, 10) - 0.107374).abs() < 1e-6);
/// assert_eq!(exact_match(0.5, 1), 0.5);
/// ```
pub fn exact_match(p: f64, k: u32) -> f64 {
    p.powi(k as i32)
}
// ANCHOR_END: exact_match

/// For large k the 50 % crossing sits $\ln(k/\ln 2)/s$ decades after the midpoint:
/// $p^k = \frac12$ needs $1 - p \approx \ln 2 / k$, whose logit is $\ln(k/\ln 2)$.
pub fn crossing_shift_for_large_k(curve: &PerTokenCurve, k: u32) -> f64 {
    (k as f64 / std::f64::consts::LN_2).ln() / curve.slope
}

/// Where the increasing `f` crosses `level` on `[lo, hi]`, by bisection (60 halvings): a
/// check of the closed form that assumes nothing about `f` but monotonicity.
pub fn crossing_by_bisection(f: impl Fn(f64) -> f64, level: f64, lo: f64, hi: f64) -> f64 {
    assert!(f(lo) <= level && f(hi) >= level, "{level} is not crossed on [{lo}, {hi}]");
    let (mut lo, mut hi) = (lo, hi);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if f(mid) < level {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The steepest rise of `f` on `[lo, hi]`, measured by central differences on a grid of
/// `steps` intervals: (where, slope per unit of x).
pub fn max_slope(f: impl Fn(f64) -> f64, lo: f64, hi: f64, steps: usize) -> (f64, f64) {
    let h = (hi - lo) / steps as f64;
    (1..steps)
        .map(|i| lo + i as f64 * h)
        .map(|x| (x, (f(x + h / 2.0) - f(x - h / 2.0)) / h))
        .fold((lo, f64::NEG_INFINITY), |best, cur| if cur.1 > best.1 { cur } else { best })
}

/// A ladder of model sizes: $\log_{10} N$ from `lo` to `hi` in steps of `step` decades.
pub fn ladder(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let n = ((hi - lo) / step).round() as usize;
    (0..=n).map(|i| lo + i as f64 * step).collect()
}

/// What a benchmark of `questions` answers of `k` tokens measures on a model whose tokens
/// are each right with probability `p`: (exact matches, correct tokens), sampled.
pub fn run_benchmark(p: f64, k: u32, questions: usize, rng: &mut impl Rng) -> (usize, usize) {
    let (mut exact, mut tokens) = (0, 0);
    for _ in 0..questions {
        let right = (0..k).filter(|_| rng.gen_bool(p)).count();
        tokens += right;
        exact += usize::from(right == k as usize);
    }
    (exact, tokens)
}

// ANCHOR: measured_ladder
/// One model of the ladder, scored both ways from the same sampled answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LadderPoint {
    pub log10_params: f64,
    /// The curve's per-token accuracy there.
    pub p: f64,
    /// Measured: the share of answers with every token right (exact match) and the share of
    /// tokens right (a continuous metric, as Schaeffer et al. propose).
    pub exact_match: f64,
    pub token_accuracy: f64,
}

/// The benchmark run on every model of `ladder`: `questions` answers of `k` tokens each.
pub fn measured_ladder(
    curve: &PerTokenCurve,
    ladder: &[f64],
    k: u32,
    questions: usize,
    rng: &mut impl Rng,
) -> Vec<LadderPoint> {
    ladder
        .iter()
        .map(|&x| {
            let p = curve.per_token(x);
            let (exact, tokens) = run_benchmark(p, k, questions, rng);
            LadderPoint {
                log10_params: x,
                p,
                exact_match: exact as f64 / questions as f64,
                token_accuracy: tokens as f64 / (questions * k as usize) as f64,
            }
        })
        .collect()
}
// ANCHOR_END: measured_ladder

/// The first model of `ladder` at which a metric `f` reaches `floor`, if any.
pub fn onset(f: impl Fn(f64) -> f64, ladder: &[f64], floor: f64) -> Option<f64> {
    ladder.iter().copied().find(|&x| f(x) >= floor)
}

#[cfg(test)]
mod tests;
