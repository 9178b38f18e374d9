//! §4.5 A real fine-tune: the tiny GPT pre-trained on English, adapted to Chinese by LoRA
//! and by full fine-tuning (LoRA 与全参数微调的对比实验).
//!
//! Paper: Hu et al. 2021, arXiv 2106.09685, §5 (LoRA against full fine-tuning: comparable
//! quality with a small fraction of the trainable parameters). Hugging Face: `Trainer` on a
//! `GPT2LMHeadModel` for the full run, on `get_peft_model(model, LoraConfig(...))` for the
//! LoRA run. Everything here is §3.5's machinery, imported: the character vocabulary, the
//! train/validation split, `train_step` (AdamW with nanoGPT's groups, warm-up and cosine,
//! clipping) and `evaluate`. The only new pieces are the model ([`LoraGpt`]) and the data.
//!
//! The vocabulary covers both halves of the embedded corpus; pre-training sees only the
//! English half, so the Chinese characters' embeddings are never the input of a training
//! step before adaptation. LoRA keeps the embeddings frozen and adapts attention only.

use super::adamw_groups::{AdamW, AdamWConfig};
use super::data_loader::train_val_split;
use super::lora::LoraConfig;
use super::lora_gpt::{trainable_count, LoraGpt, TrainableCount};
use super::token_stream::CharVocab;
use super::train_loop::{evaluate, train_step, training_batch, LanguageModel, LoopConfig};
use crate::architectures::gpt::{Gpt, GptConfig, Positions};
use crate::nlp::corpus::{CHINESE, ENGLISH};
use crate::Dev;
use dfdx::nn::ZeroGrads;
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// The seed of every validation batch of the experiment: all evaluations, of every model,
/// see the same windows, so their losses differ only because the models do.
pub const VAL_SEED: u64 = 0x7661_6c69;

/// The sizes of the experiment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FinetuneSetup {
    pub d_model: usize,
    pub heads: usize,
    pub layers: usize,
    pub context: usize,
    pub batch: usize,
    /// English steps before adaptation, at peak learning rate `pretrain_lr`.
    pub pretrain_steps: usize,
    pub pretrain_lr: f64,
    /// Chinese steps of each adaptation.
    pub adapt_steps: usize,
    pub lora: LoraConfig,
    /// Peak learning rates of the two adaptations (LoRA usually wants a larger one).
    pub lora_lr: f64,
    pub full_lr: f64,
    /// Validation loss every this many adaptation steps (and at step 0).
    pub eval_every: usize,
    pub eval_iters: usize,
}

impl FinetuneSetup {
    /// Small enough for a debug-build test (about a second).
    pub fn tiny() -> Self {
        FinetuneSetup {
            d_model: 32,
            heads: 2,
            layers: 1,
            context: 16,
            batch: 8,
            pretrain_steps: 150,
            pretrain_lr: 2e-2,
            adapt_steps: 40,
            lora: LoraConfig { rank: 4, alpha: 8.0 },
            lora_lr: 3e-2,
            full_lr: 3e-3,
            eval_every: 10,
            eval_iters: 2,
        }
    }

    /// The run of the page, the notebook and `data/bench/lora_finetune.json`.
    pub fn page() -> Self {
        FinetuneSetup {
            d_model: 64,
            heads: 4,
            layers: 2,
            context: 32,
            batch: 16,
            pretrain_steps: 400,
            pretrain_lr: 3e-3,
            adapt_steps: 200,
            lora: LoraConfig { rank: 8, alpha: 16.0 },
            lora_lr: 3e-3,
            full_lr: 1e-3,
            eval_every: 20,
            eval_iters: 4,
        }
    }

    fn gpt(&self, vocab: usize) -> GptConfig {
        GptConfig {
            vocab,
            context: self.context,
            d_model: self.d_model,
            heads: self.heads,
            layers: self.layers,
            positions: Positions::Learned,
        }
    }

    fn recipe(&self, steps: usize, lr: f64) -> LoopConfig {
        LoopConfig {
            batch: self.batch,
            context: self.context,
            warmup: steps / 10,
            max_steps: steps,
            max_lr: lr,
            min_lr: lr / 10.0,
            grad_clip: 1.0,
        }
    }
}

/// One adaptation: its cost and its curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdaptRun {
    /// "LoRA r = 8" or "full fine-tune".
    pub method: String,
    pub count: TrainableCount,
    /// `(step, Chinese validation loss)`, from step 0 (the pre-trained model).
    pub chinese_val: Vec<(usize, f32)>,
    /// English validation loss after adaptation: what was forgotten.
    pub english_val_after: f32,
    /// Wall time of the training steps (evaluations excluded).
    pub seconds: f64,
}

/// The whole experiment, as stored in `data/bench/lora_finetune.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FinetuneComparison {
    pub provenance: String,
    pub setup: FinetuneSetup,
    /// The pre-trained model's validation losses, English and Chinese.
    pub pretrained_english_val: f32,
    pub pretrained_chinese_val: f32,
    pub pretrain_seconds: f64,
    pub lora: AdaptRun,
    pub full: AdaptRun,
}

/// The corpus as token ids: the vocabulary and (train, validation) of each language.
pub struct Bilingual {
    pub vocab: CharVocab,
    pub english: (Vec<u32>, Vec<u32>),
    pub chinese: (Vec<u32>, Vec<u32>),
}

impl Bilingual {
    /// The embedded corpus, each language split 90/10 on its own.
    pub fn embedded() -> Self {
        let vocab = CharVocab::from_text(&format!("{ENGLISH}{CHINESE}"));
        let split = |text: &str| {
            let ids = vocab.encode(text).expect("the vocabulary is built from this text");
            let (t, v) = train_val_split(&ids, 0.9);
            (t.to_vec(), v.to_vec())
        };
        let (english, chinese) = (split(ENGLISH), split(CHINESE));
        Bilingual { vocab, english, chinese }
    }
}

/// Trains `model` for `cfg.max_steps` steps on `train` with §3.5's `train_step`, measuring
/// the validation loss on `val` at step 0 and every `eval_every` steps. Returns the curve
/// and the seconds spent in training steps.
// ANCHOR: run_steps
pub fn run_steps<M: LanguageModel>(
    model: &mut M,
    train: &[u32],
    val: &[u32],
    cfg: &LoopConfig,
    (eval_every, eval_iters): (usize, usize),
    seed: u64,
) -> (Vec<(usize, f32)>, f64) {
    let mut opt = AdamW::new(model, AdamWConfig::nanogpt());
    let mut grads = model.alloc_grads();
    let eval = |m: &M| evaluate(m, val, cfg.batch, cfg.context, eval_iters, VAL_SEED);
    let mut curve = if eval_every > 0 { vec![(0, eval(model))] } else { vec![] };
    let mut seconds = 0.0;
    for step in 0..cfg.max_steps {
        let (x, y) = training_batch(train, cfg, seed, step as u64);
        let start = Instant::now();
        train_step(model, &mut opt, &mut grads, (&x, &y), step as u64, cfg).expect("CPU step");
        seconds += start.elapsed().as_secs_f64();
        if eval_every > 0 && (step + 1) % eval_every == 0 {
            curve.push((step + 1, eval(model)));
        }
    }
    (curve, seconds)
}
// ANCHOR_END: run_steps

/// Pre-trains a GPT of `setup`'s shape on the English half; returns it and its seconds.
pub fn pretrain(setup: &FinetuneSetup, data: &Bilingual, seed: u64) -> (Gpt, f64) {
    let mut model = Gpt::new(&Dev::seed_from_u64(seed), setup.gpt(data.vocab.vocab_size()));
    let cfg = setup.recipe(setup.pretrain_steps, setup.pretrain_lr);
    let (_, seconds) = run_steps(&mut model, &data.english.0, &data.english.1, &cfg, (0, 0), seed);
    (model, seconds)
}

/// Adapts `model` to the Chinese half and measures what that cost and gave.
fn adapt<M: LanguageModel>(
    method: String,
    mut model: M,
    setup: &FinetuneSetup,
    data: &Bilingual,
    lr: f64,
    seed: u64,
) -> AdaptRun {
    let count = trainable_count(&model);
    let cfg = setup.recipe(setup.adapt_steps, lr);
    let every = (setup.eval_every, setup.eval_iters);
    let (chinese_val, seconds) =
        run_steps(&mut model, &data.chinese.0, &data.chinese.1, &cfg, every, seed);
    let english_val_after =
        evaluate(&model, &data.english.1, cfg.batch, cfg.context, setup.eval_iters, VAL_SEED);
    AdaptRun { method, count, chinese_val, english_val_after, seconds }
}

/// The experiment: pre-train on English, then adapt a copy by LoRA and another by full
/// fine-tuning to Chinese, with the same batches, steps and evaluations.
// ANCHOR: compare
pub fn compare_finetunes(setup: &FinetuneSetup, seed: u64) -> FinetuneComparison {
    let data = Bilingual::embedded();
    let (base, pretrain_seconds) = pretrain(setup, &data, seed);
    let val =
        |v: &[u32]| evaluate(&base, v, setup.batch, setup.context, setup.eval_iters, VAL_SEED);
    let (pretrained_english_val, pretrained_chinese_val) =
        (val(&data.english.1), val(&data.chinese.1));
    let lora_model = LoraGpt::new(&Dev::seed_from_u64(seed + 2), &base, setup.lora);
    let name = format!("LoRA r = {}", setup.lora.rank);
    // The same batches for both: `seed + 1` draws the Chinese windows of every step.
    let lora = adapt(name, lora_model, setup, &data, setup.lora_lr, seed + 1);
    let full = adapt("full fine-tune".into(), base, setup, &data, setup.full_lr, seed + 1);
    FinetuneComparison {
        provenance: format!("solutions::training::lora_finetune::compare_finetunes, seed {seed}"),
        setup: *setup,
        pretrained_english_val,
        pretrained_chinese_val,
        pretrain_seconds,
        lora,
        full,
    }
}
// ANCHOR_END: compare

#[cfg(test)]
mod tests;
