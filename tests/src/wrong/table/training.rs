//! Chapter 4's wrong variants, with the check each runs and the fragment meant for it.

use super::{variant, Variant};
use crate::training::dpo::*;
use crate::training::memory::*;
use crate::training::number_formats::*;
use crate::training::peft::*;
use crate::training::pipeline::*;
use crate::training::ppo::*;
use crate::training::ring_allreduce::*;
use crate::training::sft_data::*;
use crate::training::tensor_parallel::*;
use crate::wrong::dpo;
use crate::wrong::memory as mem;
use crate::wrong::number_formats as nf;
use crate::wrong::peft as lora;
use crate::wrong::pipeline as pp;
use crate::wrong::ppo;
use crate::wrong::ring_allreduce as ring;
use crate::wrong::sft_data as sft;
use crate::wrong::soft_prompt as sp;
use crate::wrong::tensor_parallel as tp;

/// §4.1 to §4.9.
pub fn variants() -> Vec<Variant> {
    vec![
        // §4.1
        variant!(
            "4.1.model_state_bytes",
            check_model_state_bytes(mem::state_no_master_copy),
            "master copy of the weights"
        ),
        variant!(
            "4.1.model_state_bytes",
            check_model_state_bytes(mem::state_fp16_only),
            "counts only the fp16"
        ),
        variant!(
            "4.1.zero_bytes_per_device",
            check_zero_bytes_per_device(mem::zero_all_partitioned),
            "everything was divided by N"
        ),
        variant!(
            "4.1.zero_bytes_per_device",
            check_zero_bytes_per_device(mem::zero_stages_swapped),
            "that is the answer for"
        ),
        // §4.2
        variant!(
            "4.2.ring_allreduce",
            check_ring_allreduce(ring::ring_gather_only),
            "without reducing them first"
        ),
        variant!("4.2.ring_allreduce", check_ring_allreduce(ring::ring_always_sum), "you summed"),
        variant!(
            "4.2.ring_allreduce",
            check_ring_allreduce(ring::all_to_all),
            "whole buffer to every other rank"
        ),
        // §4.3
        variant!(
            "4.3.column_parallel",
            check_column_parallel(tp::column_on_rows),
            "that is the row split"
        ),
        variant!(
            "4.3.column_parallel",
            check_column_parallel(tp::column_ignores_rank),
            "every rank returned rank 0's block"
        ),
        variant!(
            "4.3.column_parallel",
            check_column_parallel(tp::column_off_tape),
            "keep x's tape"
        ),
        variant!(
            "4.3.row_parallel",
            check_row_parallel(tp::row_without_all_reduce),
            "without the all-reduce"
        ),
        variant!(
            "4.3.row_parallel",
            check_row_parallel(tp::row_bias_on_every_rank),
            "the bias was counted"
        ),
        variant!("4.3.row_parallel", check_row_parallel(tp::row_off_tape), "must stay on the tape"),
        // §4.4
        variant!(
            "4.4.bubble_fraction",
            check_bubble_fraction(pp::bubble_over_useful),
            "ratio to the *useful* time"
        ),
        variant!(
            "4.4.bubble_fraction",
            check_bubble_fraction(pp::bubble_integer_division),
            "integer division"
        ),
        variant!(
            "4.4.one_f_one_b_schedule",
            check_one_f_one_b_schedule(pp::one_f_one_b_early_backward),
            "before the warm-up ended"
        ),
        variant!(
            "4.4.one_f_one_b_schedule",
            check_one_f_one_b_schedule(pp::one_f_one_b_gpipe),
            "GPipe's schedule"
        ),
        variant!(
            "4.4.one_f_one_b_schedule",
            check_one_f_one_b_schedule(pp::one_f_one_b_unclamped),
            "clamp the warm-up to m"
        ),
        // §4.5
        variant!("4.5.soft_prompt", check_soft_prompt(sp::soft_prompt_appended), "*prepends*"),
        variant!("4.5.soft_prompt", check_soft_prompt(sp::soft_prompt_unshifted), "got none"),
        variant!(
            "4.5.soft_prompt",
            check_soft_prompt(sp::soft_prompt_traced_table),
            "received a gradient"
        ),
        variant!(
            "4.5.soft_prompt",
            check_soft_prompt(sp::soft_prompt_through_vec),
            "the tape was dropped"
        ),
        // §4.6
        variant!("4.6.pack", check_pack(sft::pack_running_positions), "positions run on"),
        variant!("4.6.pack", check_pack(sft::pack_boundary_labelled), "first token is labelled"),
        variant!("4.6.pack", check_pack(sft::pack_next_fit), "you packed in order"),
        variant!(
            "4.6.multi_turn_labels",
            check_multi_turn_labels(sft::labels_on_user_turns),
            "the user's turn is trained"
        ),
        variant!(
            "4.6.multi_turn_labels",
            check_multi_turn_labels(sft::labels_without_im_end),
            "never learns to stop"
        ),
        variant!(
            "4.6.multi_turn_labels",
            check_multi_turn_labels(sft::labels_with_headers),
            "given to the model, not"
        ),
        variant!(
            "4.6.multi_turn_labels",
            check_multi_turn_labels(sft::labels_last_only),
            "every assistant turn is trained"
        ),
        variant!("4.6.minhash", check_minhash(sft::minhash_one_permutation), "one permutation"),
        variant!("4.6.minhash", check_minhash(sft::minhash_wrapping), "overflowed 64 bits"),
        variant!("4.6.minhash", check_minhash(sft::minhash_max), "the maximum"),
        // §4.5
        variant!(
            "4.5.lora_forward",
            check_lora_forward(lora::lora_forward_unscaled),
            "is not scaled"
        ),
        variant!(
            "4.5.lora_forward",
            check_lora_forward(lora::lora_forward_alpha_only),
            "by α, not α/r"
        ),
        variant!(
            "4.5.lora_forward",
            check_lora_forward(lora::lora_forward_swapped),
            "swapped roles"
        ),
        variant!("4.5.lora_forward", check_lora_forward(lora::lora_forward_no_base), "is missing"),
        variant!(
            "4.5.lora_forward",
            check_lora_forward(lora::lora_forward_through_vec),
            "the tape was dropped"
        ),
        variant!(
            "4.5.lora_merge",
            check_lora_merge(lora::lora_merge_untransposed),
            "without its transpose"
        ),
        variant!("4.5.lora_merge", check_lora_merge(lora::lora_merge_unscaled), "is not scaled"),
        variant!("4.5.lora_merge", check_lora_merge(lora::lora_merge_base_only), "is unchanged"),
        // §4.7
        variant!("4.7.to_bf16", check_to_bf16(nf::to_bf16_truncate), "you truncated"),
        variant!("4.7.to_bf16", check_to_bf16(nf::to_bf16_ties_away), "rounded away from zero"),
        variant!("4.7.to_bf16", check_to_bf16(nf::to_bf16_nan_to_inf), "NaN became infinity"),
        variant!("4.7.from_bf16", check_from_bf16(nf::from_bf16_value), "the integer's value"),
        variant!("4.7.from_bf16", check_from_bf16(nf::from_bf16_no_shift), "into the low half"),
        variant!("4.7.from_bf16", check_from_bf16(nf::from_bf16_unsigned), "sign was lost"),
        // §4.8
        variant!("4.8.gae", check_gae(ppo::gae_bootstrap_last), "bootstrapped from its own"),
        variant!("4.8.gae", check_gae(ppo::gae_swapped), "γ and λ are swapped"),
        variant!("4.8.gae", check_gae(ppo::gae_forwards), "forwards"),
        variant!("4.8.gae", check_gae(ppo::gae_returns_are_advantages), "returns equal"),
        variant!("4.8.ppo_clip_loss", check_ppo_clip_loss(ppo::clip_min), "min of the negated"),
        variant!("4.8.ppo_clip_loss", check_ppo_clip_loss(ppo::clip_no_exp), "not exponentiated"),
        variant!(
            "4.8.ppo_clip_loss",
            check_ppo_clip_loss(ppo::clip_not_negated),
            "sign is flipped"
        ),
        variant!(
            "4.8.ppo_clip_loss",
            check_ppo_clip_loss(ppo::clip_through_vec),
            "the tape was dropped"
        ),
        variant!(
            "4.8.kl_penalized_rewards",
            check_kl_penalized_rewards(ppo::rewards_kl_sign),
            "wrong sign"
        ),
        variant!(
            "4.8.kl_penalized_rewards",
            check_kl_penalized_rewards(ppo::rewards_score_everywhere),
            "every token"
        ),
        variant!(
            "4.8.kl_penalized_rewards",
            check_kl_penalized_rewards(ppo::rewards_score_first),
            "first token"
        ),
        // §4.9
        variant!("4.9.dpo_loss", check_dpo_loss(dpo::dpo_no_reference), "reference model's"),
        variant!("4.9.dpo_loss", check_dpo_loss(dpo::dpo_swapped), "are swapped"),
        variant!("4.9.dpo_loss", check_dpo_loss(dpo::dpo_beta_outside), "outside the sigmoid"),
        variant!("4.9.dpo_loss", check_dpo_loss(dpo::dpo_sum_over_pairs), "summed over the pairs"),
        variant!("4.9.dpo_loss", check_dpo_loss(dpo::dpo_no_minus), "minus sign is missing"),
        variant!("4.9.dpo_loss", check_dpo_loss(dpo::dpo_sigmoid_then_ln), "is not finite"),
        variant!("4.9.dpo_loss", check_dpo_loss(dpo::dpo_through_vec), "the tape was dropped"),
    ]
}
