use super::*;
use crate::architectures::gpt::{GptConfig, Positions};
use crate::close::{assert_close, Tol};
use crate::training::adamw_groups::{AdamW, AdamWConfig};
use dfdx::nn::ZeroGrads;

fn tiny(positions: Positions, seed: u64) -> Gpt {
    let cfg = GptConfig { vocab: 16, context: 12, d_model: 8, heads: 2, layers: 2, positions };
    Gpt::new(&Dev::seed_from_u64(seed), cfg)
}

fn tokens(rows: &[&[usize]]) -> Tensor<(usize, usize), usize, Dev> {
    let flat = rows.iter().flat_map(|r| r.to_vec()).collect();
    Dev::default().tensor_from_vec(flat, (rows.len(), rows[0].len()))
}

/// Every parameter of the GPT, in a fixed order, for bit-for-bit comparison.
pub(crate) fn all_weights(m: &Gpt) -> Vec<Vec<f32>> {
    let mut out = vec![m.wte.as_vec(), m.ln_f.weight.as_vec(), m.ln_f.bias.as_vec()];
    out.extend(m.wpe.iter().map(|w| w.as_vec()));
    for b in &m.h {
        for c in [&b.attn.c_attn, &b.attn.c_proj, &b.mlp.c_fc, &b.mlp.c_proj] {
            out.extend([c.weight.as_vec(), c.bias.as_vec()]);
        }
        for n in [&b.ln_1, &b.ln_2] {
            out.extend([n.weight.as_vec(), n.bias.as_vec()]);
        }
    }
    out
}

/// Fast against slow: a soft prompt that holds the embeddings of real tokens s is exactly
/// the model reading s before the input. Every logit of `forward_with_prompt` equals
/// `forward` on the concatenated tokens, for the three position schemes.
#[test]
fn a_prompt_of_token_embeddings_equals_those_tokens_in_the_input() {
    for (seed, positions) in
        [Positions::Learned, Positions::Rope, Positions::Alibi].into_iter().enumerate()
    {
        let model = tiny(positions, seed as u64);
        let prefix = [3, 14];
        let rows: [&[usize]; 2] = [&[1, 2, 3, 4, 5], &[9, 0, 7, 7, 2]];
        let prompt = SoftPrompt::from_tokens(&model, &prefix);
        let got = model.forward_with_prompt(mat::<NoneTape>(&prompt.embedding), &tokens(&rows));
        let joined: Vec<Vec<usize>> = rows.iter().map(|r| [&prefix[..], r].concat()).collect();
        let joined: Vec<&[usize]> = joined.iter().map(|r| r.as_slice()).collect();
        let want = model.forward(tokens(&joined));
        assert_eq!(got.shape(), want.shape(), "{positions:?}: (B, p+T, V)");
        assert_close(
            &format!("{positions:?} logits"),
            &got.as_vec(),
            &want.as_vec(),
            Tol::abs(1e-5),
        );
    }
}

/// The hand-worked case of `soft_prompt`'s comment: p = 2 virtual tokens, then the tokens,
/// with positions 0..p+T over the whole sequence.
#[test]
fn virtual_tokens_come_first_and_real_tokens_are_shifted_by_p() {
    let model = tiny(Positions::Learned, 7);
    let dev = Dev::seed_from_u64(1);
    let prompt: Tensor<(usize, usize), f32, Dev> = dev.sample_normal_like(&(2, 8));
    let x = soft_prompt(&model, prompt.clone(), &tokens(&[&[5, 6, 7]])).as_vec(); // (1, 5, 8)
    let (wte, wpe, p) = (model.wte.as_vec(), model.wpe.as_ref().unwrap().as_vec(), prompt.as_vec());
    let row = |i: usize| &x[i * 8..(i + 1) * 8];
    for i in 0..2 {
        let want: Vec<f32> = (0..8).map(|k| p[i * 8 + k] + wpe[i * 8 + k]).collect();
        assert_close(&format!("virtual token {i}"), row(i), &want, Tol::abs(1e-6));
    }
    for (j, tok) in [5usize, 6, 7].into_iter().enumerate() {
        let want: Vec<f32> = (0..8).map(|k| wte[tok * 8 + k] + wpe[(2 + j) * 8 + k]).collect();
        assert_close(
            &format!("real token {j} at position {}", 2 + j),
            row(2 + j),
            &want,
            Tol::abs(1e-6),
        );
    }
}

/// Only the prompt trains: a few AdamW steps on the next-token loss of a fixed batch lower
/// the loss and move the prompt, and every weight of the model is bit-identical afterwards.
#[test]
fn only_the_prompt_trains_and_the_base_weights_stay_bit_identical() {
    let model = tiny(Positions::Learned, 3);
    let before = all_weights(&model);
    let mut prompt = SoftPrompt::from_tokens(&model, &[1, 2, 3]);
    let start = prompt.embedding.as_vec();
    let adam = AdamWConfig { weight_decay: 0.0, ..AdamWConfig::nanogpt() };
    let mut opt = AdamW::new(&prompt, adam);
    let mut grads = prompt.alloc_grads();
    let x = tokens(&[&[4, 5, 6, 7], &[8, 9, 10, 11]]);
    let mut losses = vec![];
    for _ in 0..20 {
        let taken = std::mem::replace(&mut grads, Gradients::leaky());
        let p = mat::<NoneTape>(&prompt.embedding).traced(taken);
        let logits = model.forward_with_prompt(p, &x); // (2, 7, 16)
                                                       // Logit rows 2..6 predict tokens 0..3 of each row (row p − 1 + j predicts token j).
        let logits = logits.slice((.., 2..6, ..));
        let loss = Gpt::loss(logits.reshape_like(&(2, 4, 16)), &x);
        losses.push(loss.array());
        grads = loss.backward();
        opt.update(&mut prompt, &mut grads, 3e-2).unwrap();
        prompt.zero_grads(&mut grads);
    }
    assert!(
        losses[19] < losses[0] - 0.01,
        "the loss only went from {:.4} to {:.4}: the prompt is not learning",
        losses[0],
        losses[19]
    );
    assert_ne!(prompt.embedding.as_vec(), start, "the prompt never moved");
    assert!(all_weights(&model) == before, "a weight of the frozen model changed");
    assert_eq!(crate::training::named_params::named_params(&prompt)[0].numel(), 3 * 8);
}

#[test]
fn a_soft_prompt_trains_p_times_d_numbers() {
    assert_eq!(soft_prompt_params(20, 768), 15_360);
    let model = tiny(Positions::Learned, 0);
    let prompt = SoftPrompt::from_tokens(&model, &[0, 1, 2, 3, 4]);
    let counted: usize =
        crate::training::named_params::named_params(&prompt).iter().map(|p| p.numel()).sum();
    assert_eq!(counted as u64, soft_prompt_params(5, 8));
}

#[test]
#[should_panic(expected = "exceed the 12 learned positions")]
fn prompt_and_input_must_fit_the_position_table() {
    let model = tiny(Positions::Learned, 0);
    let prompt = SoftPrompt::from_tokens(&model, &[0; 4]);
    soft_prompt(&model, mat::<NoneTape>(&prompt.embedding), &tokens(&[&[1; 9]]));
}
