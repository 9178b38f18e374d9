//! Chapter 3's wrong variants, with the check each runs and the fragment meant for it.

use super::{variant, Variant, TAPE_DROPPED};
use crate::architectures::{gqa::*, lm_masks::*, param_count::*};
use crate::training::data_loader::*;
use crate::wrong::architectures as arch;
use crate::wrong::training as train;

/// §3.1 to §3.5.
pub fn variants() -> Vec<Variant> {
    vec![
        // §3.1
        variant!("3.1.causal_mask", check_causal_mask(arch::causal_transposed), "transposed"),
        variant!("3.1.causal_mask", check_causal_mask(arch::causal_no_diagonal), "the diagonal"),
        variant!(
            "3.1.prefix_lm_mask",
            check_prefix_lm_mask(arch::prefix_causal_inside),
            "causal inside the prefix"
        ),
        variant!(
            "3.1.prefix_lm_mask",
            check_prefix_lm_mask(arch::prefix_sees_everything),
            "peeks at the continuation"
        ),
        variant!(
            "3.1.prefix_lm_mask",
            check_prefix_lm_mask(arch::prefix_off_by_one),
            "one token too many"
        ),
        // §3.2
        variant!(
            "3.2.gpt_param_count",
            check_gpt_param_count(arch::gpt_count_untied_head),
            "tied to the token embedding"
        ),
        variant!(
            "3.2.gpt_param_count",
            check_gpt_param_count(arch::gpt_count_no_positions),
            "position table is missing"
        ),
        variant!(
            "3.2.gpt_param_count",
            check_gpt_param_count(arch::gpt_count_no_biases),
            "biases of the linear layers"
        ),
        variant!(
            "3.2.gpt_param_count",
            check_gpt_param_count(arch::gpt_count_no_layernorm),
            "the LayerNorms are missing"
        ),
        variant!(
            "3.2.block_forward",
            check_block_forward(arch::block_post_norm),
            "post-norm wiring"
        ),
        variant!(
            "3.2.block_forward",
            check_block_forward(arch::block_norm_on_stream),
            "added to the normalised copy"
        ),
        variant!("3.2.block_forward", check_block_forward(arch::block_parallel), "parallel block"),
        variant!("3.2.block_forward", check_block_forward(arch::block_through_vec), TAPE_DROPPED),
        // §3.3
        variant!(
            "3.3.repeat_kv",
            check_repeat_kv(arch::repeat_kv_interleaved),
            "the heads are interleaved"
        ),
        variant!("3.3.repeat_kv", check_repeat_kv(arch::repeat_kv_through_vec), TAPE_DROPPED),
        variant!(
            "3.3.swiglu",
            check_swiglu(arch::swiglu_gate_swapped),
            "gate is on the wrong branch"
        ),
        variant!("3.3.swiglu", check_swiglu(arch::swiglu_sigmoid_gate), "GLU's sigmoid gate"),
        variant!("3.3.swiglu", check_swiglu(arch::swiglu_through_vec), TAPE_DROPPED),
        variant!(
            "3.3.kv_cache_bytes_per_token",
            check_kv_cache_bytes_per_token(arch::kv_bytes_no_factor_two),
            "a key AND a value"
        ),
        variant!(
            "3.3.kv_cache_bytes_per_token",
            check_kv_cache_bytes_per_token(arch::kv_bytes_query_heads),
            "you counted the"
        ),
        // §3.5
        variant!(
            "3.5.lr_at_step",
            check_lr_at_step(train::lr_warmup_from_zero),
            "starts at exactly 0"
        ),
        variant!(
            "3.5.lr_at_step",
            check_lr_at_step(train::lr_cosine_short),
            "does not reach min_lr at max_steps"
        ),
        variant!("3.5.lr_at_step", check_lr_at_step(train::lr_floor_zero), "decays to 0"),
        variant!(
            "3.5.clip_grad_norm",
            check_clip_grad_norm(train::clip_per_tensor),
            "clipped to max_norm on its own"
        ),
        variant!(
            "3.5.clip_grad_norm",
            check_clip_grad_norm(train::clip_always),
            "never scale gradients up"
        ),
        variant!("3.5.get_batch", check_get_batch(train::batch_unshifted), "not shifted"),
        variant!("3.5.get_batch", check_get_batch(train::batch_no_last_window), "was never drawn"),
    ]
}
