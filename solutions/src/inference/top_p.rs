//! §5.3 Top-p (nucleus) sampling (Top-p / 核采样): keep the smallest set of most likely
//! tokens whose probabilities add up to at least p.
//!
//! Holtzman, Buys, Du, Forbes and Choi 2019, "The Curious Case of Neural Text
//! Degeneration", arXiv 1904.09751, §3.1. Hugging Face: `TopPLogitsWarper`
//! (`generate(do_sample=True, top_p=p)`).

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
/// use solutions::inference::top_p::top_p_filter;
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
