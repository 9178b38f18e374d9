//! Binomial counts (二项分布计数): the standard error of a count of successes and how many
//! standard errors a measured count lies from its expectation.
//!
//! The course judges every random procedure (BERT's masking in §2.5, sampling later) by
//! counting outcomes over many draws and asking whether each count is within a few
//! standard errors of $np$: a bound that holds for every correct seed and that a wrong
//! probability fails. SciPy: `scipy.stats.binomtest`; PyTorch has no equivalent.

/// The standard error of a binomial count, $\sqrt{np(1-p)}$: 512 positions chosen with
/// $p = 0.15$ give $76.8 \pm 8.08$.
pub fn binomial_se(n: usize, p: f64) -> f64 {
    (n as f64 * p * (1.0 - p)).sqrt()
}

/// How many standard errors `count` lies from its mean: $z = (k - np)/\sqrt{np(1-p)}$.
pub fn z_score(count: usize, n: usize, p: f64) -> f64 {
    (count as f64 - n as f64 * p) / binomial_se(n, p)
}

#[cfg(test)]
mod tests;
