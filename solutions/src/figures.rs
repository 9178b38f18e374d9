//! Every figure in the book, generated from code with fixed seeds.
//!
//! `cargo course figures` writes them to `chapters/figures/`; CI regenerates them with
//! `--check` and fails when a committed SVG differs from what the code draws today.

mod alibi;
mod bert_data;
mod bpe;
mod byte_level;
mod decoding;
mod distillation;
mod dpo;
mod emergence;
mod kv_cache;
mod length_extrapolation;
mod lm_masks;
mod lora;
mod minhash;
mod normalization;
mod number_formats;
mod optimizers;
mod perplexity;
mod pipeline_schedules;
mod positional_encoding;
mod ppo;
mod residual_norm;
mod rope;
mod rope_scaling;
mod score_scaling;
mod self_consistency;
mod soft_prompts;
mod tensor_parallel;
mod tokenization;
mod tree_of_thoughts;
mod unigram;

pub use alibi::{alibi_bias_heads, alibi_panel, ALIBI_HEADS, ALIBI_SEQ, ALIBI_SHOWN};
pub use bert_data::{bert_proportions, bert_proportions_measured, draw_proportions};
pub use bpe::{
    bpe_trainer_work, draw_trainer_work, trainer_work, trainer_work_on_the_corpus, BPE_WORK_MERGES,
};
pub use byte_level::{chinese_vocab_extension, draw_extension};
pub use decoding::{
    bigram_logits, entropy_curves, kept_curves, temperature_entropy, truncation_kept,
};
pub use distillation::{
    distillation_students, distillation_temperature, draw_distillation_students,
    gradient_norm_curves, stored_distillation, DISTIL_T_POWERS,
};
pub use dpo::{dpo_curves, dpo_training, draw_dpo_training, DPO_SEEDS};
pub use emergence::{draw_emergence, emergence, emergence_ladder, BENCHMARK, EMERGENCE_KS};
pub use kv_cache::{kv_cache_speedup, stored_speedup};
pub use length_extrapolation::{
    draw_length_extrapolation, length_extrapolation_figure, EXTRAPOLATION_SEED,
};
pub use lm_masks::{draw_lm_masks, lm_masks, mask_panels, MASK_LENGTH, MASK_PREFIX, MASK_SEQ};
pub use lora::{draw_lora_finetune, lora_finetune, stored_lora_finetune};
pub use minhash::{
    draw_s_curve, minhash_s_curve, s_curve_sims, S_CURVE_BANDS, S_CURVE_PAIRS, S_CURVE_ROWS,
    S_CURVE_SEED,
};
pub use normalization::{norm_axes, shared_statistics, NormKind, NORM_B, NORM_C, NORM_PROBE};
pub use number_formats::{number_format_spacing, spacing_curves, SPACING_LOG2_RANGE};
pub use optimizers::{optimizer_trajectories, trajectories, Trajectories};
pub use perplexity::{draw_entropy_floor, entropy_floor, floor_curves};
pub use pipeline_schedules::{
    draw_pipeline_schedules, pipeline_schedules, recorded_schedules, GANTT_MICRO_BATCHES,
    GANTT_STAGES,
};
pub use positional_encoding::{sinusoidal_heatmap, SINUSOID_DIMS, SINUSOID_POSITIONS};
pub use ppo::{draw_ppo_training, ppo_curves, ppo_training, PPO_SEEDS};
pub use residual_norm::{depth_gradient_norms, gradient_norms, DEPTH};
pub use rope::{rope_rotations, rotated_pair, ROPE_FIG_D, ROPE_FIG_PAIRS};
pub use rope_scaling::{rope_scaling_curves, similarity_curves, ROPE_D, TARGET_LEN, TRAIN_LEN};
pub use score_scaling::{saturation_curves, softmax_saturation, D_KS};
pub use self_consistency::{majority_vote_accuracy, vote_curves, vote_solvers, VOTE_TRIALS};
pub use soft_prompts::{
    draw_soft_prompt_training, prompt_curves, soft_prompt_training, PROMPT_SEEDS,
};
pub use tensor_parallel::{
    measured_bytes_per_all_reduce, tensor_parallel_traffic, TP_FIG_RANKS, TP_FIG_SHAPE,
};
pub use tokenization::{
    draw_tradeoff, tokenization_tradeoff, tradeoff_curves, LanguageCurves, BPE_SIZES, WORD_SIZES,
};
pub use tree_of_thoughts::{game24_solve_rates, stored_game24};
pub use unigram::{lattice, viterbi_lattice, Lattice, LATTICE_PIECES, LATTICE_WORD};

use crate::foundations::self_attention::{causal_mask, MultiHeadSelfAttention};
use crate::plot::{heatmap, PlotResult};
use crate::Dev;
use dfdx::prelude::*;
use plotters::prelude::*;

/// A book figure: its file name under `chapters/figures/` and the code that draws it.
pub struct Figure {
    pub file: &'static str,
    pub render: fn() -> Result<String, Box<dyn std::error::Error>>,
}

/// All book figures, in book order.
pub fn all() -> Vec<Figure> {
    vec![
        Figure { file: "attention_heatmap.svg", render: attention_heatmap },
        Figure { file: "softmax_saturation.svg", render: softmax_saturation },
        Figure { file: "sinusoidal_heatmap.svg", render: sinusoidal_heatmap },
        Figure { file: "rope_rotations.svg", render: rope_rotations },
        Figure { file: "alibi_bias_heads.svg", render: alibi_bias_heads },
        Figure { file: "rope_scaling.svg", render: rope_scaling_curves },
        Figure { file: "depth_gradient_norms.svg", render: depth_gradient_norms },
        Figure { file: "norm_axes.svg", render: norm_axes },
        Figure { file: "optimizer_trajectories.svg", render: optimizer_trajectories },
        Figure { file: "tokenization_tradeoff.svg", render: tokenization_tradeoff },
        Figure { file: "bpe_trainer_work.svg", render: bpe_trainer_work },
        Figure { file: "viterbi_lattice.svg", render: viterbi_lattice },
        Figure { file: "chinese_vocab_extension.svg", render: chinese_vocab_extension },
        Figure { file: "bert_proportions.svg", render: bert_proportions },
        Figure { file: "entropy_floor.svg", render: entropy_floor },
        Figure { file: "lm_masks.svg", render: lm_masks },
        Figure { file: "length_extrapolation.svg", render: length_extrapolation_figure },
        Figure { file: "temperature_entropy.svg", render: temperature_entropy },
        Figure { file: "truncation_kept.svg", render: truncation_kept },
        Figure { file: "tensor_parallel_traffic.svg", render: tensor_parallel_traffic },
        Figure { file: "pipeline_schedules.svg", render: pipeline_schedules },
        Figure { file: "kv_cache_speedup.svg", render: kv_cache_speedup },
        Figure { file: "soft_prompt_training.svg", render: soft_prompt_training },
        Figure { file: "minhash_s_curve.svg", render: minhash_s_curve },
        Figure { file: "number_format_spacing.svg", render: number_format_spacing },
        Figure { file: "ppo_training.svg", render: ppo_training },
        Figure { file: "dpo_training.svg", render: dpo_training },
        Figure { file: "lora_finetune.svg", render: lora_finetune },
        Figure { file: "majority_vote_accuracy.svg", render: majority_vote_accuracy },
        Figure { file: "game24_solve_rates.svg", render: game24_solve_rates },
        Figure { file: "distillation_temperature.svg", render: distillation_temperature },
        Figure { file: "distillation_students.svg", render: distillation_students },
        Figure { file: "emergence.svg", render: emergence },
    ]
}

/// A figure's result: the SVG text.
pub type Rendered = Result<String, Box<dyn std::error::Error>>;

/// Draws into an in-memory SVG of the given size.
pub(crate) fn svg(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> PlotResult,
) -> Result<String, Box<dyn std::error::Error>> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
    }
    Ok(out)
}

/// The words of the §1.1 example sentence.
pub const SENTENCE: [&str; 6] = ["the", "cat", "sat", "on", "the", "mat"];

/// §1.1: the weights of both heads of a seeded 2-head attention layer over six tokens,
/// without a mask (left) and with the causal mask (right).
pub fn attention_heatmap() -> Result<String, Box<dyn std::error::Error>> {
    let (weights, causal) = example_attention_weights(0);
    let s = SENTENCE.len();
    svg((960, 820), |root| {
        let panels = root.split_evenly((2, 2));
        for h in 0..2 {
            let head = |w: &[f32]| w[h * s * s..(h + 1) * s * s].to_vec();
            heatmap(
                &panels[2 * h],
                &format!("head {h}, no mask"),
                &head(&weights),
                &SENTENCE,
                &SENTENCE,
            )?;
            heatmap(
                &panels[2 * h + 1],
                &format!("head {h}, causal mask"),
                &head(&causal),
                &SENTENCE,
                &SENTENCE,
            )?;
        }
        Ok(())
    })
}

/// The §1.1 example: a seeded embedding of [`SENTENCE`] through a seeded 2-head, 8-wide
/// attention layer. Returns the weights (H, S, S) without and with the causal mask.
pub fn example_attention_weights(seed: u64) -> (Vec<f32>, Vec<f32>) {
    let dev = Dev::seed_from_u64(seed);
    let attn = MultiHeadSelfAttention::<8, 2>::new(&dev);
    // Repeated words get the same embedding, as they would from a token-embedding table.
    let table: Tensor<Rank2<5, 8>, f32, Dev> = dev.sample_normal() * 2.0;
    let ids = [0usize, 1, 2, 3, 0, 4];
    let x = table.gather(dev.tensor(ids)).reshape::<Rank3<1, 6, 8>>();
    let x = x.reshape_like(&(1usize, SENTENCE.len(), Const::<8>));
    let mask = causal_mask(&dev, 1, SENTENCE.len());
    let plain = attn.weights(x.clone(), None).as_vec();
    let causal = attn.weights(x, Some(&mask)).as_vec();
    (plain, causal)
}

#[cfg(test)]
mod tests;
