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
