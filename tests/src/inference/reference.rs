//! Hugging Face's processors on seeded inputs: `data/reference/hf_logits_processors.json`,
//! written by `scripts/reference/hf_logits_processors.py` (transformers' own classes).

/// One processor run: its parameters, the sequence so far, the scores before and after
/// (−∞ decoded from JSON's null).
pub struct Case {
    pub processor: String,
    pub params: serde_json::Map<String, serde_json::Value>,
    pub ids: Vec<usize>,
    pub scores: Vec<f32>,
    pub out: Vec<f32>,
}

impl Case {
    pub fn f(&self, key: &str) -> f32 {
        self.params[key].as_f64().expect("a number") as f32
    }
    pub fn n(&self, key: &str) -> usize {
        self.params[key].as_u64().expect("an integer") as usize
    }
}

/// The provenance string and the cases of one processor.
pub fn cases(processor: &str) -> (String, f32, Vec<Case>) {
    #[derive(serde::Deserialize)]
    struct Raw {
        processor: String,
        params: serde_json::Map<String, serde_json::Value>,
        ids: Vec<usize>,
        scores: Vec<Option<f32>>,
        out: Vec<Option<f32>>,
    }
    #[derive(serde::Deserialize)]
    struct File {
        provenance: String,
        tolerance: f32,
        cases: Vec<Raw>,
    }
    let file: File =
        serde_json::from_str(include_str!("../../../data/reference/hf_logits_processors.json"))
            .expect("data/reference/hf_logits_processors.json parses");
    let inf = |v: Vec<Option<f32>>| v.into_iter().map(|x| x.unwrap_or(f32::NEG_INFINITY)).collect();
    let cases = file
        .cases
        .into_iter()
        .filter(|c| c.processor == processor)
        .map(|c| Case {
            processor: c.processor,
            params: c.params,
            ids: c.ids,
            scores: inf(c.scores),
            out: inf(c.out),
        })
        .collect();
    (file.provenance, file.tolerance, cases)
}

/// The indices set to −∞.
pub fn removed(v: &[f32]) -> Vec<usize> {
    (0..v.len()).filter(|&i| v[i] == f32::NEG_INFINITY).collect()
}
