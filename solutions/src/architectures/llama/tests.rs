use super::*;
use crate::architectures::param_count::llama_param_count;
use crate::architectures::params::Dyn;
use crate::training::named_params::named_params;
use serde::Deserialize;

/// `data/reference/llama_tiny.json`, from `scripts/reference/llama_tiny.py`.
#[derive(Deserialize)]
struct Reference {
    provenance: String,
    config: LlamaConfig,
    tolerance_logits: f32,
    tokens: Vec<Vec<usize>>,
    logits: Vec<f32>,
    loss: f32,
    num_parameters: usize,
}

fn reference() -> Reference {
    serde_json::from_str(include_str!("../../../../data/reference/llama_tiny.json")).unwrap()
}

fn hf_model(dev: &Dev, r: &Reference) -> Llama {
    let mut model = Llama::new(dev, r.config);
    let file = format!("{}/../data/reference/llama_tiny.safetensors", env!("CARGO_MANIFEST_DIR"));
    model.load_safetensors(file).expect("load llama_tiny.safetensors");
    model
}

fn tokens(dev: &Dev, rows: &[Vec<usize>]) -> Tensor<(usize, usize), usize, Dev> {
    dev.tensor_from_vec(rows.concat(), (rows.len(), rows[0].len()))
}

#[test]
fn logits_equal_hugging_faces_llama() {
    let (dev, r) = (Dev::default(), reference());
    assert!(r.config.kv_heads < r.config.heads, "the fixture must exercise GQA");
    let model = hf_model(&dev, &r);
    let x = tokens(&dev, &r.tokens);
    let logits = model.forward(x.clone());
    let got = logits.as_vec();
    let (mut err, mut at) = (0.0f32, 0);
    for (i, (g, w)) in got.iter().zip(&r.logits).enumerate() {
        if (g - w).abs() > err {
            (err, at) = ((g - w).abs(), i);
        }
    }
    let (t, v) = (r.tokens[0].len(), r.config.vocab);
    eprintln!("Llama: max |logit - Hugging Face's| = {err:e}");
    assert!(
        err <= r.tolerance_logits,
        "logit [b={}, t={}, v={}] is off by {err:e} (tolerance {:e}) from {}; if only t > 0 is \
         off, suspect RoPE's layout (rotate_half) or its angles",
        at / (t * v),
        at / v % t,
        at % v,
        r.tolerance_logits,
        r.provenance
    );
    let loss = crate::architectures::gpt::Gpt::next_token_loss(logits, &x).array();
    assert!(
        (loss - r.loss).abs() <= r.tolerance_logits,
        "loss {loss} vs Hugging Face's {}",
        r.loss
    );
    assert_eq!(model.num_trainable_params(), r.num_parameters, "every tensor of the file is read");
}

#[test]
fn the_parameter_formula_counts_the_real_model() {
    let dev = Dev::seed_from_u64(0);
    for (heads, kv_heads, layers, d_ff) in
        [(4, 4, 2, 64), (4, 2, 2, 64), (4, 1, 3, 48), (8, 2, 1, 40)]
    {
        let cfg = LlamaConfig {
            vocab: 50,
            context: 32,
            d_model: 32,
            layers,
            heads,
            kv_heads,
            d_ff,
            rope_base: 1e4,
            rms_norm_eps: 1e-6,
        };
        let n = Llama::new(&dev, cfg).num_trainable_params() as u64;
        assert_eq!(n, llama_param_count(cfg.dims()), "{cfg:?}");
    }
}

/// Grouped-query attention with G key/value heads is multi-head attention whose K and V
/// projections are the same within each group of H/G query heads. With G = H it is MHA
/// itself; with G = 1 it is multi-query attention.
#[test]
fn gqa_equals_mha_with_shared_key_and_value_heads() {
    let dev = Dev::seed_from_u64(7);
    let (b, t, c, heads) = (2, 5, 16, 4);
    let d = c / heads;
    let x: Stream<NoneTape> = dev.sample_normal_like(&(b * t, c));
    let mask = additive(&dev, &vec![causal_mask(t); b]);
    for kv_heads in [4, 2, 1] {
        let cfg = LlamaConfig {
            vocab: 8,
            context: t,
            d_model: c,
            layers: 1,
            heads,
            kv_heads,
            d_ff: 8,
            rope_base: 1e4,
            rms_norm_eps: 1e-6,
        };
        let gqa = Block::new(&dev, &cfg).self_attn;
        // The MHA twin: each K/V head's rows copied for every query head of its group.
        let repeat_rows = |w: &Matrix| {
            let v = w.as_vec();
            let rows: Vec<f32> = (0..heads)
                .flat_map(|h| {
                    let g = h / (heads / kv_heads);
                    v[g * d * c..(g + 1) * d * c].to_vec()
                })
                .collect();
            dev.tensor_from_vec(rows, (Dyn(c), Dyn(c)))
        };
        let mha = Attention {
            k_proj: repeat_rows(&gqa.k_proj),
            v_proj: repeat_rows(&gqa.v_proj),
            kv_heads: heads,
            ..gqa.clone()
        };
        let (ours, twin) =
            (gqa.forward(x.clone(), &mask).as_vec(), mha.forward(x.clone(), &mask).as_vec());
        for (i, (g, m)) in ours.iter().zip(&twin).enumerate() {
            assert!((g - m).abs() < 1e-6, "{kv_heads} K/V heads: output {i} is {g}, MHA gives {m}");
        }
    }
}

#[test]
fn the_checkpoint_names_are_hugging_faces() {
    let r = reference();
    let names: Vec<String> =
        named_params(&Llama::new(&Dev::default(), r.config)).into_iter().map(|p| p.name).collect();
    assert_eq!(names.first().unwrap(), "model.embed_tokens.weight");
    assert!(names.contains(&"model.layers.1.self_attn.k_proj.weight".to_string()), "{names:?}");
    assert!(names.contains(&"model.layers.0.mlp.gate_proj.weight".to_string()), "{names:?}");
    assert_eq!(names.last().unwrap(), "lm_head.weight");
}
