//! Chapter 1's wrong variants, with the check each runs and the fragment meant for it.

use super::{variant, Variant, TAPE_DROPPED};
use crate::foundations::{
    alibi::*, normalization::*, optimizers::*, positional_encoding::*, residual_norm::*, rope::*,
    rope_scaling::*, score_scaling::*, self_attention::*,
};
use crate::wrong::foundations::{
    alibi, normalization as norm, optimizers as opt, positional_encoding as pos, residual_norm,
    rope, rope_scaling, score_scaling, self_attention as attn,
};

/// §1.1 to §1.9.
pub fn variants() -> Vec<Variant> {
    vec![
        // §1.1
        variant!(
            "1.1.attention_weights",
            check_attention_weights(attn::weights_unscaled),
            "the 1/√d_k factor is missing"
        ),
        variant!(
            "1.1.attention_weights",
            check_attention_weights(attn::weights_one_over_dk),
            "you scaled by 1/d_k"
        ),
        variant!(
            "1.1.attention_weights",
            check_attention_weights(attn::weights_scaled_after_softmax),
            "applied after the softmax"
        ),
        variant!(
            "1.1.attention_weights",
            check_attention_weights(attn::weights_softmax_over_queries),
            "over the query axis"
        ),
        variant!(
            "1.1.attention_weights",
            check_attention_weights(attn::weights_ignore_mask),
            "which the mask forbids"
        ),
        variant!(
            "1.1.attention_weights",
            check_attention_weights(attn::weights_mask_after_softmax),
            "The mask belongs before the softmax"
        ),
        variant!(
            "1.1.attention_weights",
            check_attention_weights(attn::weights_through_vec),
            TAPE_DROPPED
        ),
        variant!(
            "1.1.scaled_dot_product_attention",
            check_scaled_dot_product_attention(attn::sdpa_unscaled),
            "scale is missing"
        ),
        variant!(
            "1.1.scaled_dot_product_attention",
            check_scaled_dot_product_attention(attn::sdpa_ignore_mask),
            "pass `mask`"
        ),
        variant!(
            "1.1.scaled_dot_product_attention",
            check_scaled_dot_product_attention(attn::sdpa_through_vec),
            TAPE_DROPPED
        ),
        variant!(
            "1.1.split_heads",
            check_split_heads(attn::split_heads_no_permute),
            "reshaped straight to (B, H, S, D)"
        ),
        variant!("1.1.split_heads", check_split_heads(attn::split_heads_through_vec), TAPE_DROPPED),
        variant!(
            "1.1.merge_heads",
            check_merge_heads(attn::merge_heads_no_permute),
            "reshaped straight to (B, S, H·D)"
        ),
        variant!("1.1.merge_heads", check_merge_heads(attn::merge_heads_through_vec), TAPE_DROPPED),
        // §1.2
        variant!(
            "1.2.dot_product_variance",
            check_dot_product_variance(score_scaling::variance_over_n),
            "you divided by N = 4"
        ),
        variant!(
            "1.2.dot_product_variance",
            check_dot_product_variance(score_scaling::variance_of_products),
            "variance of the individual products"
        ),
        variant!(
            "1.2.softmax_jacobian_norm",
            check_softmax_jacobian_norm(score_scaling::jacobian_diagonal_only),
            "only the diagonal entries"
        ),
        variant!(
            "1.2.softmax_jacobian_norm",
            check_softmax_jacobian_norm(score_scaling::jacobian_unstable),
            "exp overflowed"
        ),
        // §1.3
        variant!(
            "1.3.sinusoidal_table",
            check_sinusoidal_table(pos::table_sin_cos_swapped),
            "sine and cosine are swapped"
        ),
        variant!(
            "1.3.sinusoidal_table",
            check_sinusoidal_table(pos::table_exponent_i_over_d),
            "you used ω_i = 10000^(−i/d)"
        ),
        variant!(
            "1.3.permute_tokens",
            check_permute_tokens(pos::permute_tokens_scatter),
            "You applied the inverse permutation"
        ),
        variant!(
            "1.3.permute_tokens",
            check_permute_tokens(pos::permute_tokens_not_moved_back),
            "the token axis was never moved back"
        ),
        variant!(
            "1.3.permute_tokens",
            check_permute_tokens(pos::permute_tokens_through_vec),
            TAPE_DROPPED
        ),
        // §1.4
        variant!(
            "1.4.rope_frequencies",
            check_rope_frequencies(rope::frequencies_i_over_d),
            "You used θ_i = base^(−i/d)"
        ),
        variant!(
            "1.4.rope_frequencies",
            check_rope_frequencies(rope::frequencies_one_per_feature),
            "so there are d/2"
        ),
        variant!(
            "1.4.rope_frequencies",
            check_rope_frequencies(rope::frequencies_sign_flipped),
            "The exponent's sign is flipped"
        ),
        variant!("1.4.apply_rope", check_apply_rope(rope::rope_rotate_half), "rotate_half layout"),
        variant!("1.4.apply_rope", check_apply_rope(rope::rope_wrong_sign), "turned by −mθ_i"),
        variant!(
            "1.4.apply_rope",
            check_apply_rope(rope::rope_ignores_offset),
            "the positions ignore `offset`"
        ),
        variant!("1.4.apply_rope", check_apply_rope(rope::rope_through_vec), TAPE_DROPPED),
        // §1.5
        variant!(
            "1.5.alibi_slopes",
            check_alibi_slopes(alibi::slopes_halving),
            "right only for 8 heads"
        ),
        variant!(
            "1.5.alibi_slopes",
            check_alibi_slopes(alibi::slopes_geometric_for_any_n),
            "is not a power of two"
        ),
        variant!("1.5.alibi_bias", check_alibi_bias(alibi::bias_not_causal), "ALiBi is causal"),
        variant!("1.5.alibi_bias", check_alibi_bias(alibi::bias_positive), "the sign is flipped"),
        // §1.6
        variant!(
            "1.6.interpolate_positions",
            check_interpolate_positions(rope_scaling::pi_multiplies_by_target_over_train),
            "You multiplied by L′/L"
        ),
        variant!(
            "1.6.interpolate_positions",
            check_interpolate_positions(rope_scaling::pi_integer_division),
            "done in integers"
        ),
        variant!(
            "1.6.ntk_scaled_base",
            check_ntk_scaled_base(rope_scaling::ntk_exponent_one),
            "the exponent d/(d−2) = 1.0323 is missing"
        ),
        variant!(
            "1.6.ntk_scaled_base",
            check_ntk_scaled_base(rope_scaling::ntk_exponent_inverted),
            "The exponent is inverted"
        ),
        // §1.7
        variant!(
            "1.7.pre_norm_block",
            check_pre_norm_block(residual_norm::pre_norm_as_post_norm),
            "which is Post-Norm"
        ),
        variant!(
            "1.7.pre_norm_block",
            check_pre_norm_block(residual_norm::pre_norm_normalises_the_stream),
            "the residual stream was normalised too"
        ),
        variant!(
            "1.7.pre_norm_block",
            check_pre_norm_block(residual_norm::pre_norm_through_vec),
            TAPE_DROPPED
        ),
        variant!(
            "1.7.pre_norm_block",
            check_pre_norm_block(residual_norm::pre_norm_branch_detached),
            "the gradient is not"
        ),
        variant!(
            "1.7.post_norm_block",
            check_post_norm_block(residual_norm::post_norm_as_pre_norm),
            "which is Pre-Norm"
        ),
        variant!(
            "1.7.post_norm_block",
            check_post_norm_block(residual_norm::post_norm_through_vec),
            TAPE_DROPPED
        ),
        // §1.8
        variant!(
            "1.8.layer_norm",
            check_layer_norm(norm::layer_norm_over_batch),
            "that is BatchNorm"
        ),
        variant!(
            "1.8.layer_norm",
            check_layer_norm(norm::layer_norm_unbiased),
            "you used the unbiased variance"
        ),
        variant!("1.8.layer_norm", check_layer_norm(norm::layer_norm_through_vec), TAPE_DROPPED),
        variant!("1.8.rms_norm", check_rms_norm(norm::rms_norm_centred), "RMSNorm does not centre"),
        variant!(
            "1.8.rms_norm",
            check_rms_norm(norm::rms_norm_over_batch),
            "the mean of x² was taken over the batch"
        ),
        variant!(
            "1.8.rms_norm",
            check_rms_norm(norm::rms_norm_eps_outside),
            "ε was added to the root mean square"
        ),
        variant!("1.8.rms_norm", check_rms_norm(norm::rms_norm_through_vec), TAPE_DROPPED),
        variant!(
            "1.8.batch_norm_train",
            check_batch_norm_train(norm::batch_norm_biased_running_var),
            "fed the biased batch variance"
        ),
        variant!(
            "1.8.batch_norm_train",
            check_batch_norm_train(norm::batch_norm_momentum_reversed),
            "The momentum weights the new batch"
        ),
        variant!(
            "1.8.batch_norm_train",
            check_batch_norm_train(norm::batch_norm_running_per_sample),
            "expected 1 running means, got 2"
        ),
        variant!(
            "1.8.batch_norm_train",
            check_batch_norm_train(norm::batch_norm_through_vec),
            TAPE_DROPPED
        ),
        // §1.9
        variant!(
            "1.9.sgd_momentum_step",
            check_sgd_momentum_step(opt::sgd_dampened),
            "You averaged"
        ),
        variant!(
            "1.9.sgd_momentum_step",
            check_sgd_momentum_step(opt::sgd_step_before_velocity),
            "You stepped with the old velocity"
        ),
        variant!(
            "1.9.adam_step",
            check_adam_step(opt::adam_no_bias_correction),
            "Adam without bias correction"
        ),
        variant!(
            "1.9.adam_step",
            check_adam_step(opt::adam_eps_inside_sqrt),
            "ε went inside the square root"
        ),
        variant!("1.9.adam_step", check_adam_step(opt::adam_decay_decoupled), "that is AdamW"),
        variant!(
            "1.9.adamw_step",
            check_adamw_step(opt::adamw_decay_through_gradient),
            "the decay went through the gradient"
        ),
        variant!(
            "1.9.adamw_step",
            check_adamw_step(opt::adamw_decay_without_lr),
            "not multiplied by the learning rate"
        ),
    ]
}
