use super::*;
use crate::architectures::gpt::{Gpt, GptConfig, Positions};
use crate::training::adamw_groups::{AdamW, AdamWConfig};
use crate::training::named_params::named_params;
use crate::training::soft_prompt::tests::all_weights;
use dfdx::nn::ZeroGrads;

#[test]
fn the_encoder_makes_p_rows_of_the_model_width_with_and_without_a_tape() {
    let enc = PromptEncoder::new(&Dev::seed_from_u64(0), 4, 8, 16);
    let plain = enc.prompt();
    assert_eq!(*plain.shape(), (4, 8));
    let traced = enc.prompt_traced(enc.alloc_grads()).split_tape().0;
    assert_eq!(plain.as_vec(), traced.as_vec(), "the tape changed the values");
    // The MLP encodes each row on its own (the deviation from the paper's LSTM, stated in
    // the header): changing input row 0 changes prompt row 0 and no other.
    let mut changed = enc.clone();
    let mut e = changed.input.as_vec();
    e[..8].iter_mut().for_each(|v| *v += 1.0);
    changed.input = Dev::default().tensor_from_vec(e, *enc.input.shape());
    let (a, b) = (plain.as_vec(), changed.prompt().as_vec());
    assert_ne!(a[..8], b[..8], "row 0 of the prompt ignored its input");
    assert_eq!(a[8..], b[8..], "rows 1..4 of the prompt changed with input row 0");
}

/// One update of P-tuning moves every tensor of the encoder (the gradient reaches the
/// inputs through both layers), lowers the loss over a few steps, and leaves the frozen GPT
/// bit-identical.
#[test]
fn p_tuning_trains_the_encoder_only() {
    let cfg = GptConfig {
        vocab: 16,
        context: 12,
        d_model: 8,
        heads: 2,
        layers: 1,
        positions: Positions::Learned,
    };
    let model = Gpt::new(&Dev::seed_from_u64(5), cfg);
    let before = all_weights(&model);
    let mut enc = PromptEncoder::new(&Dev::seed_from_u64(6), 3, 8, 16);
    let start = enc.clone();
    let mut opt = AdamW::new(&enc, AdamWConfig { weight_decay: 0.0, ..AdamWConfig::nanogpt() });
    let mut grads = enc.alloc_grads();
    let dev = Dev::default();
    let x = dev.tensor_from_vec(vec![4, 5, 6, 7, 8, 9, 10, 11], (2, 4));
    let mut losses = vec![];
    for _ in 0..20 {
        let prompt = enc.prompt_traced(std::mem::replace(&mut grads, Gradients::leaky()));
        let logits = model.forward_with_prompt(prompt, &x).slice((.., 2..6, ..)); // (2, 4, 16)
        let loss = Gpt::loss(logits.reshape_like(&(2, 4, 16)), &x);
        losses.push(loss.array());
        grads = loss.backward();
        opt.update(&mut enc, &mut grads, 1e-2).unwrap();
        enc.zero_grads(&mut grads);
    }
    assert!(losses[19] < losses[0] - 0.01, "loss {:.4} -> {:.4}", losses[0], losses[19]);
    let moved = |a: &Matrix, b: &Matrix| a.as_vec() != b.as_vec();
    assert!(moved(&enc.input, &start.input), "the encoder's inputs never moved");
    assert!(moved(&enc.hidden.weight, &start.hidden.weight), "layer 1 never moved");
    assert!(moved(&enc.output.weight, &start.output.weight), "layer 2 never moved");
    assert!(all_weights(&model) == before, "a weight of the frozen model changed");
}

#[test]
fn the_encoder_trains_the_counted_numbers() {
    let enc = PromptEncoder::new(&Dev::seed_from_u64(0), 4, 32, 64);
    let counted: usize = named_params(&enc).iter().map(|p| p.numel()).sum();
    assert_eq!(counted as u64, p_tuning_params(4, 32, 64));
    assert_eq!(p_tuning_params(4, 32, 64), 4_320);
}
