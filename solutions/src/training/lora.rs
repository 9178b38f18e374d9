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
mod tests {
    use super::*;

    #[test]
    fn worked_examples() {
        assert_eq!(lora_trainable_params(4096, 4096, 8), 65_536);
        // Rectangular: d = 11008 out, k = 4096 in, r = 16.
        assert_eq!(lora_trainable_params(11008, 4096, 16), 16 * 4096 + 11008 * 16);
        // Llama 2 7B with LoRA r = 8 on W_q and W_v of all 32 layers: 4,194,304.
        assert_eq!(2 * 32 * lora_trainable_params(4096, 4096, 8), 4_194_304);
    }

    #[test]
    fn symmetric_in_d_and_k_and_linear_in_r() {
        assert_eq!(lora_trainable_params(300, 700, 4), lora_trainable_params(700, 300, 4));
        assert_eq!(lora_trainable_params(300, 700, 8), 2 * lora_trainable_params(300, 700, 4));
        // Full rank costs more than the matrix itself: LoRA only pays off for r ≪ min(d, k).
        assert!(lora_trainable_params(64, 64, 64) > 64 * 64);
    }
}
