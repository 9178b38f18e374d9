use super::*;
use crate::inference::truncation::kept;
use serde::Deserialize;

/// `data/reference/hf_logits_processors.json`, from
/// `scripts/reference/hf_logits_processors.py`: transformers' own processor classes.
#[derive(Deserialize)]
struct Reference {
    provenance: String,
    tolerance: f32,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    processor: String,
    params: serde_json::Map<String, serde_json::Value>,
    ids: Vec<usize>,
    scores: Vec<Option<f32>>,
    out: Vec<Option<f32>>,
}

fn reference() -> Reference {
    serde_json::from_str(include_str!("../../../../data/reference/hf_logits_processors.json"))
        .expect("data/reference/hf_logits_processors.json parses")
}

fn decode(v: &[Option<f32>]) -> Vec<f32> {
    v.iter().map(|x| x.unwrap_or(f32::NEG_INFINITY)).collect()
}

impl Case {
    fn f(&self, key: &str) -> f32 {
        self.params[key].as_f64().unwrap() as f32
    }
    fn n(&self, key: &str) -> usize {
        self.params[key].as_u64().unwrap() as usize
    }
    /// Our processor on this case's input.
    fn run(&self) -> Vec<f32> {
        let mut z = decode(&self.scores);
        let cfg = DecodeConfig::default();
        match self.processor.as_str() {
            "temperature" => {
                let c = DecodeConfig { temperature: self.f("temperature"), ..cfg };
                c.process(&mut z, &self.ids, true)
            }
            "top_k" => {
                let min = self.n("min_tokens_to_keep");
                let c = DecodeConfig { top_k: self.n("top_k"), min_tokens_to_keep: min, ..cfg };
                c.process(&mut z, &self.ids, true)
            }
            "top_p" => {
                let min = self.n("min_tokens_to_keep");
                top_p_filter(&mut z, self.f("top_p"), min)
            }
            "repetition_penalty" => {
                let c = DecodeConfig { repetition_penalty: self.f("penalty"), ..cfg };
                c.process(&mut z, &self.ids, false)
            }
            "no_repeat_ngram" => {
                let c = DecodeConfig { no_repeat_ngram_size: self.n("ngram_size"), ..cfg };
                c.process(&mut z, &self.ids, false)
            }
            other => panic!("unknown processor {other}"),
        }
        z
    }
}

/// Every case of every processor: the same kept set (the same −∞ entries) and the same
/// values within the stored tolerance.
#[test]
fn every_processor_matches_hugging_faces_classes() {
    let r = reference();
    assert!(r.cases.len() >= 40, "the reference lost cases");
    for (i, case) in r.cases.iter().enumerate() {
        let (got, want) = (case.run(), decode(&case.out));
        let what = format!(
            "case {i}, {} {:?} on ids {:?} ({})",
            case.processor, case.params, case.ids, r.provenance
        );
        let removed = |v: &[f32]| -> Vec<usize> {
            (0..v.len()).filter(|&j| v[j] == f32::NEG_INFINITY).collect()
        };
        assert_eq!(removed(&got), removed(&want), "{what}: a different set of removed tokens");
        for (j, (g, w)) in got.iter().zip(&want).enumerate() {
            if w.is_finite() {
                assert!(
                    approx::abs_diff_eq!(g, w, epsilon = r.tolerance),
                    "{what}: token {j} is {g}, Hugging Face {w} (tolerance {:e})",
                    r.tolerance
                );
            }
        }
    }
}

/// The edge cases the reference was built for are really in it, and really decide:
/// a top-k tie, and a top-p cumulative sum exactly on 1 − p.
#[test]
fn the_reference_exercises_ties_and_exact_boundaries() {
    let r = reference();
    let tie = r.cases.iter().find(|c| c.processor == "top_k" && c.n("top_k") == 2).unwrap();
    // Top-2 of a row whose 2nd value is shared by five tokens keeps 6.
    assert_eq!(kept(&decode(&tie.out)), 6, "top-k keeps every token tied with the k-th");
    let exact = r
        .cases
        .iter()
        .find(|c| c.processor == "top_p" && c.f("top_p") == 0.25 && c.scores.len() == 8)
        .unwrap();
    // Eight equal tokens: 1 − p = 0.75 is the 6th cumulative sum exactly, so 6 go, 2 stay;
    // "remove where cumulative < 1 − p" would keep 3.
    assert_eq!(kept(&decode(&exact.out)), 2);
}

#[test]
fn validate_rejects_out_of_range_values() {
    let ok = DecodeConfig::default();
    assert!(ok.validate().is_ok());
    for bad in [
        DecodeConfig { temperature: 0.0, ..ok },
        DecodeConfig { temperature: -1.0, ..ok },
        DecodeConfig { top_p: 0.0, ..ok },
        DecodeConfig { top_p: 1.5, ..ok },
        DecodeConfig { repetition_penalty: 0.0, ..ok },
    ] {
        let e = bad.validate().unwrap_err();
        assert!(!e.contains('\n'), "the message is one line: {e}");
    }
    assert!(DecodeConfig { temperature: 0.0, ..ok }.validate().unwrap_err().contains("greedy"));
}

/// The chain's order matters: top-p after the temperature keeps a different set than top-p
/// before it would (Hugging Face: temperature, then top-k, then top-p).
#[test]
fn order_of_the_chain_matters() {
    let logits = [2.0f32, 1.0, 0.0, -1.0];
    let cfg = DecodeConfig { temperature: 3.0, top_p: 0.8, ..DecodeConfig::default() };
    let mut ours = logits;
    cfg.process(&mut ours, &[], true);
    let mut p_first = logits;
    top_p_filter(&mut p_first, 0.8, 1);
    apply_temperature(&mut p_first, 3.0);
    // Hot first: the distribution is flatter, so top-p needs more tokens to reach 0.8.
    assert_eq!((kept(&ours), kept(&p_first)), (3, 2));
    // Without sampling the warpers are off.
    let mut greedy = logits;
    cfg.process(&mut greedy, &[], false);
    assert_eq!(greedy, logits);
}
