use super::*;
use crate::architectures::gpt::GptConfig;
use crate::architectures::kv_cache::kv_cache_bytes;
use crate::architectures::llama::LlamaConfig;
use crate::architectures::params::Dyn;
use crate::close::{assert_close, Tol};
use crate::inference::beam_search::{beam_search, BeamConfig};
use crate::inference::greedy::tests::{fixture, reference};
use crate::inference::greedy::{argmax, generate, gpt_next_logits};
use crate::inference::processors::DecodeConfig;
use crate::inference::sampling::seeded_rng;
use serde::Deserialize;

/// The tolerance of incremental against full logits (issue 11: 1e-5).
const TOL: Tol = Tol::abs(1e-5);

/// Prefill `prompt`, then decode greedily for `steps` tokens, checking at every step that
/// the cached logits equal the full forward's over the whole sequence so far. `full(seq)`
/// gives the full forward's logits (T, V) flattened. Returns the tokens generated.
fn check_incremental(
    what: &str,
    mut step: impl FnMut(&[usize]) -> Vec<f32>,
    full: impl Fn(&[usize]) -> Vec<f32>,
    vocab: usize,
    prompt: &[usize],
    steps: usize,
) -> Vec<usize> {
    let mut seq = prompt.to_vec();
    // Prefill: every row of the prompt's logits, not only the last.
    let got = step(&seq);
    assert_close(&format!("{what}, prefill of {} tokens", seq.len()), &got, &full(&seq), TOL);
    let mut last = got[got.len() - vocab..].to_vec();
    for i in 0..steps {
        seq.push(argmax(&last));
        let want = full(&seq);
        let want = &want[want.len() - vocab..];
        last = step(&seq[seq.len() - 1..]);
        assert_close(
            &format!("{what}, decode step {i} (position {})", seq.len() - 1),
            &last,
            want,
            TOL,
        );
        // The same greedy token from either, at every step.
        assert_eq!(argmax(&last), argmax(want), "{what}, step {i}: greedy tokens differ");
    }
    seq.split_off(prompt.len())
}

fn gpt_full(model: &Gpt, seq: &[usize]) -> Vec<f32> {
    let dev: Dev = model.wte.device().clone();
    model.forward(dev.tensor_from_vec(seq.to_vec(), (1, seq.len()))).as_vec()
}

/// Hugging Face's tiny GPT-2 (learned positions): the cached logits equal the full
/// recomputation within 1e-5 at every step, and the cache's measured bytes equal §3.3's
/// formula.
#[test]
fn gpt_incremental_logits_equal_full_recomputation() {
    let model = fixture();
    let c = model.config;
    let mut cache = model.new_cache();
    let prompt = [5, 17, 42, 8];
    let steps = 20;
    let step = |t: &[usize]| model.forward_with_cache(t, &mut cache).as_vec();
    check_incremental("tiny GPT-2", step, |s| gpt_full(&model, s), c.vocab, &prompt, steps);
    let tokens = (prompt.len() + steps) as u64;
    let (layers, heads, d) = (c.layers as u64, c.heads as u64, (c.d_model / c.heads) as u64);
    assert_eq!(model.new_cache().bytes(), 0);
    let mut cache = model.new_cache();
    model.forward_with_cache(&[1; 24], &mut cache);
    assert_eq!(cache.bytes(), kv_cache_bytes(layers, heads, d, 4, tokens), "fp32 cache, 24 tokens");
}

/// RoPE and ALiBi (§3.4) move positions into attention; the cache must rotate and bias the
/// new queries by their absolute positions.
#[test]
fn gpt_with_rope_and_alibi_decodes_incrementally() {
    for positions in Positions::ALL {
        let cfg = GptConfig { vocab: 40, context: 32, d_model: 24, heads: 3, layers: 2, positions };
        let model = Gpt::new(&Dev::seed_from_u64(8), cfg);
        let mut cache = model.new_cache();
        let step = |t: &[usize]| model.forward_with_cache(t, &mut cache).as_vec();
        let full = |s: &[usize]| gpt_full(&model, s);
        check_incremental(positions.name(), step, full, cfg.vocab, &[3, 1, 4, 1, 5], 12);
    }
}

/// Hugging Face's tiny Llama with 2 K/V heads for 4 query heads: the cache holds only the
/// K/V heads, its bytes are the GQA formula's, and the logits equal the full forward's.
#[test]
fn llama_with_gqa_decodes_incrementally() {
    #[derive(Deserialize)]
    struct Stored {
        config: LlamaConfig,
    }
    let s: Stored =
        serde_json::from_str(include_str!("../../../../data/reference/llama_tiny.json")).unwrap();
    let c = s.config;
    assert!(c.kv_heads < c.heads, "the fixture must exercise GQA");
    let dev = Dev::default();
    let mut model = Llama::new(&dev, c);
    let file = format!("{}/../data/reference/llama_tiny.safetensors", env!("CARGO_MANIFEST_DIR"));
    model.load_safetensors(file).expect("load llama_tiny.safetensors");
    let full =
        |seq: &[usize]| model.forward(dev.tensor_from_vec(seq.to_vec(), (1, seq.len()))).as_vec();
    let mut cache = model.new_cache();
    let step = |t: &[usize]| model.forward_with_cache(t, &mut cache).as_vec();
    let generated = check_incremental("tiny Llama (GQA)", step, full, c.vocab, &[7, 3, 9], 15);
    let mut cache = model.new_cache();
    let mut seq = vec![7, 3, 9];
    seq.extend(&generated);
    model.forward_with_cache(&seq, &mut cache);
    let d = (c.d_model / c.heads) as u64;
    let bytes =
        |heads: usize| kv_cache_bytes(c.layers as u64, heads as u64, d, 4, seq.len() as u64);
    assert_eq!(*cache.layers[0].k.shape(), (c.kv_heads, seq.len(), d as usize), "(kv_heads, T, D)");
    assert_eq!(cache.bytes(), bytes(c.kv_heads));
    assert_eq!(cache.bytes() * (c.heads / c.kv_heads) as u64, bytes(c.heads), "GQA's saving");
}

/// Generation through `CachedGpt` gives the very tokens of recomputation, greedy, sampled
/// and with beams, also past the context where the window slides; and Hugging Face's
/// `generate()` ids on the fixture.
#[test]
fn cached_generation_gives_the_same_tokens() {
    let model = fixture();
    let r = reference();
    for case in r.cases.iter().filter(|c| c.num_beams == 1) {
        let cfg = DecodeConfig {
            repetition_penalty: case.repetition_penalty,
            no_repeat_ngram_size: case.no_repeat_ngram_size,
            ..DecodeConfig::default()
        };
        let mut cached = CachedGpt::new(&model);
        let mut rng = seeded_rng(0);
        let got = generate(
            |s| cached.next_logits(s),
            &case.prompt,
            case.max_new_tokens,
            &cfg,
            case.eos,
            &mut rng,
            |_| {},
        );
        assert_eq!(got, case.generated, "{case:?} ({})", r.provenance);
    }
    // The fixture with only 12 learned positions: generation runs past them.
    let mut short = model.clone();
    short.config.context = 12;
    let (wpe, c) = (model.wpe.as_ref().unwrap(), model.config.d_model);
    short.wpe =
        Some(Dev::default().tensor_from_vec(wpe.as_vec()[..12 * c].to_vec(), (Dyn(12), Dyn(c))));
    let sampled =
        DecodeConfig { do_sample: true, top_k: 20, temperature: 1.3, ..Default::default() };
    for (name, m, cfg) in [
        ("greedy", &model, DecodeConfig::default()),
        ("sampled", &model, sampled),
        ("past the context of 12", &short, DecodeConfig::default()),
        ("sampled past the context", &short, sampled),
    ] {
        let run = |next: &mut dyn FnMut(&[usize]) -> Vec<f32>| {
            generate(next, &[1, 2, 3], 30, &cfg, None, &mut seeded_rng(4), |_| {})
        };
        let mut cached = CachedGpt::new(m);
        assert_eq!(
            run(&mut |s| cached.next_logits(s)),
            run(&mut |s| gpt_next_logits(m, s)),
            "{name}"
        );
    }
    let beams = BeamConfig { num_beams: 3, length_penalty: 1.0, max_new_tokens: 10, eos: None };
    let mut cached = CachedGpt::new(&model);
    let with = beam_search(|s| cached.next_logits(s), &[4, 5], &beams, &DecodeConfig::default());
    let without =
        beam_search(|s| gpt_next_logits(&model, s), &[4, 5], &beams, &DecodeConfig::default());
    assert_eq!(with[0].tokens, without[0].tokens, "beam search");
}
