use super::*;
use crate::architectures::gpt::GptConfig;
use rand::rngs::StdRng;
use rand::SeedableRng;
use serde::Deserialize;

/// `data/reference/hf_generate.json`, from `scripts/reference/hf_generate.py`.
#[derive(Deserialize)]
pub(crate) struct Reference {
    pub provenance: String,
    pub cases: Vec<Case>,
}

#[derive(Deserialize, Debug)]
pub(crate) struct Case {
    pub prompt: Vec<usize>,
    pub eos: Option<usize>,
    pub num_beams: usize,
    pub length_penalty: f32,
    pub repetition_penalty: f32,
    pub no_repeat_ngram_size: usize,
    pub max_new_tokens: usize,
    pub generated: Vec<usize>,
}

pub(crate) fn reference() -> Reference {
    serde_json::from_str(include_str!("../../../../data/reference/hf_generate.json"))
        .expect("data/reference/hf_generate.json parses")
}

/// Hugging Face's tiny GPT-2 (`data/reference/gpt2_tiny.safetensors`) in our model.
pub(crate) fn fixture() -> Gpt {
    #[derive(Deserialize)]
    struct Config {
        config: GptConfig,
    }
    let c: Config =
        serde_json::from_str(include_str!("../../../../data/reference/gpt2_tiny.json")).unwrap();
    let mut model = Gpt::new(&Dev::default(), c.config);
    let path = format!("{}/../data/reference/gpt2_tiny.safetensors", env!("CARGO_MANIFEST_DIR"));
    model.load_safetensors(path).expect("load gpt2_tiny.safetensors");
    model
}

/// Greedy decoding, alone and with the repetition penalty and no-repeat-n-gram, gives the
/// very token ids of `transformers`' `generate(do_sample=False)`, with and without an end
/// token.
#[test]
fn greedy_equals_hugging_faces_generate() {
    let (r, model) = (reference(), fixture());
    let mut rng = StdRng::seed_from_u64(0);
    let mut n = 0;
    for case in r.cases.iter().filter(|c| c.num_beams == 1) {
        let cfg = DecodeConfig {
            repetition_penalty: case.repetition_penalty,
            no_repeat_ngram_size: case.no_repeat_ngram_size,
            ..DecodeConfig::default()
        };
        let mut streamed = vec![];
        let got = generate(
            |s| gpt_next_logits(&model, s),
            &case.prompt,
            case.max_new_tokens,
            &cfg,
            case.eos,
            &mut rng,
            |t| streamed.push(t),
        );
        assert_eq!(got, case.generated, "{case:?} ({})", r.provenance);
        assert_eq!(streamed, got, "every token is streamed, in order");
        n += 1;
    }
    assert_eq!(n, 16, "greedy cases in the reference");
}

#[test]
fn argmax_takes_the_first_maximum() {
    assert_eq!(argmax(&[1.0, 3.0, 3.0, 2.0]), 1);
}
