//! Chapter 1: each wrong variant is rejected with the message meant for its mistake.

use super::rejects;
use crate::wrong::foundations as wrong;

mod self_attention {
    use super::*;
    use crate::foundations::self_attention::*;
    use wrong::self_attention as wrong;

    #[test]
    fn attention_weights_rejects_the_known_mistakes() {
        rejects(check_attention_weights(wrong::weights_unscaled), "the 1/√d_k factor is missing");
        rejects(check_attention_weights(wrong::weights_one_over_dk), "you scaled by 1/d_k");
        rejects(
            check_attention_weights(wrong::weights_scaled_after_softmax),
            "applied after the softmax",
        );
        rejects(
            check_attention_weights(wrong::weights_softmax_over_queries),
            "over the query axis",
        );
        rejects(check_attention_weights(wrong::weights_ignore_mask), "which the mask forbids");
        rejects(
            check_attention_weights(wrong::weights_mask_after_softmax),
            "The mask belongs before the softmax",
        );
    }

    #[test]
    fn scaled_dot_product_attention_rejects_the_known_mistakes() {
        rejects(check_scaled_dot_product_attention(wrong::sdpa_unscaled), "scale is missing");
        rejects(check_scaled_dot_product_attention(wrong::sdpa_ignore_mask), "pass `mask`");
    }

    #[test]
    fn head_split_and_merge_reject_a_missing_permute() {
        rejects(
            check_split_heads(wrong::split_heads_no_permute),
            "reshaped straight to (B, H, S, D)",
        );
        rejects(
            check_merge_heads(wrong::merge_heads_no_permute),
            "reshaped straight to (B, S, H·D)",
        );
    }
}

#[test]
fn score_scaling_rejects_the_known_mistakes() {
    use crate::foundations::score_scaling::*;
    use wrong::score_scaling::*;
    rejects(check_dot_product_variance(variance_over_n), "you divided by N = 4");
    rejects(
        check_dot_product_variance(variance_of_products),
        "variance of the individual products",
    );
    rejects(check_softmax_jacobian_norm(jacobian_diagonal_only), "only the diagonal entries");
    rejects(check_softmax_jacobian_norm(jacobian_unstable), "exp overflowed");
}

#[test]
fn positional_encoding_rejects_the_known_mistakes() {
    use crate::foundations::positional_encoding::*;
    use wrong::positional_encoding::*;
    rejects(check_sinusoidal_table(table_sin_cos_swapped), "sine and cosine are swapped");
    rejects(check_sinusoidal_table(table_exponent_i_over_d), "ω_i = 10000^(−i/d)");
    rejects(check_permute_tokens(permute_tokens_scatter), "You applied the inverse permutation");
}

#[test]
fn rope_rejects_the_known_mistakes() {
    use crate::foundations::rope::*;
    use wrong::rope::*;
    rejects(check_rope_frequencies(frequencies_i_over_d), "You used θ_i = base^(−i/d)");
    rejects(check_apply_rope(rope_rotate_half), "rotate_half layout");
    rejects(check_apply_rope(rope_wrong_sign), "turned by −mθ_i");
    rejects(check_apply_rope(rope_ignores_offset), "the positions ignore `offset`");
}

#[test]
fn alibi_rejects_the_known_mistakes() {
    use crate::foundations::alibi::*;
    use wrong::alibi::*;
    rejects(check_alibi_slopes(slopes_halving), "right only for 8 heads");
    rejects(check_alibi_slopes(slopes_geometric_for_any_n), "is not a power of two");
    rejects(check_alibi_bias(bias_not_causal), "ALiBi is causal");
    rejects(check_alibi_bias(bias_positive), "the sign is flipped");
}

#[test]
fn rope_scaling_rejects_the_known_mistakes() {
    use crate::foundations::rope_scaling::*;
    use wrong::rope_scaling::*;
    rejects(
        check_interpolate_positions(pi_multiplies_by_target_over_train),
        "You multiplied by L′/L",
    );
    rejects(check_interpolate_positions(pi_integer_division), "done in integers");
    rejects(check_ntk_scaled_base(ntk_exponent_one), "the exponent d/(d−2) = 1.0323 is missing");
}

#[test]
fn residual_norm_rejects_the_known_mistakes() {
    use crate::foundations::residual_norm::*;
    use wrong::residual_norm::*;
    rejects(check_post_norm_block(post_norm_as_pre_norm), "which is Pre-Norm");
    rejects(check_pre_norm_block(pre_norm_as_post_norm), "which is Post-Norm");
    rejects(
        check_pre_norm_block(pre_norm_normalises_the_stream),
        "the residual stream was normalised too",
    );
}

#[test]
fn normalization_rejects_the_known_mistakes() {
    use crate::foundations::normalization::*;
    use wrong::normalization::*;
    rejects(check_layer_norm(layer_norm_over_batch), "that is BatchNorm");
    rejects(check_layer_norm(layer_norm_unbiased), "you used the unbiased variance");
    rejects(check_rms_norm(rms_norm_centred), "RMSNorm does not centre");
    rejects(check_batch_norm_train(batch_norm_biased_running_var), "fed the biased batch variance");
    rejects(
        check_batch_norm_train(batch_norm_momentum_reversed),
        "The momentum weights the new batch",
    );
}

#[test]
fn optimizers_reject_the_known_mistakes() {
    use crate::foundations::optimizers::*;
    use wrong::optimizers::*;
    rejects(check_sgd_momentum_step(sgd_dampened), "You averaged");
    rejects(check_sgd_momentum_step(sgd_step_before_velocity), "You stepped with the old velocity");
    rejects(check_adam_step(adam_no_bias_correction), "Adam without bias correction");
    rejects(check_adamw_step(adamw_decay_through_gradient), "the decay went through the gradient");
    rejects(check_adamw_step(adamw_decay_without_lr), "not multiplied by the learning rate");
}
