//! The graded suites (评测), written once and run three ways.
//!
//! Each exercise has a `check_*` function that takes the implementation under test as a
//! value and returns `Ok(())` or a [`Failure`] whose message says what is wrong, by how
//! much, and the likely cause. The same function runs
//! 1. against the library (`solutions`), where it must pass;
//! 2. against the pristine stubs generated from the library, where it must fail;
//! 3. against plausible wrong implementations, where it must fail with the message meant
//!    for that mistake (the table in `wrong/table/`, at least two per exercise).
//!
//! Every comparison checks the length and shape before the values ([`compare`]), and where
//! the output is differentiable the check also grades the gradient ([`gradient`]), so that
//! values copied off the tape do not pass.
//!
//! All three are proven by this crate's own tests (`cargo test` at the root). Learners run
//! the same checks on their own code through `exercises/tests/grade.rs`.

pub mod applications;
pub mod architectures;
pub mod compare;
pub mod foundations;
pub mod gradient;
pub mod inference;
pub mod nlp;
pub mod report;
pub mod training;

pub use report::{grade, Failure, Outcome};

/// The result of one check.
pub type Check = Result<(), Failure>;

/// Calls `$callback!(krate, test_name, "id", module::path, item, check)` once per exercise,
/// where `krate` is the implementation under test (`solutions`, `exercises`, or a module
/// holding stubs or wrong variants). This list binds each exercise id to its check.
#[macro_export]
macro_rules! for_each_exercise {
    ($callback:ident, $krate:ident) => {
        $callback!(
            $krate,
            ex_1_1_attention_weights,
            "1.1.attention_weights",
            foundations::self_attention,
            attention_weights,
            check_attention_weights
        );
        $callback!(
            $krate,
            ex_1_1_scaled_dot_product_attention,
            "1.1.scaled_dot_product_attention",
            foundations::self_attention,
            scaled_dot_product_attention,
            check_scaled_dot_product_attention
        );
        $callback!(
            $krate,
            ex_1_1_split_heads,
            "1.1.split_heads",
            foundations::self_attention,
            split_heads,
            check_split_heads
        );
        $callback!(
            $krate,
            ex_1_1_merge_heads,
            "1.1.merge_heads",
            foundations::self_attention,
            merge_heads,
            check_merge_heads
        );
        $callback!(
            $krate,
            ex_1_2_dot_product_variance,
            "1.2.dot_product_variance",
            foundations::score_scaling,
            dot_product_variance,
            check_dot_product_variance
        );
        $callback!(
            $krate,
            ex_1_2_softmax_jacobian_norm,
            "1.2.softmax_jacobian_norm",
            foundations::score_scaling,
            softmax_jacobian_norm,
            check_softmax_jacobian_norm
        );
        $callback!(
            $krate,
            ex_1_3_sinusoidal_table,
            "1.3.sinusoidal_table",
            foundations::positional_encoding,
            sinusoidal_table,
            check_sinusoidal_table
        );
        $callback!(
            $krate,
            ex_1_3_permute_tokens,
            "1.3.permute_tokens",
            foundations::positional_encoding,
            permute_tokens,
            check_permute_tokens
        );
        $callback!(
            $krate,
            ex_1_4_rope_frequencies,
            "1.4.rope_frequencies",
            foundations::rope,
            rope_frequencies,
            check_rope_frequencies
        );
        $callback!(
            $krate,
            ex_1_4_apply_rope,
            "1.4.apply_rope",
            foundations::rope,
            apply_rope,
            check_apply_rope
        );
        $callback!(
            $krate,
            ex_1_5_alibi_slopes,
            "1.5.alibi_slopes",
            foundations::alibi,
            alibi_slopes,
            check_alibi_slopes
        );
        $callback!(
            $krate,
            ex_1_5_alibi_bias,
            "1.5.alibi_bias",
            foundations::alibi,
            alibi_bias,
            check_alibi_bias
        );
        $callback!(
            $krate,
            ex_1_6_interpolate_positions,
            "1.6.interpolate_positions",
            foundations::rope_scaling,
            interpolate_positions,
            check_interpolate_positions
        );
        $callback!(
            $krate,
            ex_1_6_ntk_scaled_base,
            "1.6.ntk_scaled_base",
            foundations::rope_scaling,
            ntk_scaled_base,
            check_ntk_scaled_base
        );
        $callback!(
            $krate,
            ex_1_7_pre_norm_block,
            "1.7.pre_norm_block",
            foundations::residual_norm,
            pre_norm_block,
            check_pre_norm_block
        );
        $callback!(
            $krate,
            ex_1_7_post_norm_block,
            "1.7.post_norm_block",
            foundations::residual_norm,
            post_norm_block,
            check_post_norm_block
        );
        $callback!(
            $krate,
            ex_1_8_layer_norm,
            "1.8.layer_norm",
            foundations::normalization,
            layer_norm,
            check_layer_norm
        );
        $callback!(
            $krate,
            ex_1_8_rms_norm,
            "1.8.rms_norm",
            foundations::normalization,
            rms_norm,
            check_rms_norm
        );
        $callback!(
            $krate,
            ex_1_8_batch_norm_train,
            "1.8.batch_norm_train",
            foundations::normalization,
            batch_norm_train,
            check_batch_norm_train
        );
        $callback!(
            $krate,
            ex_1_9_sgd_momentum_step,
            "1.9.sgd_momentum_step",
            foundations::optimizers,
            sgd_momentum_step,
            check_sgd_momentum_step
        );
        $callback!(
            $krate,
            ex_1_9_adam_step,
            "1.9.adam_step",
            foundations::optimizers,
            adam_step,
            check_adam_step
        );
        $callback!(
            $krate,
            ex_1_9_adamw_step,
            "1.9.adamw_step",
            foundations::optimizers,
            adamw_step,
            check_adamw_step
        );
        $callback!(
            $krate,
            ex_2_1_word_vocab,
            "2.1.word_vocab",
            nlp::tokenization,
            word_vocab,
            check_word_vocab
        );
        $callback!(
            $krate,
            ex_2_1_oov_rate,
            "2.1.oov_rate",
            nlp::tokenization,
            oov_rate,
            check_oov_rate
        );
        $callback!(
            $krate,
            ex_2_2_pair_counts,
            "2.2.pair_counts",
            nlp::bpe,
            pair_counts,
            check_pair_counts
        );
        $callback!(
            $krate,
            ex_2_2_merge_pair,
            "2.2.merge_pair",
            nlp::bpe,
            merge_pair,
            check_merge_pair
        );
        $callback!($krate, ex_2_2_train_bpe, "2.2.train_bpe", nlp::bpe, train_bpe, check_train_bpe);
        $callback!(
            $krate,
            ex_2_2_bpe_encode,
            "2.2.bpe_encode",
            nlp::bpe,
            bpe_encode,
            check_bpe_encode
        );
        $callback!(
            $krate,
            ex_2_3_wordpiece_score,
            "2.3.wordpiece_score",
            nlp::wordpiece,
            wordpiece_score,
            check_wordpiece_score
        );
        $callback!(
            $krate,
            ex_2_3_wordpiece_encode,
            "2.3.wordpiece_encode",
            nlp::wordpiece,
            wordpiece_encode,
            check_wordpiece_encode
        );
        $callback!(
            $krate,
            ex_2_4_utf8_byte_len,
            "2.4.utf8_byte_len",
            nlp::byte_level,
            utf8_byte_len,
            check_utf8_byte_len
        );
        $callback!(
            $krate,
            ex_2_4_compression_ratio,
            "2.4.compression_ratio",
            nlp::byte_level,
            compression_ratio,
            check_compression_ratio
        );
        $callback!(
            $krate,
            ex_2_5_mask_tokens,
            "2.5.mask_tokens",
            nlp::bert_data,
            mask_tokens,
            check_mask_tokens
        );
        $callback!(
            $krate,
            ex_2_5_nsp_pairs,
            "2.5.nsp_pairs",
            nlp::bert_data,
            nsp_pairs,
            check_nsp_pairs
        );
        $callback!(
            $krate,
            ex_2_6_perplexity,
            "2.6.perplexity",
            nlp::perplexity,
            perplexity,
            check_perplexity
        );
        $callback!(
            $krate,
            ex_2_6_token_log_probs,
            "2.6.token_log_probs",
            nlp::perplexity,
            token_log_probs,
            check_token_log_probs
        );
        $callback!(
            $krate,
            ex_2_6_bits_per_char,
            "2.6.bits_per_char",
            nlp::perplexity,
            bits_per_char,
            check_bits_per_char
        );
        $callback!(
            $krate,
            ex_3_1_causal_mask,
            "3.1.causal_mask",
            architectures::lm_masks,
            causal_mask,
            check_causal_mask
        );
        $callback!(
            $krate,
            ex_3_1_prefix_lm_mask,
            "3.1.prefix_lm_mask",
            architectures::lm_masks,
            prefix_lm_mask,
            check_prefix_lm_mask
        );
        $callback!(
            $krate,
            ex_3_2_gpt_param_count,
            "3.2.gpt_param_count",
            architectures::param_count,
            gpt_param_count,
            check_gpt_param_count
        );
        $callback!(
            $krate,
            ex_3_2_block_forward,
            "3.2.block_forward",
            architectures::param_count,
            block_forward,
            check_block_forward
        );
        $callback!(
            $krate,
            ex_3_3_repeat_kv,
            "3.3.repeat_kv",
            architectures::gqa,
            repeat_kv,
            check_repeat_kv
        );
        $callback!($krate, ex_3_3_swiglu, "3.3.swiglu", architectures::gqa, swiglu, check_swiglu);
        $callback!(
            $krate,
            ex_3_3_kv_cache_bytes_per_token,
            "3.3.kv_cache_bytes_per_token",
            architectures::gqa,
            kv_cache_bytes_per_token,
            check_kv_cache_bytes_per_token
        );
        $callback!(
            $krate,
            ex_3_5_lr_at_step,
            "3.5.lr_at_step",
            training::data_loader,
            lr_at_step,
            check_lr_at_step
        );
        $callback!(
            $krate,
            ex_3_5_clip_grad_norm,
            "3.5.clip_grad_norm",
            training::data_loader,
            clip_grad_norm,
            check_clip_grad_norm
        );
        $callback!(
            $krate,
            ex_3_5_get_batch,
            "3.5.get_batch",
            training::data_loader,
            get_batch,
            check_get_batch
        );
        $callback!(
            $krate,
            ex_4_1_model_state_bytes,
            "4.1.model_state_bytes",
            training::memory,
            model_state_bytes,
            check_model_state_bytes
        );
        $callback!(
            $krate,
            ex_4_1_zero_bytes_per_device,
            "4.1.zero_bytes_per_device",
            training::memory,
            zero_bytes_per_device,
            check_zero_bytes_per_device
        );
        $callback!(
            $krate,
            ex_4_2_ring_allreduce,
            "4.2.ring_allreduce",
            training::ring_allreduce,
            ring_allreduce,
            check_ring_allreduce
        );
        $callback!(
            $krate,
            ex_4_3_column_parallel,
            "4.3.column_parallel",
            training::tensor_parallel,
            column_parallel,
            check_column_parallel
        );
        $callback!(
            $krate,
            ex_4_3_row_parallel,
            "4.3.row_parallel",
            training::tensor_parallel,
            row_parallel,
            check_row_parallel
        );
        $callback!(
            $krate,
            ex_4_4_bubble_fraction,
            "4.4.bubble_fraction",
            training::pipeline,
            bubble_fraction,
            check_bubble_fraction
        );
        $callback!(
            $krate,
            ex_4_4_one_f_one_b_schedule,
            "4.4.one_f_one_b_schedule",
            training::pipeline,
            one_f_one_b_schedule,
            check_one_f_one_b_schedule
        );
        $callback!($krate, ex_4_6_pack, "4.6.pack", training::sft_data, pack, check_pack);
        $callback!(
            $krate,
            ex_4_6_multi_turn_labels,
            "4.6.multi_turn_labels",
            training::sft_data,
            multi_turn_labels,
            check_multi_turn_labels
        );
        $callback!(
            $krate,
            ex_4_6_minhash,
            "4.6.minhash",
            training::sft_data,
            minhash,
            check_minhash
        );
        $callback!(
            $krate,
            ex_4_7_to_bf16,
            "4.7.to_bf16",
            training::number_formats,
            to_bf16,
            check_to_bf16
        );
        $callback!(
            $krate,
            ex_4_7_from_bf16,
            "4.7.from_bf16",
            training::number_formats,
            from_bf16,
            check_from_bf16
        );
        $callback!(
            $krate,
            ex_4_9_dpo_loss,
            "4.9.dpo_loss",
            training::dpo,
            dpo_loss,
            check_dpo_loss
        );
        $callback!(
            $krate,
            ex_5_1_softmax_with_temperature,
            "5.1.softmax_with_temperature",
            inference::temperature,
            softmax_with_temperature,
            check_softmax_with_temperature
        );
        $callback!(
            $krate,
            ex_5_2_beam_step,
            "5.2.beam_step",
            inference::beam_search,
            beam_step,
            check_beam_step
        );
        $callback!(
            $krate,
            ex_5_2_finished_score,
            "5.2.finished_score",
            inference::beam_search,
            finished_score,
            check_finished_score
        );
        $callback!(
            $krate,
            ex_5_3_top_k_filter,
            "5.3.top_k_filter",
            inference::truncation,
            top_k_filter,
            check_top_k_filter
        );
        $callback!(
            $krate,
            ex_5_3_top_p_filter,
            "5.3.top_p_filter",
            inference::truncation,
            top_p_filter,
            check_top_p_filter
        );
        $callback!(
            $krate,
            ex_5_4_apply_repetition_penalty,
            "5.4.apply_repetition_penalty",
            inference::repetition,
            apply_repetition_penalty,
            check_apply_repetition_penalty
        );
        $callback!(
            $krate,
            ex_5_4_banned_tokens,
            "5.4.banned_tokens",
            inference::repetition,
            banned_tokens,
            check_banned_tokens
        );
        $callback!(
            $krate,
            ex_5_5_attend_with_cache,
            "5.5.attend_with_cache",
            inference::kv_cache,
            attend_with_cache,
            check_attend_with_cache
        );
        $callback!(
            $krate,
            ex_6_1_render_template,
            "6.1.render_template",
            applications::prompts,
            render_template,
            check_render_template
        );
        $callback!(
            $krate,
            ex_6_1_parse_list,
            "6.1.parse_list",
            applications::prompts,
            parse_list,
            check_parse_list
        );
    };
}

/// The ids [`for_each_exercise!`] knows, to check them against `exercises/info.toml`.
pub fn exercise_ids() -> Vec<&'static str> {
    let mut ids = vec![];
    macro_rules! id {
        ($krate:ident, $test:ident, $id:literal, $($rest:tt)*) => {
            ids.push($id)
        };
    }
    for_each_exercise!(id, unused);
    ids
}

/// One `#[test]` that grades one exercise of `$krate`; used by `exercises/tests/grade.rs`.
///
/// Before running the check it reads the learner's file (`src/<module>.rs` of the crate
/// being tested) and fails the exercise if its `fn` calls the library's code (see
/// `stubgen::library_calls`): the crate using this macro needs `stubgen` as a
/// dev-dependency.
#[macro_export]
macro_rules! grade_test {
    ($krate:ident, $test:ident, $id:literal, $($module:ident)::+, $item:ident, $check:ident) => {
        #[test]
        fn $test() {
            // Read at run time, so that `cargo course grade` scans the copy it grades.
            let file = ::std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("src")
                .join([$(stringify!($module)),+].join("/") + ".rs");
            let calls = ::stubgen::library_calls(
                &file,
                stringify!($item),
                $crate::report::library_source_dir(),
            );
            let outcome = $crate::report::grade_own_code($id, calls, || {
                $crate::$($module)::+::$check($krate::$($module)::+::$item)
            });
            if let Some(message) = outcome.failure() {
                panic!("\n{message}\n");
            }
        }
    };
}

#[cfg(test)]
#[allow(unused_variables, dead_code, clippy::all)]
mod pristine {
    include!(concat!(env!("OUT_DIR"), "/pristine.rs"));
}

#[cfg(test)]
mod proofs;
#[cfg(test)]
mod wrong;
