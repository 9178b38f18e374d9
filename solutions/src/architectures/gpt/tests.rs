use super::*;
use crate::architectures::param_count::gpt_param_count;
use crate::training::named_params::{named_params, named_params_and_grads, NamedParam};
use dfdx::optim::{Adam, AdamConfig};
use serde::Deserialize;

/// `data/reference/gpt2_tiny.json`, from `scripts/reference/gpt2_tiny.py`.
#[derive(Deserialize)]
struct Reference {
    provenance: String,
    config: GptConfig,
    tolerance_logits: f32,
    tolerance_grads: f32,
    tokens: Vec<Vec<usize>>,
    logits: Vec<f32>,
    loss: f32,
    num_parameters: usize,
    prompt_len: usize,
    greedy: Vec<Vec<usize>>,
}

fn reference() -> Reference {
    serde_json::from_str(include_str!("../../../../data/reference/gpt2_tiny.json")).unwrap()
}

fn path(file: &str) -> String {
    format!("{}/../data/reference/{file}", env!("CARGO_MANIFEST_DIR"))
}

/// Hugging Face's tiny GPT-2, loaded from its safetensors into our model.
fn hf_model(dev: &Dev, r: &Reference) -> Gpt {
    let mut model = Gpt::new(dev, r.config);
    model.load_safetensors(path("gpt2_tiny.safetensors")).expect("load gpt2_tiny.safetensors");
    model
}

fn tokens(dev: &Dev, rows: &[Vec<usize>]) -> Tensor<(usize, usize), usize, Dev> {
    dev.tensor_from_vec(rows.concat(), (rows.len(), rows[0].len()))
}

/// The largest |got - want| and where it is.
fn max_err(got: &[f32], want: &[f32]) -> (f32, usize) {
    assert_eq!(got.len(), want.len(), "lengths differ");
    let errs = got.iter().zip(want).map(|(g, w)| (g - w).abs());
    errs.enumerate().fold((0.0, 0), |best, (i, e)| if e > best.0 { (e, i) } else { best })
}

#[test]
fn logits_and_loss_equal_hugging_faces() {
    let (dev, r) = (Dev::default(), reference());
    let model = hf_model(&dev, &r);
    let x = tokens(&dev, &r.tokens);
    let logits = model.forward(x.clone());
    let (err, at) = max_err(&logits.as_vec(), &r.logits);
    eprintln!("GPT-2: max |logit - Hugging Face's| = {err:e}");
    let v = r.config.vocab;
    assert!(
        err <= r.tolerance_logits,
        "logit [b={}, t={}, v={}] is off by {err:e} (tolerance {:e}) from {}; check the fused \
         QKV split, the tied head and the tanh GELU",
        at / (v * r.tokens[0].len()),
        at / v % r.tokens[0].len(),
        at % v,
        r.tolerance_logits,
        r.provenance
    );
    let loss = Gpt::next_token_loss(logits, &x).array();
    eprintln!("GPT-2: |loss - Hugging Face's| = {:e}", (loss - r.loss).abs());
    assert!(
        (loss - r.loss).abs() <= r.tolerance_logits,
        "loss {loss} vs Hugging Face's {}: the targets are the inputs shifted by one",
        r.loss
    );
}

#[test]
fn every_gradient_equals_hugging_faces() {
    let (dev, r) = (Dev::default(), reference());
    let model = hf_model(&dev, &r);
    // The stored gradients have the parameters' names and shapes: load them as a model.
    let mut expected = Gpt::new(&dev, r.config);
    expected.load_safetensors(path("gpt2_tiny_grads.safetensors")).expect("load the gradients");
    let x = tokens(&dev, &r.tokens);
    let grads = Gpt::next_token_loss(model.forward(x.trace(model.alloc_grads())), &x).backward();
    let ours = named_params_and_grads(&model, &grads);
    let theirs = named_params(&expected);
    assert_eq!(ours.len(), 4 + 12 * r.config.layers, "parameter tensors");
    let mut worst = 0.0f32;
    for (p, q) in ours.iter().zip(&theirs) {
        let NamedParam { name, grad, .. } = p;
        assert_eq!(name, &q.name);
        let (err, at) = max_err(grad.as_ref().unwrap(), &q.value);
        worst = worst.max(err);
        assert!(
            err <= r.tolerance_grads,
            "d loss / d {name}[{at}] is off by {err:e} (tolerance {:e}){}",
            r.tolerance_grads,
            if name.contains("wte") {
                ": wte gets the gradient of the tied LM head too"
            } else {
                ""
            }
        );
    }
    eprintln!("GPT-2: max |gradient - Hugging Face's| over every parameter = {worst:e}");
}

#[test]
fn the_checkpoint_has_hugging_faces_names_and_round_trips() {
    let (dev, r) = (Dev::seed_from_u64(1), reference());
    let names: Vec<String> =
        named_params(&Gpt::new(&dev, r.config)).into_iter().map(|p| p.name).collect();
    assert_eq!(names[0], "transformer.wte.weight");
    assert!(names.contains(&"transformer.h.1.attn.c_attn.weight".to_string()), "{names:?}");
    assert_eq!(names.last().unwrap(), "transformer.ln_f.bias");
    // Every tensor of Hugging Face's file was read (the LM head is tied, so it has none).
    assert_eq!(hf_model(&dev, &r).num_trainable_params(), r.num_parameters);
    // Save, load into a model with other weights, and get the same logits back.
    let model = Gpt::new(&dev, r.config);
    let file =
        std::env::temp_dir().join(format!("gpt_round_trip_{}.safetensors", std::process::id()));
    model.save_safetensors(&file).unwrap();
    let mut other = Gpt::new(&Dev::seed_from_u64(2), r.config);
    other.load_safetensors(&file).unwrap();
    std::fs::remove_file(&file).ok();
    let x = tokens(&dev, &r.tokens);
    assert_eq!(model.forward(x.clone()).as_vec(), other.forward(x).as_vec());
}

#[test]
fn the_parameter_formula_counts_the_real_model() {
    let dev = Dev::seed_from_u64(0);
    for (vocab, context, d_model, heads, layers) in
        [(96, 64, 32, 2, 2), (65, 64, 128, 4, 4), (11, 7, 12, 3, 1), (300, 16, 8, 1, 5)]
    {
        let cfg =
            GptConfig { vocab, context, d_model, heads, layers, positions: Positions::Learned };
        let model = Gpt::new(&dev, cfg);
        assert_eq!(
            model.num_trainable_params() as u64,
            gpt_param_count(cfg.dims()),
            "{cfg:?}: the formula and the dfdx model disagree"
        );
    }
    // nanoGPT's character-level Shakespeare model (§3.5's benchmark), as the page says.
    let nanogpt = GptConfig {
        vocab: 65,
        context: 64,
        d_model: 128,
        heads: 4,
        layers: 4,
        positions: Positions::Learned,
    };
    assert_eq!(gpt_param_count(nanogpt.dims()), 809_856);
}

#[test]
fn initialisation_is_gpt_2s() {
    let dev = Dev::seed_from_u64(0);
    let cfg = GptConfig {
        vocab: 64,
        context: 32,
        d_model: 64,
        heads: 4,
        layers: 8,
        positions: Positions::Learned,
    };
    let std = |v: &[f32]| (v.iter().map(|x| x * x).sum::<f32>() / v.len() as f32).sqrt();
    for p in named_params(&Gpt::new(&dev, cfg)) {
        let want = match p.name.as_str() {
            n if n.ends_with("c_proj.weight") => 0.02 / (2.0 * 8.0f32).sqrt(),
            n if n.ends_with(".weight") && p.shape.len() == 2 => 0.02,
            n if n.ends_with("ln_1.weight")
                || n.ends_with("ln_2.weight")
                || n.ends_with("ln_f.weight") =>
            {
                assert!(
                    p.value.iter().all(|&g| g == 1.0),
                    "{}: LayerNorm gains start at 1",
                    p.name
                );
                continue;
            }
            _ => {
                assert!(p.value.iter().all(|&b| b == 0.0), "{}: biases start at 0", p.name);
                continue;
            }
        };
        let got = std(&p.value);
        assert!((got / want - 1.0).abs() < 0.1, "{}: std {got}, GPT-2 uses {want}", p.name);
    }
}

#[test]
fn a_token_never_sees_its_future_and_sequences_never_see_each_other() {
    let (dev, r) = (Dev::default(), reference());
    let model = hf_model(&dev, &r);
    let (t, v) = (r.tokens[0].len(), r.config.vocab);
    let full = model.forward(tokens(&dev, &r.tokens)).as_vec();
    // Changing the last token of row 0 changes only row 0's last logits.
    let mut changed = r.tokens.clone();
    changed[0][t - 1] = (changed[0][t - 1] + 1) % v;
    let after = model.forward(tokens(&dev, &changed)).as_vec();
    for (i, (a, b)) in full.iter().zip(&after).enumerate() {
        let (row, pos) = (i / (t * v), i / v % t);
        assert_eq!(a == b, !(row == 0 && pos == t - 1), "logit of row {row}, position {pos}");
    }
}

#[test]
fn a_few_adam_steps_learn_a_repeating_sequence() {
    let dev = Dev::seed_from_u64(0);
    let cfg = GptConfig {
        vocab: 8,
        context: 16,
        d_model: 16,
        heads: 2,
        layers: 2,
        positions: Positions::Learned,
    };
    let mut model = Gpt::new(&dev, cfg);
    let mut opt = Adam::new(&model, AdamConfig { lr: 1e-2, ..Default::default() });
    let seq: Vec<usize> = (0..17).map(|i| i % 8).collect();
    let x = dev.tensor_from_vec(seq[..16].to_vec(), (1, 16));
    let y = dev.tensor_from_vec(seq[1..].to_vec(), (1, 16));
    let before = named_params(&model);
    let mut grads = model.alloc_grads();
    let mut losses = vec![];
    for _ in 0..30 {
        let loss = Gpt::loss(model.forward(x.trace(grads)), &y);
        losses.push(loss.array());
        grads = loss.backward();
        opt.update(&mut model, &grads).unwrap();
        model.zero_grads(&mut grads);
    }
    assert!((losses[0] - (8f32).ln()).abs() < 0.1, "a fresh model is near uniform: {}", losses[0]);
    assert!(losses[29] < 0.2, "30 steps should memorise 0..8 repeated: losses {losses:?}");
    // The optimizer reached every tensor, the blocks' included (they are visited through
    // the runtime-length `Stack`).
    for (old, new) in before.iter().zip(named_params(&model)) {
        assert_ne!(old.value, new.value, "Adam never updated {}", old.name);
    }
}

#[test]
fn greedy_decoding_continues_like_hugging_faces_generate() {
    // Chapter 5 decodes with a KV cache; here, plain recomputation: run the whole prefix,
    // take the most likely next token, append, repeat.
    let (dev, r) = (Dev::default(), reference());
    let model = hf_model(&dev, &r);
    let mut rows: Vec<Vec<usize>> = r.tokens.iter().map(|t| t[..r.prompt_len].to_vec()).collect();
    let v = r.config.vocab;
    while rows[0].len() < r.greedy[0].len() {
        let t = rows[0].len();
        let logits = model.forward(tokens(&dev, &rows)).as_vec();
        for (b, row) in rows.iter_mut().enumerate() {
            let last = &logits[(b * t + t - 1) * v..(b * t + t) * v];
            // The first maximum, as torch.argmax picks it.
            let best = (0..v).fold(0, |best, i| if last[i] > last[best] { i } else { best });
            row.push(best);
        }
    }
    assert_eq!(rows, r.greedy, "greedy continuations of the first {} tokens", r.prompt_len);
}
