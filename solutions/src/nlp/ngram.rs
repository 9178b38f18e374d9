//! §2.6 A character n-gram language model (n 元语言模型), the baseline every neural LM
//! should beat, with interpolated Kneser–Ney smoothing (Kneser–Ney 平滑).
//!
//! Papers: Kneser and Ney, *Improved backing-off for M-gram language modeling*, ICASSP
//! 1995; Chen and Goodman, *An Empirical Study of Smoothing Techniques for Language
//! Modeling*, 1998 (Harvard TR-10-98), whose comparison made interpolated Kneser–Ney the
//! standard; the discount $D = n_1/(n_1 + 2n_2)$ is Ney, Essen and Kneser (1994).
//! Equivalents: KenLM's `lmplz`, NLTK's `nltk.lm.KneserNeyInterpolated`.
//!
//! An order-$n$ model predicts a character from the $n-1$ before it. Counting alone gives
//! zero probability to every continuation not seen in training, and one zero on held-out
//! text makes the cross-entropy infinite. Why Kneser–Ney and not add-$k$: add-$k$ gives
//! every unseen continuation the same share whatever the context, while interpolated KN
//! takes a fixed discount $D$ off each seen count and hands the freed mass to the
//! next-lower order, so an unseen continuation gets probability in proportion to how
//! plausible it is one character of context shorter. The lower orders use *continuation
//! counts* (how many distinct characters precede a string) rather than raw counts: a
//! character that follows many different contexts is a better guess for a new context
//! than one that is frequent only inside one word.

use std::collections::HashMap;

/// The longest context a packed key holds: 6 characters of 21 bits in a `u128`.
pub const MAX_ORDER: usize = 6;

/// Packs up to [`MAX_ORDER`] characters into one integer key, 21 bits each (every Unicode
/// scalar value is below $2^{21}$), so that a table lookup hashes 16 bytes instead of a
/// `Vec<char>`. Keys of different lengths live in different tables, so they never clash.
pub(crate) fn pack(chars: &[char]) -> u128 {
    debug_assert!(chars.len() <= MAX_ORDER);
    chars.iter().fold(0u128, |key, &c| (key << 21) | c as u128)
}

/// One order's tables: the count of each m-gram, and for each (m−1)-character context
/// the sum of those counts and the number of distinct continuations.
struct Level {
    counts: HashMap<u128, u32>,
    contexts: HashMap<u128, (u32, u32)>,
    discount: f64,
}

/// A character n-gram model with interpolated Kneser–Ney smoothing.
pub struct NGramModel {
    order: usize,
    /// `levels[m - 1]` holds the m-grams, m = 1..=order.
    levels: Vec<Level>,
    /// The distinct training characters, plus one for every character never seen.
    vocab: usize,
}

/// A held-out cross-entropy: its mean in bits per character and the standard error of
/// that mean, $s/\sqrt N$ with $s$ the standard deviation of the per-character bits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub bits_per_char: f64,
    pub std_error: f64,
    pub chars: usize,
}

impl Estimate {
    /// The mean and standard error of per-character losses in bits.
    pub fn from_bits(bits: &[f64]) -> Estimate {
        let n = bits.len() as f64;
        let mean = bits.iter().sum::<f64>() / n;
        let var = bits.iter().map(|b| (b - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
        Estimate { bits_per_char: mean, std_error: (var / n).sqrt(), chars: bits.len() }
    }

    /// The per-character perplexity, $2^{\text{bits}}$.
    pub fn perplexity(&self) -> f64 {
        self.bits_per_char.exp2()
    }
}

impl NGramModel {
    /// Counts every m-gram of `text` for m = 1..=order and sets each order's discount.
    ///
    /// # Panics
    /// If `order` is 0 or above [`MAX_ORDER`], or `text` is empty.
    // ANCHOR: train
    pub fn train(text: &str, order: usize) -> NGramModel {
        assert!((1..=MAX_ORDER).contains(&order), "order must be 1..={MAX_ORDER}");
        let chars: Vec<char> = text.chars().collect();
        assert!(!chars.is_empty(), "cannot train on an empty text");
        let mut vocab: Vec<char> = chars.clone();
        vocab.sort_unstable();
        vocab.dedup();
        // The top order counts occurrences.
        let mut raw: HashMap<u128, u32> = HashMap::new();
        for gram in chars.windows(order) {
            *raw.entry(pack(gram)).or_default() += 1;
        }
        let mut per_order = vec![raw];
        // Each lower order counts how many distinct characters precede an m-gram: the
        // distinct (m+1)-grams that end with it (continuation counts).
        for m in (1..order).rev() {
            let mut cont: HashMap<u128, u32> = HashMap::new();
            let mask = (1u128 << (21 * m)) - 1;
            for &longer in per_order.last().unwrap().keys() {
                *cont.entry(longer & mask).or_default() += 1;
            }
            // Subtle: an m-gram seen only at the very start of the text has no left
            // neighbour, so no continuation count; count it once, so no seen m-gram is lost.
            if chars.len() >= m {
                cont.entry(pack(&chars[..m])).or_insert(1);
            }
            per_order.push(cont);
        }
        per_order.reverse();
        let levels = per_order.into_iter().enumerate().map(|(i, c)| level(c, i + 1)).collect();
        NGramModel { order, levels, vocab: vocab.len() + 1 }
    }
    // ANCHOR_END: train

    /// The model's order n: it conditions on the last n − 1 characters.
    pub fn order(&self) -> usize {
        self.order
    }

    /// $p(\text{next} \mid \text{history})$, from the last `order − 1` characters of
    /// `history` (fewer at the start of a text):
    /// $$p_m(w \mid h) =
    ///   \frac{\max(c_m(hw) - D_m, 0) + D_m\, t_m(h)\, p_{m-1}(w \mid h')}{c_m(h)},$$
    /// where $c_m$ are the counts of order m, $c_m(h)$ their sum over w, $t_m(h)$ the
    /// number of distinct w seen after h, and $h'$ is h without its first character. An
    /// unseen context keeps the lower-order estimate; the recursion ends at the uniform
    /// distribution over the training characters plus one "unseen" symbol, so no
    /// character ever gets probability 0. (Every unseen character is scored as that one
    /// symbol, the usual `<unk>` convention; it flatters text full of unseen characters.)
    // ANCHOR: prob
    pub fn prob(&self, history: &[char], next: char) -> f64 {
        let h = &history[history.len().saturating_sub(self.order - 1)..];
        let mut p = 1.0 / self.vocab as f64;
        for m in 1..=h.len() + 1 {
            let ctx = &h[h.len() + 1 - m..];
            let level = &self.levels[m - 1];
            let Some(&(total, types)) = level.contexts.get(&pack(ctx)) else { continue };
            let c = level.counts.get(&((pack(ctx) << 21) | next as u128)).copied().unwrap_or(0);
            let d = level.discount;
            // The discounted count, plus the freed mass D·t(h) spread by the lower order.
            p = ((c as f64 - d).max(0.0) + d * types as f64 * p) / total as f64;
        }
        p
    }
    // ANCHOR_END: prob

    /// The bits $-\log_2 p$ the model spends on each character of `text`, each predicted
    /// from the characters before it in `text`.
    pub fn char_bits(&self, text: &str) -> Vec<f64> {
        let chars: Vec<char> = text.chars().collect();
        (0..chars.len()).map(|i| -self.prob(&chars[..i], chars[i]).log2()).collect()
    }

    /// The held-out cross-entropy in bits per character, with its standard error.
    pub fn cross_entropy(&self, text: &str) -> Estimate {
        Estimate::from_bits(&self.char_bits(text))
    }
}

/// Builds one order's tables from its counts; the discount is $n_1/(n_1 + 2n_2)$ with
/// $n_r$ the number of m-grams of count r (the leave-one-out estimate of Ney et al.).
fn level(counts: HashMap<u128, u32>, m: usize) -> Level {
    let mut contexts: HashMap<u128, (u32, u32)> = HashMap::new();
    let (mut n1, mut n2) = (0.0, 0.0);
    for (&gram, &c) in &counts {
        let entry = contexts.entry(gram >> 21).or_default();
        entry.0 += c;
        entry.1 += 1;
        n1 += f64::from(c == 1);
        n2 += f64::from(c == 2);
    }
    debug_assert!(m == 1 || contexts.keys().all(|&k| k < 1u128 << (21 * (m - 1))));
    // Subtle: D = 0 (no singletons) would leave nothing for unseen characters, and an
    // infinite loss on the first one; keep D inside [0.1, 0.9].
    let discount = if n1 + 2.0 * n2 > 0.0 { n1 / (n1 + 2.0 * n2) } else { 0.5 };
    Level { counts, contexts, discount: discount.clamp(0.1, 0.9) }
}

/// Splits `text` into a training part and the last `fraction` of its characters as
/// held-out text, cut at the first line break after that point when there is one (so
/// that no paragraph is split between the two).
pub fn split_held_out(text: &str, fraction: f64) -> (&str, &str) {
    let n = text.chars().count();
    // At least one character on each side, when there are two.
    let at = (((1.0 - fraction) * n as f64) as usize).clamp(1, n.saturating_sub(1).max(1));
    let byte = text.char_indices().nth(at).map_or(text.len(), |(b, _)| b);
    let cut = text[byte..].find('\n').map_or(byte, |i| byte + i + 1);
    let cut = if cut < text.len() { cut } else { byte };
    (&text[..cut], &text[cut..])
}

/// One row of the n-gram baseline: an order and its held-out cross-entropy.
#[derive(Clone, Copy, Debug)]
pub struct BaselineRow {
    pub order: usize,
    pub held_out: Estimate,
}

/// The n-gram baseline on a text: for each order, a model trained on the first 90 % of
/// the text and evaluated on the last 10 % (see [`split_held_out`]). Takes the text, not a
/// path, so that the book, the notebook and `--corpus FILE` all go through it.
///
/// # Panics
/// If the text has fewer than 2 characters, or an order is 0 or above [`MAX_ORDER`].
// ANCHOR: baseline
pub fn baseline(text: &str, orders: &[usize]) -> Vec<BaselineRow> {
    let (train, held_out) = split_held_out(text, 0.1);
    orders
        .iter()
        .map(|&order| {
            let model = NGramModel::train(train, order);
            BaselineRow { order, held_out: model.cross_entropy(held_out) }
        })
        .collect()
}
// ANCHOR_END: baseline

#[cfg(test)]
mod tests;
