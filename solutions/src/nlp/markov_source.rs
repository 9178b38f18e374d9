//! §2.6 A text source whose entropy is known exactly (熵已知的信源): an order-k character
//! Markov chain, the model behind Shannon's "approximations to English".
//!
//! Paper: Shannon, *A Mathematical Theory of Communication*, 1948, §3, where text drawn
//! from letter frequencies, then from digram and trigram statistics, looks more and more
//! like English; and Shannon, *Prediction and Entropy of Printed English*, 1951.
//!
//! No model can predict a source better than the source's own entropy rate: for any model
//! q, the cross-entropy $-\frac1N \mathbb E \log_2 q(x_{1..N})$ is at least
//! $-\frac1N \mathbb E \log_2 p(x_{1..N})$ (Gibbs' inequality), and the latter tends to the
//! entropy rate H. On real text H is unknown. On text sampled from this chain it is a
//! closed-form number, which turns "a good model gets close to the floor, none goes below
//! it" into something a test can check.
//!
//! Fitting on a cycle. The chain is fitted to a text read as a cycle (the end wraps to the
//! start), so every one of its N positions has exactly one predecessor and one successor.
//! The state is the last k characters c; the chain moves from c = $a y_1 \dots y_{k-1}$
//! to $y_1 \dots y_k$ with probability $n(a y_1 \dots y_k)/n(a y_1 \dots y_{k-1})$, where
//! n counts occurrences on the cycle. With $\pi(c) = n(c)/N$ the flow into
//! $c' = y_1 \dots y_k$ is
//! $$\sum_a \frac{n(a y_1 \dots y_{k-1})}{N}
//!   \cdot \frac{n(a y_1 \dots y_k)}{n(a y_1 \dots y_{k-1})}
//!   = \frac{\sum_a n(a y_1 \dots y_k)}{N} = \frac{n(c')}{N} = \pi(c'),$$
//! because on a cycle each occurrence of $c'$ is preceded by exactly one character a. So
//! π is stationary; the cycle visits every context, so the chain is irreducible and π is
//! its only stationary distribution. Started from π, the entropy rate is exactly
//! $$H = \sum_c \pi(c)\, H(X \mid c) = -\sum_c \pi(c) \sum_x p(x \mid c) \log_2 p(x \mid c).$$
//! (On a text that does not wrap, the first and last k characters break this balance.)

use super::corpus;
use super::ngram::{pack, BaselineRow, Estimate, NGramModel, MAX_ORDER};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;

/// One context's continuations: the characters that follow it and their running counts.
struct Context {
    chars: Vec<char>,
    next: Vec<char>,
    /// Running sums of the continuation counts; the last one is n(context).
    cumulative: Vec<u32>,
}

/// An order-k character Markov chain fitted to a text read as a cycle.
pub struct MarkovSource {
    order: usize,
    contexts: Vec<Context>,
    index: HashMap<u128, usize>,
    /// Running sums of n(context) over `contexts`, to draw a start from π.
    start: Vec<u32>,
}

impl MarkovSource {
    /// Fits the chain of order `order` (the number of characters of context) to `text`
    /// read as a cycle.
    ///
    /// # Panics
    /// If `order` is 0 or above [`MAX_ORDER`], or the text is not longer than `order`.
    // ANCHOR: fit
    pub fn fit(text: &str, order: usize) -> MarkovSource {
        assert!((1..=MAX_ORDER).contains(&order), "order must be 1..={MAX_ORDER}");
        let chars: Vec<char> = text.chars().collect();
        let n = chars.len();
        assert!(n > order, "the text must be longer than the order");
        // Count (context, next) on the cycle: position i has context chars[i..i+k] and
        // next character chars[i+k], all indices mod N.
        let mut counts: HashMap<(u128, char), u32> = HashMap::new();
        let mut ctx_chars: HashMap<u128, Vec<char>> = HashMap::new();
        for i in 0..n {
            let ctx: Vec<char> = (0..order).map(|j| chars[(i + j) % n]).collect();
            let key = pack(&ctx);
            *counts.entry((key, chars[(i + order) % n])).or_default() += 1;
            ctx_chars.entry(key).or_insert(ctx);
        }
        // Sorted, so that sampling from a seed is the same on every machine.
        let mut pairs: Vec<((u128, char), u32)> = counts.into_iter().collect();
        pairs.sort_unstable();
        let mut source =
            MarkovSource { order, contexts: vec![], index: HashMap::new(), start: vec![] };
        for ((key, next), count) in pairs {
            let slot = *source.index.entry(key).or_insert_with(|| {
                source.contexts.push(Context {
                    chars: ctx_chars[&key].clone(),
                    next: vec![],
                    cumulative: vec![],
                });
                source.contexts.len() - 1
            });
            let ctx = &mut source.contexts[slot];
            ctx.next.push(next);
            ctx.cumulative.push(ctx.cumulative.last().copied().unwrap_or(0) + count);
        }
        let mut total = 0;
        for ctx in &source.contexts {
            total += ctx.cumulative.last().unwrap();
            source.start.push(total);
        }
        debug_assert_eq!(total as usize, n, "π sums to 1: every position has one context");
        source
    }
    // ANCHOR_END: fit

    /// The order k: the number of characters of context.
    pub fn order(&self) -> usize {
        self.order
    }

    /// The number of distinct contexts (states of the chain).
    pub fn contexts(&self) -> usize {
        self.contexts.len()
    }

    /// The entropy rate in bits per character, $H = \sum_c \pi(c) H(X \mid c)$, exact.
    // ANCHOR: entropy_rate
    pub fn entropy_rate_bits(&self) -> f64 {
        let n = *self.start.last().unwrap() as f64;
        let mut h = 0.0;
        for ctx in &self.contexts {
            let total = *ctx.cumulative.last().unwrap() as f64;
            let mut previous = 0;
            for &cum in &ctx.cumulative {
                let p = (cum - previous) as f64 / total;
                previous = cum;
                // π(c) = total/N, times −p log2 p for each continuation.
                h -= total / n * p * p.log2();
            }
        }
        h
    }
    // ANCHOR_END: entropy_rate

    /// The true conditional probability $p(\text{next} \mid \text{context})$, from the
    /// last `order` characters of `context`; 0 if the chain can never produce it.
    pub fn prob(&self, context: &[char], next: char) -> f64 {
        let ctx = &context[context.len() - self.order..];
        let Some(&slot) = self.index.get(&pack(ctx)) else { return 0.0 };
        let c = &self.contexts[slot];
        let Some(i) = c.next.iter().position(|&x| x == next) else { return 0.0 };
        let count = c.cumulative[i] - if i == 0 { 0 } else { c.cumulative[i - 1] };
        count as f64 / *c.cumulative.last().unwrap() as f64
    }

    /// `n_chars` characters from the chain: a first context drawn from π, then each
    /// character drawn given the `order` before it. Seeded, so repeatable.
    // ANCHOR: sample
    pub fn sample(&self, n_chars: usize, seed: u64) -> String {
        let mut rng = StdRng::seed_from_u64(seed);
        // Starting from π makes every position stationary, so the sample's mean loss
        // estimates H from the first character on.
        let draw = |cumulative: &[u32], rng: &mut StdRng| {
            let u = rng.gen_range(0..*cumulative.last().unwrap());
            cumulative.partition_point(|&c| c <= u)
        };
        let first = &self.contexts[draw(&self.start, &mut rng)];
        let mut out: Vec<char> = first.chars.clone();
        let mut slot = self.index[&pack(&first.chars)];
        while out.len() < n_chars {
            let ctx = &self.contexts[slot];
            out.push(ctx.next[draw(&ctx.cumulative, &mut rng)]);
            // Subtle: every context the chain can reach was seen on the cycle, so the
            // lookup cannot fail; that is what fitting on a cycle buys.
            slot = self.index[&pack(&out[out.len() - self.order..])];
        }
        out.truncate(n_chars);
        out.into_iter().collect()
    }
    // ANCHOR_END: sample

    /// The bits $-\log_2 p(x_i \mid x_{i-k..i})$ the true chain spends on each character
    /// of `text` after the first `order` (which have no full context).
    pub fn char_bits(&self, text: &str) -> Vec<f64> {
        let chars: Vec<char> = text.chars().collect();
        (self.order..chars.len()).map(|i| -self.prob(&chars[..i], chars[i]).log2()).collect()
    }
}

/// The entropy floor against n-gram models: a source fitted to a text, two independent
/// samples from it (training and held-out), and held-out cross-entropies in bits per
/// character of the true chain and of an n-gram model of each order.
#[derive(Clone, Debug)]
pub struct FloorExperiment {
    pub source_order: usize,
    /// The exact entropy rate H of the source.
    pub entropy: f64,
    pub true_model: Estimate,
    pub ngrams: Vec<BaselineRow>,
}

/// Runs the floor experiment (see [`FloorExperiment`]); `seed` draws the training sample,
/// `seed + 1` the held-out one.
// ANCHOR: floor_experiment
pub fn floor_experiment(
    text: &str,
    source_order: usize,
    (train_chars, held_out_chars): (usize, usize),
    orders: &[usize],
    seed: u64,
) -> FloorExperiment {
    let source = MarkovSource::fit(text, source_order);
    let train = source.sample(train_chars, seed);
    let held_out = source.sample(held_out_chars, seed + 1);
    let ngrams = orders
        .iter()
        .map(|&order| BaselineRow {
            order,
            held_out: NGramModel::train(&train, order).cross_entropy(&held_out),
        })
        .collect();
    FloorExperiment {
        source_order,
        entropy: source.entropy_rate_bits(),
        true_model: Estimate::from_bits(&source.char_bits(&held_out)),
        ngrams,
    }
}
// ANCHOR_END: floor_experiment

/// The book's floor experiment: a source of order [`SOURCE_ORDER`] fitted to the English
/// corpus, [`TRAIN_CHARS`] characters to train on and [`HELD_OUT_CHARS`] held out, n-gram
/// orders 1 to 6, seed 0.
pub fn floor_on_corpus() -> FloorExperiment {
    let sizes = (TRAIN_CHARS, HELD_OUT_CHARS);
    floor_experiment(corpus::ENGLISH, SOURCE_ORDER, sizes, &[1, 2, 3, 4, 5, 6], 0)
}

/// The order of the book's source: characters of context.
pub const SOURCE_ORDER: usize = 3;
/// Characters sampled to train the n-gram models on.
pub const TRAIN_CHARS: usize = 400_000;
/// Characters sampled to evaluate on.
pub const HELD_OUT_CHARS: usize = 100_000;

#[cfg(test)]
mod tests;
