//! §4.5 LoRA: low-rank adaptation (低秩适配).
//!
//! Paper: Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models",
//! arXiv 2106.09685, §4.1. A frozen weight $W_0 \in \mathbb R^{d\times k}$ is adapted as
//! $W_0 + \frac{\alpha}{r} BA$ with $A \in \mathbb R^{r\times k}$ and
//! $B \in \mathbb R^{d\times r}$: $h = W_0 x + \frac{\alpha}{r} B(Ax)$. $A$ meets $x$ first,
//! so it is the down-projection (to $r$ dimensions), initialised from a Gaussian; $B$ is
//! the up-projection, initialised to zero so that training starts from $W_0$ exactly.
//! (A common trap: some study guides swap the two names.) Hugging Face: `peft.LoraConfig`
//! with `r`, `lora_alpha` and `target_modules`, whose `lora_A` is a
//! `Linear(in_features, r)` and `lora_B` a `Linear(r, out_features)` initialised to zeros.

/// The trainable parameters LoRA adds to one $d \times k$ weight at rank $r$:
/// $|A| + |B| = rk + dr = r(d + k)$, against $dk$ for full fine-tuning.
///
/// ```
/// use solutions::training::lora::lora_trainable_params;
/// // A 4096×4096 projection at r = 8: 65,536 trainable instead of 16,777,216.
/// assert_eq!(lora_trainable_params(4096, 4096, 8), 65_536);
/// ```
// ANCHOR: lora_trainable_params
pub fn lora_trainable_params(d: u64, k: u64, r: u64) -> u64 {
    // A is r × k (down), B is d × r (up).
    r * k + d * r
}
// ANCHOR_END: lora_trainable_params

#[cfg(test)]
mod tests;
