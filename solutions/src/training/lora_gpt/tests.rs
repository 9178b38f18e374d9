use super::*;
use crate::architectures::param_count::gpt_param_count;
use crate::close::{assert_close, Tol};
use crate::training::lora::lora_trainable_params;
use crate::training::train_loop::{train_step, LoopConfig};
use dfdx::nn::ZeroGrads;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

fn config() -> GptConfig {
    GptConfig {
        vocab: 11,
        context: 8,
        d_model: 16,
        heads: 2,
        layers: 2,
        positions: Positions::Learned,
    }
}

fn batch(seed: u64, b: usize, t: usize) -> (Vec<Vec<u32>>, Vec<Vec<u32>>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let rows: Vec<Vec<u32>> =
        (0..b).map(|_| (0..=t).map(|_| rng.gen_range(0..11)).collect()).collect();
    (rows.iter().map(|r| r[..t].to_vec()).collect(), rows.iter().map(|r| r[1..].to_vec()).collect())
}

fn tokens(x: &[Vec<u32>]) -> Tokens {
    let flat = x.iter().flatten().map(|&i| i as usize).collect();
    Dev::default().tensor_from_vec(flat, (x.len(), x[0].len()))
}

/// Every tensor of a model by name with its values (the frozen ones are compared by name).
fn values<M: TensorCollection<f32, Dev>>(m: &M) -> Vec<(String, Vec<f32>)> {
    crate::training::named_params::named_params(m).into_iter().map(|p| (p.name, p.value)).collect()
}

/// Step 0: B = 0, so the adapted GPT's logits are the base model's, bit for bit.
// ANCHOR: step_zero_test
#[test]
fn at_step_zero_the_logits_are_the_base_models_exactly() {
    let base = Gpt::new(&Dev::seed_from_u64(1), config());
    let lora = LoraGpt::new(&Dev::seed_from_u64(2), &base, LoraConfig { rank: 4, alpha: 8.0 });
    let (x, _) = batch(3, 3, 8);
    assert_eq!(lora.forward(tokens(&x)).as_vec(), base.forward(tokens(&x)).as_vec());
}
// ANCHOR_END: step_zero_test

/// 30 steps of §3.5's `train_step` on the LoRA GPT: the loss falls, every frozen tensor is
/// bit-identical to the base model's, A and B moved, and the merged GPT gives the same
/// logits within 1e-5.
// ANCHOR: training_test
#[test]
fn training_moves_only_a_and_b_and_merging_keeps_the_outputs() {
    let base = Gpt::new(&Dev::seed_from_u64(1), config());
    let mut lora = LoraGpt::new(&Dev::seed_from_u64(2), &base, LoraConfig { rank: 4, alpha: 8.0 });
    let before = values(&lora);
    let cfg = LoopConfig {
        batch: 4,
        context: 8,
        warmup: 0,
        max_steps: 30,
        max_lr: 1e-2,
        min_lr: 1e-2,
        grad_clip: 1.0,
    };
    let mut opt = AdamW::new(&lora, AdamWConfig::nanogpt());
    let mut grads = lora.alloc_grads();
    let (x, y) = batch(4, 4, 8); // one batch, over and over: the loss must fall
    let mut losses = vec![];
    for step in 0..30 {
        let stats = train_step(&mut lora, &mut opt, &mut grads, (&x, &y), step, &cfg).unwrap();
        losses.push(stats.loss);
    }
    assert!(losses[29] < losses[0] - 0.1, "the loss did not fall: {losses:?}");
    let after = values(&lora);
    let trainable: Vec<bool> =
        crate::training::named_params::named_params(&lora).iter().map(|p| p.trainable).collect();
    for ((name, b), ((_, a), t)) in before.iter().zip(after.iter().zip(trainable)) {
        if t {
            assert_ne!(a, b, "{name} is trainable but did not move");
        } else {
            assert_eq!(a, b, "{name} is frozen but changed");
        }
    }
    // The frozen tensors are also the base model's own.
    let base_values = values(&base);
    let wte = &base_values.iter().find(|(n, _)| n == "transformer.wte.weight").unwrap().1;
    assert_eq!(&after[0].1, wte);
    let merged = lora.merge();
    let (xv, _) = batch(5, 3, 8);
    let want = lora.forward(tokens(&xv)).as_vec();
    assert_close(
        "merged GPT's logits against the LoRA GPT's",
        &merged.forward(tokens(&xv)).as_vec(),
        &want,
        Tol::abs(1e-5),
    );
    // And the merge is not the base model: the adapters did something.
    assert_ne!(merged.forward(tokens(&xv)).as_vec(), base.forward(tokens(&xv)).as_vec());
}
// ANCHOR_END: training_test

/// The counts on `cargo course train`'s default shape, the real model of the fine-tune
/// (vocabulary of the embedded corpus, 4 layers, width 128, context 64): full fine-tuning
/// against r = 1, 4, 16 on `attn.c_attn` and `attn.c_proj`. Each count is read from the
/// model and its optimizer and checked against the formulas (§3.2's `gpt_param_count`,
/// r(d + k) per adapted matrix, 8 bytes of AdamW state per trainable scalar). The page's
/// table is this test's output.
// ANCHOR: memory_test
#[test]
fn trainable_parameters_and_adamw_memory_full_against_lora() {
    let vocab = super::super::token_stream::CharVocab::from_text(&crate::nlp::corpus::embedded());
    let cfg = GptConfig {
        vocab: vocab.vocab_size(),
        context: 64,
        d_model: 128,
        heads: 4,
        layers: 4,
        positions: Positions::Learned,
    };
    let base = Gpt::new(&Dev::seed_from_u64(0), cfg);
    let full = trainable_count(&base);
    let n = gpt_param_count(cfg.dims()) as usize;
    assert_eq!((full.trainable, full.total, full.adamw_bytes), (n, n, 8 * n));
    println!("| method | trainable | of all | AdamW state |");
    println!("| full fine-tune | {} | 100 % | {} bytes |", full.trainable, full.adamw_bytes);
    let c = cfg.d_model as u64;
    for r in [1usize, 4, 16] {
        let lora = LoraGpt::new(
            &Dev::seed_from_u64(1),
            &base,
            LoraConfig { rank: r, alpha: 2.0 * r as f32 },
        );
        let got = trainable_count(&lora);
        let per_layer =
            lora_trainable_params(3 * c, c, r as u64) + lora_trainable_params(c, c, r as u64);
        let want = (cfg.layers as u64 * per_layer) as usize;
        assert_eq!(got.trainable, want, "r = {r}: trainable scalars");
        assert_eq!(got.total, n + want, "r = {r}: all scalars = the base's plus the adapters'");
        assert_eq!(got.adamw_bytes, 8 * want, "r = {r}: AdamW keeps m and v for A and B only");
        println!(
            "| LoRA r = {r} | {} | {:.2} % | {} bytes ({:.1}× less) |",
            got.trainable,
            100.0 * got.trainable as f64 / got.total as f64,
            got.adamw_bytes,
            full.adamw_bytes as f64 / got.adamw_bytes as f64
        );
    }
}
// ANCHOR_END: memory_test

#[test]
fn the_collection_uses_pefts_names_and_freezes_all_but_a_and_b() {
    let base = Gpt::new(&Dev::seed_from_u64(1), config());
    let lora = LoraGpt::new(&Dev::seed_from_u64(2), &base, LoraConfig { rank: 2, alpha: 2.0 });
    let params = crate::training::named_params::named_params(&lora);
    let trainable: Vec<&str> =
        params.iter().filter(|p| p.trainable).map(|p| p.name.as_str()).collect();
    assert_eq!(
        trainable,
        [
            "transformer.h.0.attn.c_attn.lora_A.weight",
            "transformer.h.0.attn.c_attn.lora_B.weight",
            "transformer.h.0.attn.c_proj.lora_A.weight",
            "transformer.h.0.attn.c_proj.lora_B.weight",
            "transformer.h.1.attn.c_attn.lora_A.weight",
            "transformer.h.1.attn.c_attn.lora_B.weight",
            "transformer.h.1.attn.c_proj.lora_A.weight",
            "transformer.h.1.attn.c_proj.lora_B.weight",
        ]
    );
    // Every base tensor is there too, frozen: the base's count plus the adapters'.
    let base_names = crate::training::named_params::named_params(&base).len();
    assert_eq!(params.len(), base_names + config().layers * TARGET_MODULES.len() * 2);
}
