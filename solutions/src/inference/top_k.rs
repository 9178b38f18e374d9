//! §5.3 Top-k sampling (Top-k 采样): keep the k most likely tokens.
//!
//! Fan, Lewis and Dauphin 2018, "Hierarchical Neural Story Generation", arXiv 1805.04833,
//! §5 (sampling from the k most likely words). Hugging Face: `TopKLogitsWarper`
//! (`generate(do_sample=True, top_k=k)`); PyTorch: `torch.topk`.

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
/// use solutions::inference::top_k::top_k_filter;
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

#[cfg(test)]
mod tests;
