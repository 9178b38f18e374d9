//! §5.3 Top-k and top-p (nucleus) sampling (Top-k 与 Top-p 采样): truncate the
//! distribution to its most likely tokens before drawing.
//!
//! Two variants of one idea, "truncation sampling", differing in where they cut:
//!
//! | filter | keeps | adapts to the distribution's shape? |
//! |---|---|---|
//! | top-k | every token not below the k-th largest logit | no: always about k tokens |
//! | top-p | the smallest top set reaching probability p | yes: fewer when peaked |
//!
//! Top-k: Fan, Lewis and Dauphin 2018, "Hierarchical Neural Story Generation", arXiv
//! 1805.04833, §5. Top-p: Holtzman, Buys, Du, Forbes and Choi 2019, "The Curious Case of
//! Neural Text Degeneration", arXiv 1904.09751, §3.1. Hugging Face: `TopKLogitsWarper` and
//! `TopPLogitsWarper` (`generate(do_sample=True, top_k=k, top_p=p)`).

/// Hugging Face's top-k filter in place: every logit strictly below the k-th largest is
/// set to −∞, where k is `max(k, min_tokens_to_keep)` capped at the vocabulary size.
///
/// Subtle: the rule is "below the k-th value", not "outside the first k indices", so every
/// token tied with the k-th value is kept and more than k tokens can survive.
///
/// Worked example: logits [1, 3, 2, 3, 0] with k = 2. The two largest values are 3 and 3,
/// so the threshold is 3: tokens 1 and 3 stay. With k = 3 the threshold is 2: three stay.
///
/// ```
/// use solutions::inference::truncation::top_k_filter;
/// let mut z = [1.0, 3.0, 2.0, 2.0, 0.0];
/// top_k_filter(&mut z, 2, 1);
/// // The 2nd largest is 2.0, shared by tokens 2 and 3: both stay, so three tokens survive.
/// assert_eq!(z, [f32::NEG_INFINITY, 3.0, 2.0, 2.0, f32::NEG_INFINITY]);
/// ```
// ANCHOR: top_k_filter
pub fn top_k_filter(logits: &mut [f32], k: usize, min_tokens_to_keep: usize) {
    let k = k.max(min_tokens_to_keep).min(logits.len());
    if k == 0 {
        return;
    }
    let mut sorted = logits.to_vec();
    sorted.sort_unstable_by(|a, b| b.total_cmp(a)); // descending
    let kth = sorted[k - 1];
    for z in logits.iter_mut() {
        if *z < kth {
            *z = f32::NEG_INFINITY;
        }
    }
}
// ANCHOR_END: top_k_filter

/// How many tokens a filtered row keeps (those above −∞).
pub fn kept(logits: &[f32]) -> usize {
    logits.iter().filter(|z| **z > f32::NEG_INFINITY).count()
}

/// Hugging Face's top-p filter in place. Sort the logits in ascending order, take their
/// softmax and its cumulative sum, and set to −∞ every token whose cumulative sum is
/// ≤ 1 − p; the `min_tokens_to_keep` most likely tokens are always kept.
///
/// Working from the bottom keeps the token that crosses p: in descending order the kept
/// tokens add up to at least p, and the last one kept is the one that got there.
/// Ties are sorted stably (by index), as `torch.sort` does on the CPU.
///
/// Worked example: probabilities 0.5, 0.3, 0.2 (in descending order) and p = 0.6.
/// Ascending, the cumulative sums are 0.2, 0.5, 1.0; 1 − p = 0.4, so only the 0.2 token
/// is removed: the 0.5 token alone does not reach 0.6, the 0.3 token crosses it and stays.
///
/// ```
/// use solutions::inference::truncation::top_p_filter;
/// let mut z = [0.5f32.ln(), 0.3f32.ln(), 0.2f32.ln()];
/// top_p_filter(&mut z, 0.6, 1);
/// assert_eq!(z[2], f32::NEG_INFINITY);
/// assert!(z[0].is_finite() && z[1].is_finite());
/// ```
// ANCHOR: top_p_filter
pub fn top_p_filter(logits: &mut [f32], p: f32, min_tokens_to_keep: usize) {
    let n = logits.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| logits[a].total_cmp(&logits[b])); // ascending, stable
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = order.iter().map(|&i| (logits[i] - max).exp()).collect();
    let inv_sum = 1.0 / exps.iter().sum::<f32>();
    // Subtle: at the boundary the last bit decides, so this follows PyTorch on the CPU:
    // 1 − p computed in f64 and compared in f32, the softmax as a multiplication by 1/sum,
    // and the cumulative sum accumulated in f64, each partial sum rounded to f32.
    let threshold = (1.0 - p as f64) as f32;
    let mut cumulative = 0.0f64;
    let mut remove = Vec::new();
    for (rank, &i) in order.iter().enumerate() {
        cumulative += (exps[rank] * inv_sum) as f64;
        // The last `min_tokens_to_keep` in ascending order are the most likely ones.
        if cumulative as f32 <= threshold && rank + min_tokens_to_keep < n {
            remove.push(i);
        }
    }
    for i in remove {
        logits[i] = f32::NEG_INFINITY;
    }
}
// ANCHOR_END: top_p_filter

#[cfg(test)]
mod tests;
