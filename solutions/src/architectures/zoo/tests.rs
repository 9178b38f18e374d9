use super::*;
use crate::architectures::param_count::{
    gpt_param_count, llama_param_count, GptDims, LlamaDims, GPT2_SMALL, LLAMA2_70B, LLAMA2_7B,
};

fn model(name: &str) -> Model {
    zoo().model.into_iter().find(|m| m.name == name).unwrap_or_else(|| panic!("no {name} in zoo"))
}

fn config(model_name: &str, variant: &str) -> Config {
    let m = model(model_name);
    let v = m.variant.iter().find(|v| v.name == variant).expect("variant");
    v.config.unwrap_or_else(|| panic!("{model_name} {variant} has no config"))
}

fn fact_int(m: &Model, key: &str) -> u64 {
    match m.facts.get(key) {
        Some(Fact::Int(n)) => *n as u64,
        other => panic!("{}: fact {key} should be a whole number, is {other:?}", m.name),
    }
}

/// The heart of §3.6: each count computed from a public config agrees with the published size,
/// exactly where the publisher gives every digit, within one unit of the last digit otherwise.
#[test]
fn zoo_counts_match_the_published_sizes() {
    let mut exact = 0;
    for m in zoo().model {
        for v in &m.variant {
            let published = Published::parse(&v.published).unwrap_or_else(|e| panic!("{e}"));
            let Some(c) = v.config else { continue };
            let count = c.param_count();
            assert!(
                published.accepts(count),
                "{} {}: computed {} parameters, published {} ({}), off by {:.3e} with a tolerance \
                 of {:.0e}. Check tied/untied, the biases and the MLP kind in data/zoo.toml.",
                m.name,
                v.name,
                grouped(count),
                v.published,
                v.source,
                count as f64 - published.value,
                published.tolerance
            );
            exact += published.is_exact() as usize;
        }
    }
    // Llama 2 (3) and BLOOM (6) are exact; the rest are "7B-class".
    assert_eq!(exact, 9, "the page promises nine exact counts");
}

#[test]
fn zoo_formula_is_the_gpt_formula_for_a_gpt() {
    for (d, layers) in [(768, 12), (1024, 24), (32, 2)] {
        let dims = GptDims { d_model: d, layers, ..GPT2_SMALL };
        let c = Config {
            layers,
            d_model: d,
            heads: 4,
            kv_heads: 4,
            d_ff: 4 * d,
            vocab: dims.vocab,
            mlp: Mlp::Plain,
            norm: Norm::Layer,
            tied: true,
            qkv_bias: true,
            out_bias: true,
            mlp_bias: true,
            position_table: dims.context,
            embedding_norm: false,
        };
        assert_eq!(c.param_count(), gpt_param_count(dims), "GPT d={d} layers={layers}");
    }
}

#[test]
fn zoo_formula_is_the_llama_formula_for_a_llama() {
    let tiny = LlamaDims { vocab: 96, d_model: 32, layers: 2, d_ff: 64, heads: 4, kv_heads: 2 };
    for dims in [LLAMA2_7B, LLAMA2_70B, tiny] {
        let c = Config {
            layers: dims.layers,
            d_model: dims.d_model,
            heads: dims.heads,
            kv_heads: dims.kv_heads,
            d_ff: dims.d_ff,
            vocab: dims.vocab,
            mlp: Mlp::Gated,
            norm: Norm::Rms,
            tied: false,
            qkv_bias: false,
            out_bias: false,
            mlp_bias: false,
            position_table: 0,
            embedding_norm: false,
        };
        assert_eq!(c.param_count(), llama_param_count(dims), "{dims:?}");
    }
    // The stored configs agree with the library's constants (one source, two copies checked).
    assert_eq!(config("Llama 2", "7B").param_count(), llama_param_count(LLAMA2_7B));
    assert_eq!(config("Llama 2", "70B").param_count(), llama_param_count(LLAMA2_70B));
    // §3.3's tiny reference Llama has 24,736 parameters.
    assert_eq!(llama_param_count(tiny), 24_736);
}

/// By hand: V=10, d=4, one block, 2 heads of width 2 sharing 1 K/V head, gated d_ff=8,
/// RMSNorm, QKV biases, untied, BLOOM's embedding norm.
/// Embedding 40 + embedding norm 4 + block (norms 8, W_Q,W_O 32, W_K,W_V 16, QKV bias 4+2+2,
/// MLP 96) 160 + final norm 4 + head 40 = 248.
#[test]
fn zoo_formula_by_hand() {
    let c = Config {
        layers: 1,
        d_model: 4,
        heads: 2,
        kv_heads: 1,
        d_ff: 8,
        vocab: 10,
        mlp: Mlp::Gated,
        norm: Norm::Rms,
        tied: false,
        qkv_bias: true,
        out_bias: false,
        mlp_bias: false,
        position_table: 0,
        embedding_norm: true,
    };
    assert_eq!(c.param_count(), 248);
    assert_eq!(c.attention(), Attention::Mqa);
    let mlp_biases = Config { mlp_bias: true, ..c };
    assert_eq!(mlp_biases.param_count() - c.param_count(), 2 * 8 + 4);
}

#[test]
fn zoo_published_sizes_parse_with_their_precision() {
    assert_eq!(
        Published::parse("6,738,415,616"),
        Ok(Published { value: 6738415616.0, tolerance: 0.0 })
    );
    let p = Published::parse("6.7B").unwrap();
    assert!((p.value - 6.7e9).abs() < 1.0 && (p.tolerance - 1e8).abs() < 1e-3, "{p:?}");
    assert_eq!(Published::parse("13B"), Ok(Published { value: 13e9, tolerance: 1e9 }));
    assert_eq!(Published::parse("75M"), Ok(Published { value: 75e6, tolerance: 1e6 }));
    // LLaMA truncates: 65,285,660,672 is published as 65.2B.
    assert!(Published::parse("65.2B").unwrap().accepts(65_285_660_672));
    assert!(!Published::parse("6.7B").unwrap().accepts(6_900_000_000));
    for bad in ["", "7b", "seven", "6.7.1B"] {
        assert!(Published::parse(bad).is_err(), "{bad:?} should not parse");
    }
}

#[test]
fn zoo_configs_are_consistent() {
    for m in zoo().model {
        assert!(!m.variant.is_empty(), "{}: no variant", m.name);
        assert!(m.paper.len() == 10 && m.paper.as_bytes()[4] == b'.', "{}: arXiv id", m.name);
        for v in &m.variant {
            let Some(c) = v.config else { continue };
            let what = format!("{} {}", m.name, v.name);
            assert_eq!(c.d_model % c.heads, 0, "{what}: heads must divide d_model");
            assert_eq!(c.heads % c.kv_heads, 0, "{what}: K/V heads must divide the heads");
            // A learned table only where the model says "learned" (none in this zoo).
            assert_eq!(c.position_table > 0, m.positional == "learned", "{what}");
        }
    }
}

/// The attention column is derived from the configs, so check the known cases.
#[test]
fn zoo_attention_variants() {
    assert_eq!(config("Llama 2", "7B").attention(), Attention::Mha);
    assert_eq!(config("Llama 2", "70B").attention(), Attention::Gqa);
    assert_eq!(config("Code Llama", "34B").attention(), Attention::Gqa);
    assert_eq!(config("ChatGLM2-6B", "6B").attention(), Attention::Gqa);
    assert_eq!(config("BLOOM", "176B").attention(), Attention::Mha);
}

/// The numbers quoted in the paragraphs are checked against the configs they describe.
#[test]
fn zoo_facts_agree_with_the_configs() {
    let llama2 = model("Llama 2");
    let c70 = config("Llama 2", "70B");
    assert_eq!(fact_int(&llama2, "kv_heads"), c70.kv_heads);
    assert_eq!(fact_int(&llama2, "heads"), c70.heads);
    assert_eq!(fact_int(&llama2, "ratio"), c70.heads / c70.kv_heads);
    assert_eq!(llama2.context, model("LLaMA").context.map(|c| 2 * c), "twice the context");

    let code = model("Code Llama");
    assert_eq!(Some(fact_int(&code, "context")), code.context);
    let extra = config("Code Llama", "7B").vocab - config("Code Llama", "34B").vocab;
    assert_eq!(fact_int(&code, "extra_tokens"), extra);
    assert_eq!(fact_int(&code, "base") / fact_int(&code, "llama_base"), 100);

    let glm2 = model("ChatGLM2-6B");
    let c = config("ChatGLM2-6B", "6B");
    assert_eq!(fact_int(&glm2, "kv_groups"), c.kv_heads);
    assert_eq!(fact_int(&glm2, "heads"), c.heads);
    assert_eq!(Some(fact_int(&glm2, "context")), glm2.context);

    let bloom = model("BLOOM");
    let small = config("BLOOM", "560M");
    let share = 100.0 * small.embedding_params() as f64 / small.param_count() as f64;
    assert_eq!(fact_int(&bloom, "embedding_share"), share.round() as u64, "{share:.2} %");

    let fusion = model("CodeFusion");
    assert_eq!(fusion.facts["params"], Fact::Text(fusion.variant[0].published.clone()));
}

/// "Every number on the page comes from the data file": a paragraph may contain digits only
/// in placeholders, in the zoo's names and in section references like §3.3.
#[test]
fn zoo_paragraphs_take_every_number_from_facts() {
    let zoo = zoo();
    let mut names: Vec<String> = zoo.model.iter().map(|m| m.name.clone()).collect();
    names.extend(zoo.model.iter().flat_map(|m| m.variant.iter().map(|v| v.name.clone())));
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    for m in &zoo.model {
        for (field, text) in [("about", Some(&m.about)), ("tokens_note", m.tokens_note.as_ref())] {
            let Some(text) = text else { continue };
            let mut bare = text.clone();
            for key in m.facts.keys() {
                bare = bare.replace(&format!("{{{key}}}"), "");
            }
            for name in &names {
                bare = bare.replace(name.as_str(), "");
            }
            let bare: String = bare
                .split('§')
                .enumerate()
                .map(|(i, s)| {
                    if i == 0 {
                        s
                    } else {
                        s.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
                    }
                })
                .collect();
            if let Some(pos) = bare.find(|c: char| c.is_ascii_digit()) {
                panic!(
                    "{}.{field}: a bare number near {:?}; make it a {{fact}}",
                    m.name,
                    &bare[pos.saturating_sub(20)..]
                );
            }
            m.fill(text).unwrap_or_else(|e| panic!("{e}"));
        }
        for key in m.facts.keys() {
            let used = format!("{{{key}}}");
            assert!(
                m.about.contains(&used) || m.tokens_note.as_deref().unwrap_or("").contains(&used),
                "{}: fact {key} is never used",
                m.name
            );
        }
    }
}

#[test]
fn zoo_short_and_grouped_numbers() {
    assert_eq!(short(1.4e12), "1.4T");
    assert_eq!(short(366e9), "366B");
    assert_eq!(short(6_738_415_616.0), "6.74B");
    assert_eq!(short(75e6), "75M");
    assert_eq!(grouped(1_000_000), "1,000,000");
    assert_eq!(grouped(512), "512");
    assert_eq!(Fact::Float(0.0002).text(), "0.0002");
}

#[test]
fn zoo_bad_files_are_errors_naming_the_file() {
    let err = parse("[[model]]\nname = 3").unwrap_err();
    assert!(err.starts_with("data/zoo.toml"), "{err}");
    let m = &zoo().model[0];
    let unknown = Model { about: "{nope}".into(), ..m.clone() };
    assert!(unknown.paragraph().unwrap_err().contains("nope"));
}
