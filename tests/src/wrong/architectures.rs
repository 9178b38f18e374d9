//! §3.1 to §3.3: plausible wrong masks, parameter counts, K/V repeats, SwiGLUs and KV-cache
//! sizes.

use crate::gradient::Tr;
use crate::wrong::through_vec;
use dfdx::prelude::*;
use solutions::architectures::gpt::{block_forward, Block};
use solutions::architectures::gqa::{repeat_kv, swiglu};
use solutions::architectures::lm_masks::Allowed;
use solutions::architectures::param_count::{gpt_param_count, GptDims, LlamaDims};
use solutions::foundations::self_attention::Mask;
use solutions::Dev;

type G4 = Tensor<(usize, usize, usize, usize), f32, Dev, Tr>;
type G2 = Tensor<(usize, usize), f32, Dev, Tr>;
type M = Mask<usize, usize, usize>;

fn by_rule(seq: usize, rule: impl Fn(usize, usize) -> bool) -> Allowed {
    (0..seq).map(|i| (0..seq).map(|j| rule(i, j)).collect()).collect()
}

/// Row j, column i: the mask transposed, each query sees its future.
pub fn causal_transposed(seq: usize) -> Allowed {
    by_rule(seq, |i, j| j >= i)
}
/// `j < i`: the diagonal is hidden.
pub fn causal_no_diagonal(seq: usize) -> Allowed {
    by_rule(seq, |i, j| j < i)
}
/// Causal inside the prefix too: the plain causal mask.
pub fn prefix_causal_inside(seq: usize, _prefix: usize) -> Allowed {
    by_rule(seq, |i, j| j <= i)
}
/// The prefix's queries see every key, the continuation included.
pub fn prefix_sees_everything(seq: usize, prefix: usize) -> Allowed {
    by_rule(seq, |i, j| i < prefix || j < prefix || j <= i)
}
/// `j <= prefix`: one key too many.
pub fn prefix_off_by_one(seq: usize, prefix: usize) -> Allowed {
    by_rule(seq, |i, j| j <= prefix || j <= i)
}

/// Counted the LM head as its own matrix.
pub fn gpt_count_untied_head(c: GptDims) -> u64 {
    gpt_param_count(c) + c.vocab * c.d_model
}
/// Forgot the learned position table.
pub fn gpt_count_no_positions(c: GptDims) -> u64 {
    gpt_param_count(c) - c.context * c.d_model
}
/// Forgot the linear layers' biases.
pub fn gpt_count_no_biases(c: GptDims) -> u64 {
    gpt_param_count(c) - c.layers * 9 * c.d_model
}
/// Forgot the LayerNorms.
pub fn gpt_count_no_layernorm(c: GptDims) -> u64 {
    gpt_param_count(c) - (c.layers * 4 + 2) * c.d_model
}

/// `torch.repeat` instead of `repeat_interleave`: k0, k1, k0, k1.
pub fn repeat_kv_interleaved(x: G4, n_rep: usize) -> G4 {
    let (b, g, s, d) = *x.shape();
    x.broadcast_like::<_, Axis<1>>(&(b, n_rep, g, s, d)).reshape_like(&(b, n_rep * g, s, d))
}
/// The right heads, rebuilt from a Vec: the tape is dropped.
pub fn repeat_kv_through_vec(x: G4, n_rep: usize) -> G4 {
    through_vec(repeat_kv(x, n_rep))
}

/// SiLU on the up branch: SiLU(up) ⊙ gate.
pub fn swiglu_gate_swapped(gate: G2, up: G2) -> G2 {
    swiglu(up, gate)
}
/// GLU's sigmoid gate, σ(gate) ⊙ up.
pub fn swiglu_sigmoid_gate(gate: G2, up: G2) -> G2 {
    gate.sigmoid() * up
}
/// The right values, rebuilt from a Vec: the tape is dropped.
pub fn swiglu_through_vec(gate: G2, up: G2) -> G2 {
    through_vec(swiglu(gate, up))
}

/// Forgot that both K and V are cached.
pub fn kv_bytes_no_factor_two(d: &LlamaDims, bytes: u64) -> u64 {
    d.layers * d.kv_heads * d.head_dim() * bytes
}
/// Counted the query heads instead of the K/V heads.
pub fn kv_bytes_query_heads(d: &LlamaDims, bytes: u64) -> u64 {
    2 * d.layers * d.heads * d.head_dim() * bytes
}

/// Post-norm: ln(x + f(x)), the LayerNorm on the stream.
pub fn block_post_norm(b: &Block, x: G2, mask: &M) -> G2 {
    let h = b.ln_1.forward(x.retaped::<Tr>() + b.attn.forward(x, mask));
    b.ln_2.forward(h.retaped::<Tr>() + b.mlp.forward(h))
}
/// The residual taken from the normalised copy: ln(x) + f(ln(x)).
pub fn block_norm_on_stream(b: &Block, x: G2, mask: &M) -> G2 {
    let h = b.ln_1.forward(x);
    let h = h.retaped::<Tr>() + b.attn.forward(h, mask);
    let g = b.ln_2.forward(h);
    g.retaped::<Tr>() + b.mlp.forward(g)
}
/// The MLP reads the stream from before attention (GPT-J's parallel block).
pub fn block_parallel(b: &Block, x: G2, mask: &M) -> G2 {
    let a = b.attn.forward(b.ln_1.forward(x.retaped::<Tr>()), mask);
    let m = b.mlp.forward(b.ln_2.forward(x.retaped::<Tr>()));
    x + a + m
}
/// Right values, tape dropped.
pub fn block_through_vec(b: &Block, x: G2, mask: &M) -> G2 {
    through_vec(block_forward(b, x, mask))
}
