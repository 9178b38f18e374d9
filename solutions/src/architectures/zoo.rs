//! §3.6 The model zoo (模型库): LLaMA, Llama 2, Code Llama, ChatGLM, BLOOM, Baichuan 2,
//! InternLM-XComposer and CodeFusion as data (`data/zoo.toml`), with each released size's
//! parameter count computed from its public configuration.
//!
//! Papers: arXiv 2302.13971, 2307.09288, 2308.12950, 2103.10360, 2406.12793, 2211.05100,
//! 2309.10305, 2309.15112, 2310.17680. Hugging Face equivalent: `AutoConfig.from_pretrained`
//! then `AutoModelForCausalLM.from_config(cfg).num_parameters()`, which needs the weights'
//! code; here one formula covers every decoder in the zoo, and reduces to the GPT and Llama
//! formulas of `param_count.rs` (a test checks both).

use serde::Deserialize;
use std::collections::BTreeMap;

/// The zoo's data file, built into the library so that the tests and the CLI read one copy.
pub const ZOO_TOML: &str = include_str!("../../../data/zoo.toml");

/// Every model of `data/zoo.toml`, in the file's order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Zoo {
    pub model: Vec<Model>,
}

/// One model family; the fields are documented in the header of `data/zoo.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    pub name: String,
    pub org: String,
    pub year: u32,
    pub paper: String,
    pub positional: String,
    pub mask: String,
    pub norm: Option<String>,
    pub norm_placement: Option<String>,
    pub activation: Option<String>,
    pub context: Option<u64>,
    pub training_tokens: Option<f64>,
    pub tokens_note: Option<String>,
    pub about: String,
    #[serde(default)]
    pub facts: BTreeMap<String, Fact>,
    pub variant: Vec<Variant>,
}

/// A named number that a model's paragraph quotes.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Fact {
    Int(i64),
    Float(f64),
    Text(String),
}

/// One released size of a model.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub name: String,
    pub published: String,
    pub source: String,
    pub positional: Option<String>,
    pub counts: Option<String>,
    pub config: Option<Config>,
}

/// A decoder's public configuration: enough to count its parameters.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub layers: u64,
    pub d_model: u64,
    pub heads: u64,
    pub kv_heads: u64,
    pub d_ff: u64,
    pub vocab: u64,
    pub mlp: Mlp,
    pub norm: Norm,
    pub tied: bool,
    #[serde(default)]
    pub qkv_bias: bool,
    #[serde(default)]
    pub out_bias: bool,
    #[serde(default)]
    pub mlp_bias: bool,
    #[serde(default)]
    pub position_table: u64,
    #[serde(default)]
    pub embedding_norm: bool,
}

/// The MLP: two matrices (GELU) or three (a gated unit, SwiGLU or GeGLU).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Mlp {
    Plain,
    Gated,
}

/// RMSNorm keeps a gain; LayerNorm a gain and a bias.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Norm {
    Rms,
    Layer,
}

/// The attention variant a configuration implies (§3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attention {
    Mha,
    Gqa,
    Mqa,
}

impl Attention {
    pub fn name(self) -> &'static str {
        match self {
            Attention::Mha => "MHA",
            Attention::Gqa => "GQA",
            Attention::Mqa => "MQA",
        }
    }
}

impl Config {
    pub fn head_dim(&self) -> u64 {
        self.d_model / self.heads
    }

    pub fn attention(&self) -> Attention {
        match self.kv_heads {
            k if k == self.heads => Attention::Mha,
            1 => Attention::Mqa,
            _ => Attention::Gqa,
        }
    }

    /// Parameters of the token embedding alone, $Vd$.
    pub fn embedding_params(&self) -> u64 {
        self.vocab * self.d_model
    }

    /// The parameter count, as Hugging Face's `num_parameters()` counts it (a tied matrix
    /// once). Per block: two norms, attention with $W_Q, W_O$ of $d \times d$ and $W_K, W_V$
    /// of $d \times Gd_h$, and an MLP of two or three $d \times d_{ff}$ matrices.
    // ANCHOR: zoo_param_count
    pub fn param_count(&self) -> u64 {
        let d = self.d_model;
        let kv_width = self.kv_heads * self.head_dim();
        let norm = match self.norm {
            Norm::Rms => d,
            Norm::Layer => 2 * d,
        };
        let mut attention = 2 * d * d + 2 * d * kv_width;
        if self.qkv_bias {
            attention += d + 2 * kv_width;
        }
        if self.out_bias {
            attention += d;
        }
        let (matrices, bias) = match self.mlp {
            // Subtle: a gated MLP has two input matrices (gate and up), hence two d_ff biases.
            Mlp::Gated => (3, 2 * self.d_ff + d),
            Mlp::Plain => (2, self.d_ff + d),
        };
        let mlp = matrices * d * self.d_ff + if self.mlp_bias { bias } else { 0 };
        let block = 2 * norm + attention + mlp;
        let head = if self.tied { 0 } else { self.embedding_params() };
        // BLOOM's extra norm after the embedding; ALiBi and RoPE models have no table.
        let embedding_norm = if self.embedding_norm { norm } else { 0 };
        self.embedding_params()
            + self.position_table * d
            + embedding_norm
            + self.layers * block
            + norm
            + head
    }
    // ANCHOR_END: zoo_param_count
}

/// A published size and how precisely it is given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Published {
    pub value: f64,
    /// 0 for an exact count; otherwise one unit of the last digit given.
    pub tolerance: f64,
}

impl Published {
    /// Reads `"6,738,415,616"` (exact) or `"6.7B"`, `"13B"`, `"75M"` (within one unit of
    /// the last digit: authors round some sizes and truncate others, LLaMA's 65.2B).
    pub fn parse(text: &str) -> Result<Published, String> {
        let bad = || format!("published size {text:?}: expected 6,738,415,616 or 6.7B or 75M");
        let (number, scale) = match text.chars().last() {
            Some('B') => (&text[..text.len() - 1], 1e9),
            Some('M') => (&text[..text.len() - 1], 1e6),
            _ => {
                let digits = text.replace(',', "");
                let value = digits.parse::<u64>().map_err(|_| bad())?;
                return Ok(Published { value: value as f64, tolerance: 0.0 });
            }
        };
        let value: f64 = number.parse().map_err(|_| bad())?;
        let decimals = number.split_once('.').map_or(0, |(_, f)| f.len()) as i32;
        Ok(Published { value: value * scale, tolerance: scale * 10f64.powi(-decimals) })
    }

    pub fn is_exact(&self) -> bool {
        self.tolerance == 0.0
    }

    /// Whether a computed count agrees with this published size.
    pub fn accepts(&self, count: u64) -> bool {
        (count as f64 - self.value).abs() <= self.tolerance
    }
}

/// Parses a zoo file; the error names the file's problem.
pub fn parse(text: &str) -> Result<Zoo, String> {
    toml::from_str(text).map_err(|e| format!("data/zoo.toml: {e}"))
}

/// The zoo built into the library.
pub fn zoo() -> Zoo {
    parse(ZOO_TOML).unwrap_or_else(|e| panic!("{e}"))
}

impl Fact {
    /// How the page prints it: whole numbers grouped by thousands (1,000,000).
    pub fn text(&self) -> String {
        match self {
            Fact::Int(n) if *n >= 0 => grouped(*n as u64),
            Fact::Int(n) => n.to_string(),
            Fact::Float(x) => x.to_string(),
            Fact::Text(t) => t.clone(),
        }
    }
}

impl Model {
    /// Replaces each `{key}` of `text` by the model's fact `key`; an unknown key is an error.
    pub fn fill(&self, text: &str) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let close =
                rest[open..].find('}').ok_or_else(|| format!("{}: unclosed {{", self.name))?;
            let key = &rest[open + 1..open + close];
            let fact = self.facts.get(key).ok_or_else(|| {
                format!("{}: the text uses {{{key}}}, which is not in [model.facts]", self.name)
            })?;
            out.push_str(&rest[..open]);
            out.push_str(&fact.text());
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// The paragraph of the page: `about` on one line, with its facts filled in.
    pub fn paragraph(&self) -> Result<String, String> {
        let joined = self.about.split_whitespace().collect::<Vec<_>>().join(" ");
        self.fill(&joined)
    }
}

/// 1234567 -> "1,234,567".
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let groups: Vec<&str> =
        digits.as_bytes().rchunks(3).rev().map(|g| std::str::from_utf8(g).unwrap()).collect();
    groups.join(",")
}

/// A large count the way papers write it: 1.4e12 -> "1.4T", 366e9 -> "366B", 75e6 -> "75M".
pub fn short(x: f64) -> String {
    let (scale, suffix) = match x {
        x if x >= 1e12 => (1e12, "T"),
        x if x >= 1e9 => (1e9, "B"),
        _ => (1e6, "M"),
    };
    // Rounded to two decimals so that 6.738e9 prints 6.74B, not 6.738415616B.
    let value = (x / scale * 100.0).round() / 100.0;
    format!("{value}{suffix}")
}

#[cfg(test)]
mod tests;
