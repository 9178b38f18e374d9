//! Graded suite for §3.2: the parameter count of a GPT-2-style model.
//!
//! The reference is a slow count: the list of every tensor of nanoGPT's `GPT` (and of
//! Hugging Face's `GPT2LMHeadModel`), with its shape, summed. It must agree with the counts
//! Hugging Face's `num_parameters()` reports for `gpt2` and `gpt2-medium`, stored below.
//! Each part a learner may forget (tied head, position table, biases, LayerNorms) is named
//! when the answer is off by exactly that part.

use crate::{Check, Failure};
// §3.2's other exercise has its own suite file; bound here, beside the section's module.
pub use super::block_forward::check_block_forward;
use solutions::architectures::param_count::GptDims;

/// Every tensor of the model, as (name, element count), in nanoGPT's order.
fn tensors(c: GptDims) -> Vec<(String, u64)> {
    let (v, t, d) = (c.vocab, c.context, c.d_model);
    let mut out = vec![("wte".to_string(), v * d), ("wpe".to_string(), t * d)];
    for l in 0..c.layers {
        let block = [
            ("ln_1.weight", d),
            ("ln_1.bias", d),
            ("attn.c_attn.weight", d * 3 * d),
            ("attn.c_attn.bias", 3 * d),
            ("attn.c_proj.weight", d * d),
            ("attn.c_proj.bias", d),
            ("ln_2.weight", d),
            ("ln_2.bias", d),
            ("mlp.c_fc.weight", d * 4 * d),
            ("mlp.c_fc.bias", 4 * d),
            ("mlp.c_proj.weight", 4 * d * d),
            ("mlp.c_proj.bias", d),
        ];
        out.extend(block.into_iter().map(|(n, k)| (format!("h.{l}.{n}"), k)));
    }
    // lm_head.weight is wte.weight (tied), so it is not listed again.
    out.extend([("ln_f.weight".to_string(), d), ("ln_f.bias".to_string(), d)]);
    out
}

/// The summed count of the tensors whose name passes `keep`.
fn count(c: GptDims, keep: impl Fn(&str) -> bool) -> u64 {
    tensors(c).iter().filter(|(n, _)| keep(n)).map(|(_, k)| k).sum()
}

/// Grades `gpt_param_count(dims)`.
pub fn check_gpt_param_count<F>(f: F) -> Check
where
    F: Fn(GptDims) -> u64,
{
    let gpt2 = GptDims { vocab: 50257, context: 1024, d_model: 768, layers: 12 };
    let cases = [
        // (dims, what it is, the count Hugging Face's num_parameters() reports, if stored)
        (
            GptDims { vocab: 96, context: 64, d_model: 32, layers: 2 },
            "the §3.2 tiny GPT",
            Some(30_592),
        ),
        (gpt2, "GPT-2 small (`gpt2`)", Some(124_439_808)),
        (GptDims { d_model: 1024, layers: 24, ..gpt2 }, "GPT-2 medium", Some(354_823_168)),
        (GptDims { vocab: 65, context: 64, d_model: 128, layers: 4 }, "nanoGPT's CPU recipe", None),
    ];
    for (c, name, stored) in cases {
        let want = count(c, |_| true);
        assert!(stored.is_none_or(|n| n == want), "the suite's count of {name} is off");
        let got = f(c);
        if got == want {
            continue;
        }
        let (v, t, d, l) = (c.vocab, c.context, c.d_model, c.layers);
        let biases = count(c, |n| n.ends_with("bias") && !n.contains("ln_"));
        let norms = count(c, |n| n.contains("ln_"));
        let cause = if got == want + v * d {
            format!(
                "the LM head was counted as its own V × d matrix ({v} × {d} = {}). In GPT-2 it \
                 is tied to the token embedding: the same matrix, counted once",
                v * d
            )
        } else if got + t * d == want {
            format!(
                "the learned position table is missing: {t} positions × {d} = {} parameters \
                 (wpe). GPT-2 learns one vector per position, unlike RoPE or ALiBi",
                t * d
            )
        } else if got + biases == want {
            format!(
                "the biases of the linear layers are missing ({biases} = {l} layers × 9d): \
                 GPT-2's QKV, attention output and both MLP layers all have biases (Llama's \
                 have none)"
            )
        } else if got + norms == want {
            format!(
                "the LayerNorms are missing ({norms}): two per block and a final one, each \
                 with a weight and a bias of d = {d}"
            )
        } else {
            "count the embeddings, then per block the two LayerNorms, the QKV and output \
             projections and the MLP's two layers (weights and biases), then the final \
             LayerNorm"
                .to_string()
        };
        let diff = got as i128 - want as i128;
        return Err(Failure::new(format!(
            "gpt_param_count for {name} (vocab {v}, context {t}, d_model {d}, {l} layers) is \
             {got}, expected {want} (off by {diff:+}): {cause}."
        )));
    }
    Ok(())
}
