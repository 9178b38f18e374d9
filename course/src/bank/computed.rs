//! Numbers the question bank does not type in by hand: a numeric question with
//! `computed_by = "NAME"` names one of these computations, and a test evaluates it and
//! fails if the bank's `value` disagrees with the library.
//!
//! Add a computation here when a chapter's numeric answer can be derived from library
//! code (ZeRO memory, LoRA parameters, BN/LN parameter counts, ...).

use dfdx::prelude::*;
use solutions::architectures::kv_cache;
use solutions::architectures::param_count::{self, GPT2_SMALL};
use solutions::foundations::alibi::alibi_slopes;
use solutions::foundations::normalization::layer_norm_params;
use solutions::foundations::optimizers::state_floats_per_param;
use solutions::foundations::rope_scaling::{interpolate_positions, ntk_scaled_base};
use solutions::training::memory::ZeroStage;
use solutions::Dev;
use solutions::{applications, architectures, inference, nlp, training};

/// A named computation that a numeric question's answer must equal.
pub struct Computation {
    /// The name a bank entry gives in `computed_by`.
    pub name: &'static str,
    /// What it computes, for the book and for error messages.
    pub what: &'static str,
    pub compute: fn() -> f64,
}

/// Every computation a bank entry may name.
pub const ALL: &[Computation] = &[
    Computation {
        name: "mha_params_d512_h8",
        what: "trainable parameters of dfdx's `MultiHeadAttention<512, 8>`, biases included",
        compute: mha_params_d512_h8,
    },
    Computation {
        name: "bn_learnable_params_c64",
        what: "trainable parameters of dfdx's `BatchNorm1D<64>` (γ and β)",
        compute: bn_learnable_params_c64,
    },
    Computation {
        name: "bn_stored_numbers_c64",
        what: "numbers a `BatchNorm1D<64>` stores: γ, β, running mean and running variance",
        compute: bn_stored_numbers_c64,
    },
    Computation {
        name: "ln_params_d768",
        what: "trainable parameters of dfdx's `LayerNorm1D<768>`",
        compute: ln_params_d768,
    },
    Computation {
        name: "ln_params_3x4x5",
        what: "`normalization::layer_norm_params(&[3, 4, 5])`: a LayerNorm over a 3×4×5 map",
        compute: || layer_norm_params(&[3, 4, 5]) as f64,
    },
    Computation {
        name: "adam_state_floats_per_param",
        what: "`optimizers::state_floats_per_param(\"adam\")`",
        compute: || state_floats_per_param("adam").unwrap() as f64,
    },
    Computation {
        name: "sgd_momentum_state_floats_per_param",
        what: "`optimizers::state_floats_per_param(\"sgd_momentum\")`",
        compute: || state_floats_per_param("sgd_momentum").unwrap() as f64,
    },
    Computation {
        name: "alibi_slope_head1_of_8",
        what: "`alibi::alibi_slopes(8)[0]`, the slope of the first of 8 heads",
        compute: || alibi_slopes(8)[0] as f64,
    },
    Computation {
        name: "alibi_slope_head8_of_8",
        what: "`alibi::alibi_slopes(8)[7]`, the slope of the last of 8 heads",
        compute: || alibi_slopes(8)[7] as f64,
    },
    Computation {
        name: "pi_position_3000_of_8192_trained_2048",
        what: "`rope_scaling::interpolate_positions(3000, 2048, 8192)`",
        compute: || interpolate_positions(3000, 2048, 8192),
    },
    Computation {
        name: "ntk_base_10000_s4_d128",
        what: "`rope_scaling::ntk_scaled_base(10000.0, 4.0, 128)`",
        compute: || ntk_scaled_base(10000.0, 4.0, 128),
    },
    // Chapters 2–6: the library's formulas, with the inputs each question states.
    Computation {
        name: "utf8_bytes_dayuyanmoxing",
        what: "`nlp::byte_level::utf8_byte_len(\"大语言模型\")`",
        compute: || nlp::byte_level::utf8_byte_len("大语言模型") as f64,
    },
    Computation {
        name: "mlm_mask_count_512",
        what: "`nlp::bert_data::expected_mask_count(512)`: 512 × 15 % chosen × 80 % [MASK]",
        compute: || nlp::bert_data::expected_mask_count(512),
    },
    Computation {
        name: "mlm_mask_count_512_pair",
        what: "`nlp::bert_data::expected_mask_count(509)`: a 512-token pair less [CLS] and two \
               [SEP], × 15 % chosen × 80 % [MASK]",
        compute: || nlp::bert_data::expected_mask_count(512 - 3),
    },
    Computation {
        name: "perplexity_loss_2",
        what: "`nlp::perplexity::perplexity_from_loss(2.0)`",
        compute: || nlp::perplexity::perplexity_from_loss(2.0),
    },
    Computation {
        name: "uniform_loss_gpt2_vocab",
        what: "`nlp::perplexity::loss_from_perplexity(50257.0)`, the loss of a uniform model",
        compute: || nlp::perplexity::loss_from_perplexity(50257.0),
    },
    Computation {
        name: "uniform_loss_vocab_65",
        what: "`nlp::perplexity::loss_from_perplexity(65.0)`, the loss of a uniform model",
        compute: || nlp::perplexity::loss_from_perplexity(65.0),
    },
    Computation {
        name: "lsh_candidate_b20_r5_s05",
        what: "`training::minhash::s_curve(0.5, 20, 5)`: 1 − (1 − 0.5⁵)²⁰",
        compute: || training::minhash::s_curve(0.5, 20, 5),
    },
    Computation {
        name: "minhash_se_j05_n128",
        what: "`training::minhash::jaccard_std_error(0.5, 128)`: √(0.25/128)",
        compute: || training::minhash::jaccard_std_error(0.5, 128),
    },
    Computation {
        name: "gpt2_small_params",
        what: "`architectures::param_count::gpt_param_count` for GPT-2 small",
        compute: || architectures::param_count::gpt_param_count(GPT2_SMALL) as f64,
    },
    Computation {
        name: "gpt3_shape_params_billions",
        what: "`architectures::param_count::gpt_param_count` for GPT-3's shape, in billions",
        compute: gpt3_shape_params_billions,
    },
    Computation {
        name: "gpt2_small_alibi_params",
        what: "`gpt_param_count` of GPT-2 small's shape with `Positions::Alibi` (no table)",
        compute: gpt2_small_alibi_params,
    },
    Computation {
        name: "llama2_7b_params",
        what: "`architectures::param_count::llama_param_count` for Llama 2 7B",
        compute: llama2_7b_params,
    },
    Computation {
        name: "llama2_70b_kv_bytes_per_token",
        what: "`architectures::kv_cache::kv_cache_bytes_per_token(&LLAMA2_70B, 2)`",
        compute: || kv_cache::kv_cache_bytes_per_token(&param_count::LLAMA2_70B, 2) as f64,
    },
    Computation {
        name: "kv_cache_gib_llama2_7b_4096",
        what: "4096 × `architectures::kv_cache::kv_cache_bytes_per_token(&LLAMA2_7B, 2)` in GiB",
        compute: || {
            (4096 * kv_cache::kv_cache_bytes_per_token(&param_count::LLAMA2_7B, 2)) as f64 / GIB
        },
    },
    Computation {
        name: "kv_cache_kib_tiny_gpt_256",
        what: "`KvCache::bytes()` of the tiny GPT (4 layers, 4 heads, width 128) after \
               `forward_with_cache` on 256 tokens, in KiB",
        compute: || {
            let model = inference::generation_speed::bench_model(65, 256, 0);
            let mut cache = model.new_cache();
            model.forward_with_cache(&[1; 256], &mut cache);
            cache.bytes() as f64 / 1024.0
        },
    },
    Computation {
        name: "cached_mask_visible_keys_3_plus_5",
        what: "keys visible to new token 2 in `inference::kv_cache::cached_causal_mask(5, 8)`",
        compute: || {
            let mask = inference::kv_cache::cached_causal_mask(&Dev::default(), 5, 8).as_vec();
            mask[2 * 8..3 * 8].iter().filter(|&&m| m == 0.0).count() as f64
        },
    },
    Computation {
        name: "model_state_gb_gpt2_xl",
        what: "`training::memory::model_state_bytes(1.5e9)` in GB",
        compute: || training::memory::model_state_bytes(1.5e9) / GB,
    },
    Computation {
        name: "zero2_gb_7p5b_64",
        what: "`training::memory::zero_bytes_per_device(7.5e9, 64, Gradients)` in GB",
        compute: || training::memory::zero_bytes_per_device(7.5e9, 64, ZeroStage::Gradients) / GB,
    },
    Computation {
        name: "ring_gb_8_workers_2gb",
        what: "`training::ring_allreduce::ring_bytes_sent_per_worker(8, 2e9)` in GB",
        compute: || training::ring_allreduce::ring_bytes_sent_per_worker(8, 2e9) / GB,
    },
    Computation {
        name: "tp_layer_mb_n4_gpt2_small",
        what: "`ALL_REDUCES_PER_BLOCK` × `training::tensor_parallel::tp_bytes_per_all_reduce(8, \
               1024, 768, 4)` in MB",
        compute: || {
            use training::tensor_parallel::{tp_bytes_per_all_reduce, ALL_REDUCES_PER_BLOCK};
            ALL_REDUCES_PER_BLOCK as f64 * tp_bytes_per_all_reduce(8, 1024, 768, 4) / 1e6
        },
    },
    Computation {
        name: "fp16_max",
        what: "`training::number_formats::FP16.max()`",
        compute: || training::number_formats::FP16.max(),
    },
    Computation {
        name: "bubble_p4_m8",
        what: "`training::pipeline::bubble_fraction(4, 8)`",
        compute: || training::pipeline::bubble_fraction(4, 8),
    },
    Computation {
        name: "one_f_one_b_peak_p8_m32",
        what: "stage 0's peak of stored activations under 1F1B, p = 8, m = 32, measured by \
               `training::pipeline_clock::record`",
        compute: || {
            let schedule = training::pipeline::one_f_one_b_schedule;
            training::pipeline_clock::record(schedule, 8, 32).stages[0].peak_in_flight as f64
        },
    },
    Computation {
        name: "lora_llama2_7b_qv_r8",
        what: "2 × 32 × `training::lora::lora_trainable_params(4096, 4096, 8)`",
        compute: || (2 * 32 * training::lora::lora_trainable_params(4096, 4096, 8)) as f64,
    },
    Computation {
        name: "lora_tiny_gpt_r4_adamw_bytes",
        what: "`training::lora_gpt::trainable_count` of `LoraGpt::new` (r = 4) on a GPT of 4 \
               layers, width 128: the bytes of its AdamW's state",
        compute: lora_tiny_gpt_r4_adamw_bytes,
    },
    Computation {
        name: "gae_first_advantage",
        what: "`training::ppo::gae` on rewards (0, 0, 1) and values (0.2, 0.4, 0.6) with \
               γ = 1, λ = 0.95: the first token's advantage",
        compute: gae_first_advantage,
    },
    Computation {
        name: "soft_prompt_gpt2_small_20_tokens",
        what: "`training::soft_prompt::soft_prompt_params(20, 768)`: 20 virtual tokens at \
               GPT-2 small's width",
        compute: || training::soft_prompt::soft_prompt_params(20, GPT2_SMALL.d_model) as f64,
    },
    Computation {
        name: "dpo_initial_loss",
        what: "`training::dpo::dpo_loss` on pairs whose policy log-probabilities equal the \
               reference's (β = 0.1)",
        compute: dpo_initial_loss,
    },
    Computation {
        name: "dpo_gradient_weight_ranked_wrong",
        what: "`training::dpo::dpo_gradient_weight` for implicit rewards r̂_w = −0.2, \
               r̂_l = +0.2 (β = 0.1)",
        compute: dpo_gradient_weight_ranked_wrong,
    },
    Computation {
        name: "repetition_penalty_negative_logit",
        what: "`inference::repetition::apply_repetition_penalty` on logit −2.0 with penalty 1.2",
        compute: repetition_penalty_negative_logit,
    },
    Computation {
        name: "temperature_two_tokens_t05",
        what: "`inference::temperature::softmax_with_temperature(&[2.0, 0.0], 0.5)[0]`",
        compute: || {
            f64::from(inference::temperature::softmax_with_temperature(&[2.0, 0.0], 0.5)[0])
        },
    },
    Computation {
        name: "beam_beats_greedy_probability",
        what:
            "`inference::beam_search::beam_search` (2 beams, 2 tokens) on the question's toy LM: \
               the probability of the sequence it returns",
        compute: beam_beats_greedy_probability,
    },
    Computation {
        name: "nucleus_size_p08",
        what: "tokens kept by `inference::truncation::top_p_filter` (p = 0.8) on probabilities \
               0.5, 0.2, 0.15, 0.1, 0.05",
        compute: nucleus_size_p08,
    },
    Computation {
        name: "majority_of_5_chains_p06",
        what: "`applications::self_consistency::majority_accuracy(5, 0.6, 18, &[17])`: a vote \
               of 5 chains, each right with p = 0.6, one wrong answer",
        compute: || applications::self_consistency::majority_accuracy(5, 0.6, 18, &[17]),
    },
    Computation {
        name: "game24_first_steps_1234",
        what: "`applications::tree_of_thoughts::propose` on 1 2 3 4: distinct first thoughts",
        compute: || {
            let state = applications::game24::state_of(&[1, 2, 3, 4]);
            applications::tree_of_thoughts::propose(&state).len() as f64
        },
    },
    Computation {
        name: "game24_solvable_puzzles",
        what: "`applications::game24::solvable_puzzles().len()`: multisets of four numbers from \
               1 to 13 that can make 24",
        compute: || applications::game24::solvable_puzzles().len() as f64,
    },
    Computation {
        name: "distillation_loss_worked_example",
        what: "`applications::distillation::distillation_loss` of student logits (0, 0) against \
               teacher logits (2 ln 3, 0) at T = 2",
        compute: distillation_loss_worked_example,
    },
    Computation {
        name: "exact_match_p08_k10",
        what: "`applications::emergence::exact_match(0.8, 10)`: all 10 tokens right at 0.8 each",
        compute: || solutions::applications::emergence::exact_match(0.8, 10),
    },
    Computation {
        name: "llama2_bos_three_user_turns",
        what: "`<s>` in `applications::chat_template::ChatTemplate::llama2()`'s rendering of a \
               system prompt and three user turns, the first two answered",
        compute: llama2_bos_three_user_turns,
    },
];

/// Decimal and binary gigabytes, for questions that state their unit.
const GB: f64 = 1e9;
const GIB: f64 = (1u64 << 30) as f64;

/// §3.2: GPT-3 175B's shape (96 layers, width 12,288, 2,048 positions) on GPT-2's blocks.
fn gpt3_shape_params_billions() -> f64 {
    let dims = architectures::param_count::GptDims {
        context: 2048,
        d_model: 12288,
        layers: 96,
        ..GPT2_SMALL
    };
    architectures::param_count::gpt_param_count(dims) as f64 / 1e9
}

/// §3.3: Llama 2 7B's shape from its Hugging Face config.
/// §3.4: GPT-2 small's shape with ALiBi, which has no position table to count.
fn gpt2_small_alibi_params() -> f64 {
    use architectures::gpt::{GptConfig, Positions};
    let p = GPT2_SMALL;
    let cfg = GptConfig {
        vocab: p.vocab as usize,
        context: p.context as usize,
        d_model: p.d_model as usize,
        heads: 12,
        layers: p.layers as usize,
        positions: Positions::Alibi,
    };
    architectures::param_count::gpt_param_count(cfg.dims()) as f64
}

fn llama2_7b_params() -> f64 {
    param_count::llama_param_count(param_count::LLAMA2_7B) as f64
}

/// §4.8: GAE by hand over a three-token completion whose score 1 arrives at the end.
fn gae_first_advantage() -> f64 {
    f64::from(training::ppo::gae(&[0.0, 0.0, 1.0], &[0.2, 0.4, 0.6], 1.0, 0.95).0[0])
}

/// §4.5: counted on a real model: the adapters of `LoraGpt` and the AdamW built for it. The
/// vocabulary (96) does not change the count: only attention is adapted.
fn lora_tiny_gpt_r4_adamw_bytes() -> f64 {
    use solutions::architectures::gpt::{Gpt, GptConfig, Positions};
    use solutions::training::lora::LoraConfig;
    use solutions::training::lora_gpt::{trainable_count, LoraGpt};
    let cfg = GptConfig {
        vocab: 96,
        context: 64,
        d_model: 128,
        heads: 4,
        layers: 4,
        positions: Positions::Learned,
    };
    let base = Gpt::new(&solutions::Dev::seed_from_u64(0), cfg);
    let lora =
        LoraGpt::new(&solutions::Dev::seed_from_u64(1), &base, LoraConfig { rank: 4, alpha: 8.0 });
    trainable_count(&lora).adamw_bytes as f64
}

/// §4.9: the DPO loss at the first step, policy = reference, on three arbitrary pairs.
fn dpo_initial_loss() -> f64 {
    let dev = Dev::default();
    let chosen = dev.tensor_from_vec(vec![-4.0f32, -11.5, -23.0], (3,));
    let rejected = dev.tensor_from_vec(vec![-6.0f32, -2.5, -17.0], (3,));
    let loss = training::dpo::dpo_loss(chosen.clone(), rejected.clone(), &chosen, &rejected, 0.1);
    f64::from(loss.array())
}

/// §4.9: the chosen completion lost 2 nats against the reference and the rejected one
/// gained 2 (β = 0.1): σ(r̂_l − r̂_w) = σ(0.4).
fn dpo_gradient_weight_ranked_wrong() -> f64 {
    training::dpo::dpo_gradient_weight(&[-12.0], &[-8.0], &[-10.0], &[-10.0], 0.1)[0]
}

/// §5.4: the processor applied to a one-token vocabulary whose token was already seen.
fn repetition_penalty_negative_logit() -> f64 {
    let mut logits = [-2.0f32];
    inference::repetition::apply_repetition_penalty(&mut logits, &[0], 1.2);
    f64::from(logits[0])
}

/// §5.2: P(A) = 0.6, P(B) = 0.4 first; after A the best next token has 0.5, after B 0.9.
/// Beam search's best sequence, scored with α = 0 so that its score is its log-probability.
fn beam_beats_greedy_probability() -> f64 {
    use inference::beam_search::{beam_search, BeamConfig};
    let lm = |seq: &[usize]| -> Vec<f32> {
        let p: [f32; 3] = match &seq[1..] {
            [] => [0.6, 0.4, 0.0],
            [0] => [0.5, 0.3, 0.2],
            [1] => [0.9, 0.05, 0.05],
            _ => [1.0 / 3.0; 3],
        };
        p.iter().map(|x| x.ln()).collect()
    };
    let cfg = BeamConfig { num_beams: 2, length_penalty: 0.0, max_new_tokens: 2, eos: None };
    let best = &beam_search(lm, &[0], &cfg, &Default::default())[0];
    f64::from(best.score).exp()
}

/// §5.3: the nucleus of the question's five probabilities at p = 0.8.
fn nucleus_size_p08() -> f64 {
    let mut logits: Vec<f32> = [0.5f32, 0.2, 0.15, 0.1, 0.05].iter().map(|p| p.ln()).collect();
    inference::truncation::top_p_filter(&mut logits, 0.8, 1);
    inference::truncation::kept(&logits) as f64
}

/// §6.5: the page's worked example; the teacher softened at T = 2 says (¾, ¼).
fn distillation_loss_worked_example() -> f64 {
    let dev = Dev::default();
    let teacher = dev.tensor_from_vec(vec![2.0 * 3f32.ln(), 0.0], (1, 2));
    let student = dev.tensor_from_vec(vec![0.0f32, 0.0], (1, 2));
    f64::from(
        solutions::applications::distillation::distillation_loss(student, &teacher, 2.0).array(),
    )
}

/// §6.1: how often Llama 2's chat template writes the BOS string `<s>` in a conversation
/// of a system prompt and three user turns, two of them answered.
fn llama2_bos_three_user_turns() -> f64 {
    use solutions::applications::chat_template::{ChatTemplate, Message};
    let chat = [
        Message::system("Be brief."),
        Message::user("Hi"),
        Message::assistant("Hello."),
        Message::user("2 + 2?"),
        Message::assistant("4"),
        Message::user("Thanks"),
    ];
    let text = ChatTemplate::llama2().render(&chat, true).expect("the roles alternate");
    text.matches("<s>").count() as f64
}

/// The computation called `name`, if there is one.
pub fn find(name: &str) -> Option<&'static Computation> {
    ALL.iter().find(|c| c.name == name)
}

/// §1.1: counted by dfdx itself on a real module, so the bank's 4·512² + 4·512 is checked
/// against the layer, not against the same formula typed twice.
fn mha_params_d512_h8() -> f64 {
    let dev = Dev::default();
    let mha = dev.build_module::<builders::MultiHeadAttention<512, 8>, f32>();
    mha.num_trainable_params() as f64
}

/// §1.8: counted by dfdx on a real module, not by the library's own formula.
fn bn_learnable_params_c64() -> f64 {
    let bn = Dev::default().build_module::<builders::BatchNorm1D<64>, f32>();
    bn.num_trainable_params() as f64
}

/// §1.8: every tensor the module holds, learned or not.
fn bn_stored_numbers_c64() -> f64 {
    let bn = Dev::default().build_module::<builders::BatchNorm1D<64>, f32>();
    let sizes = [&bn.scale, &bn.bias, &bn.running_mean, &bn.running_var];
    sizes.iter().map(|t| t.shape().num_elements()).sum::<usize>() as f64
}

/// §1.8: counted by dfdx on a real module.
fn ln_params_d768() -> f64 {
    let ln = Dev::default().build_module::<builders::LayerNorm1D<768>, f32>();
    ln.num_trainable_params() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use solutions::foundations::self_attention::MultiHeadSelfAttention;

    #[test]
    fn names_are_unique() {
        for (i, c) in ALL.iter().enumerate() {
            assert!(ALL[i + 1..].iter().all(|d| d.name != c.name), "`{}` twice", c.name);
        }
    }

    /// The counts computed from dfdx modules agree with the library's formulas.
    #[test]
    fn module_counts_agree_with_the_library_formulas() {
        use solutions::foundations::normalization::{batch_norm_params, batch_norm_state};
        assert_eq!(bn_learnable_params_c64(), batch_norm_params(64) as f64);
        assert_eq!(bn_stored_numbers_c64(), batch_norm_state(64) as f64);
        assert_eq!(ln_params_d768(), layer_norm_params(&[768]) as f64);
    }

    /// The course's own layer has exactly as many parameters as dfdx's, which is what
    /// the §1.1 question asks about: four 512×512 weights and four 512-long biases.
    #[test]
    fn the_course_layer_has_as_many_parameters_as_dfdx_s() {
        let dev = Dev::default();
        let ours = MultiHeadSelfAttention::<512, 8>::new(&dev);
        let count: usize = [&ours.w_q, &ours.w_k, &ours.w_v, &ours.w_o]
            .iter()
            .map(|l| l.weight.shape().num_elements() + l.bias.shape().num_elements())
            .sum();
        assert_eq!(count as f64, mha_params_d512_h8());
        assert_eq!(count, 4 * 512 * 512 + 4 * 512);
    }
}
