//! §4.5 Prompt tuning, P-tuning and PET measured on one task (三种提示方法的对比实验).
//!
//! The task: say whether a short window of text is English or Chinese, answered by the next
//! token. The base model is chapter 3's GPT pre-trained here, briefly, on both halves of the
//! course corpus, then frozen. Two verbalizers: the *natural* one, English → `e` and
//! Chinese → `的` (each language's most frequent character, what the model would predict
//! anyway), and an *arbitrary* one, English → `1` and Chinese → `2` (digits, which both
//! texts use), which the model has no reason to follow. Measured on held-out windows (from
//! the last tenth of each text, which pre-training and the labelled examples never saw):
//! - zero-shot PET: the pattern and a verbalizer alone, the natural one on the pre-trained
//!   model and on the same model untrained, and the arbitrary one;
//! - with the arbitrary verbalizer, prompt tuning ([`super::soft_prompt`]) and P-tuning
//!   ([`super::p_tuning`]): p virtual tokens in front of the window, trained on the labelled
//!   examples, the model frozen; and PET few-shot ([`super::pet`]): the whole model
//!   fine-tuned on a few labelled examples.
//!
//! Hugging Face: `peft.get_peft_model(model, PromptTuningConfig(...))` or
//! `PromptEncoderConfig(...)`, trained with `Trainer` on the label words' cross-entropy.

use super::adamw_groups::{AdamW, AdamWConfig};
use super::data_loader::{batch_rng, get_batch};
use super::p_tuning::PromptEncoder;
use super::pet::{batch, label_logits, label_loss, label_stats, pet_step, Example, LabelStats};
use super::soft_prompt::SoftPrompt;
use super::token_stream::CharVocab;
use super::train_loop::{train_step, LoopConfig};
use crate::architectures::gpt::{Gpt, GptConfig, Positions};
use crate::architectures::params::mat;
use crate::nlp::corpus::{CHINESE, ENGLISH};
use crate::Dev;
use dfdx::nn::tensor_collection::TensorCollection;
use dfdx::nn::ZeroGrads;
use dfdx::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Instant;

/// The labels, in index order, and their words under each verbalizer.
pub const LABELS: [&str; 2] = ["English", "Chinese"];
pub const NATURAL_WORDS: [char; 2] = ['e', '的'];
pub const ARBITRARY_WORDS: [char; 2] = ['1', '2'];

/// The sizes of the experiment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PromptSetup {
    /// Characters per example window.
    pub window: usize,
    /// Virtual tokens p, and the hidden width of P-tuning's encoder.
    pub virtual_tokens: usize,
    pub encoder_hidden: usize,
    pub d_model: usize,
    pub heads: usize,
    pub layers: usize,
    /// Pre-training: steps of `pretrain_batch` windows of `pretrain_context` characters.
    pub pretrain_steps: usize,
    pub pretrain_batch: usize,
    pub pretrain_context: usize,
    /// Labelled examples for prompt tuning and P-tuning, and held-out ones (half each label).
    pub train_examples: usize,
    pub held_out: usize,
    /// Prompt-training steps (full batch), learning rate, evaluation interval.
    pub steps: usize,
    pub lr: f64,
    pub eval_every: usize,
    /// PET: labelled examples per label (its few shots), full-batch steps, learning rate.
    pub pet_shots: usize,
    pub pet_steps: usize,
    pub pet_lr: f64,
}

impl PromptSetup {
    /// A run small enough for a debug-build test.
    pub fn tiny() -> Self {
        PromptSetup {
            window: 3,
            virtual_tokens: 4,
            encoder_hidden: 64,
            d_model: 32,
            heads: 2,
            layers: 1,
            pretrain_steps: 100,
            pretrain_batch: 8,
            pretrain_context: 16,
            train_examples: 32,
            held_out: 128,
            steps: 30,
            lr: 1e-2,
            eval_every: 5,
            pet_shots: 4,
            pet_steps: 10,
            pet_lr: 3e-3,
        }
    }
}

/// The data of one seed: the vocabulary, the label words' ids, the pre-training texts and
/// the labelled examples (patterned: the window itself, the blank after it).
#[derive(Debug, Clone)]
pub struct LanguageTask {
    pub vocab: CharVocab,
    /// The arbitrary verbalizer's word ids (the one the methods train with), and the
    /// natural one's.
    pub words: Vec<usize>,
    pub natural_words: Vec<usize>,
    /// (English, Chinese) training text, the first nine tenths of each.
    pub pretrain: (Vec<u32>, Vec<u32>),
    pub train: Vec<Example>,
    pub held_out: Vec<Example>,
}

// ANCHOR: language_task
/// Builds [`LanguageTask`]: `n` windows alternate English (label 0) and Chinese (label 1).
pub fn language_task(setup: &PromptSetup, seed: u64) -> LanguageTask {
    let vocab = CharVocab::from_text(&format!("{ENGLISH}{CHINESE}"));
    let encode = |t: &str| vocab.encode(t).expect("the vocabulary is built from this text");
    let (en, zh) = (encode(ENGLISH), encode(CHINESE));
    let (en_train, en_held) = en.split_at(en.len() * 9 / 10);
    let (zh_train, zh_held) = zh.split_at(zh.len() * 9 / 10);
    let mut rng = StdRng::seed_from_u64(seed);
    let w = setup.window;
    let mut windows = |texts: [&[u32]; 2], n: usize| -> Vec<Example> {
        (0..n)
            .map(|i| {
                let (label, text) = (i % 2, texts[i % 2]);
                let start = rng.gen_range(0..text.len() - w);
                Example { tokens: text[start..start + w].to_vec(), label }
            })
            .collect()
    };
    let train = windows([en_train, zh_train], setup.train_examples);
    let held_out = windows([en_held, zh_held], setup.held_out);
    let ids = |w: [char; 2]| w.iter().map(|c| encode(&c.to_string())[0] as usize).collect();
    let (words, natural_words) = (ids(ARBITRARY_WORDS), ids(NATURAL_WORDS));
    let pretrain = (en_train.to_vec(), zh_train.to_vec());
    LanguageTask { vocab, words, natural_words, pretrain, train, held_out }
}
// ANCHOR_END: language_task

/// The base model: a fresh GPT trained with §3.5's loop on windows of both texts, half the
/// rows of each batch English and half Chinese. `pretrain_steps = 0` gives the untrained one.
pub fn pretrain(task: &LanguageTask, setup: &PromptSetup, seed: u64) -> Gpt {
    let config = GptConfig {
        vocab: task.vocab.vocab_size(),
        context: setup.pretrain_context.max(setup.virtual_tokens + setup.window),
        d_model: setup.d_model,
        heads: setup.heads,
        layers: setup.layers,
        positions: Positions::Learned,
    };
    let mut model = Gpt::new(&Dev::seed_from_u64(seed), config);
    let cfg = LoopConfig {
        batch: setup.pretrain_batch,
        context: setup.pretrain_context,
        warmup: 10,
        max_steps: setup.pretrain_steps,
        max_lr: 1e-2,
        min_lr: 1e-3,
        grad_clip: 1.0,
    };
    let mut opt = AdamW::new(&model, AdamWConfig::nanogpt());
    let mut grads = model.alloc_grads();
    let half = setup.pretrain_batch / 2;
    for step in 0..setup.pretrain_steps as u64 {
        let mut rng = batch_rng(seed, step);
        let (mut x, mut y) = get_batch(&task.pretrain.0, half, cfg.context, &mut rng);
        let (xz, yz) = get_batch(&task.pretrain.1, half, cfg.context, &mut rng);
        x.extend(xz);
        y.extend(yz);
        train_step(&mut model, &mut opt, &mut grads, (&x[..], &y[..]), step, &cfg)
            .expect("CPU step");
    }
    model
}

/// Held-out statistics after `step` updates.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PromptPoint {
    pub step: usize,
    pub held_out: LabelStats,
}

/// One method's run: the held-out curve, its trainable numbers and training time.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MethodRun {
    pub points: Vec<PromptPoint>,
    pub trainable: usize,
    pub seconds: f64,
}

/// The frozen `model`'s verbalizer statistics on `examples` behind `prompt` (p, C).
pub fn prompted_stats(
    model: &Gpt,
    prompt: Tensor<(usize, usize), f32, Dev>,
    examples: &[Example],
    words: &[usize],
) -> LabelStats {
    let (tokens, labels) = batch(examples);
    label_stats(&label_logits(model.forward_with_prompt(prompt, &tokens), words), &labels)
}

// ANCHOR: prompt_training
/// Trains the parameters `trainable` (a [`SoftPrompt`] or a [`PromptEncoder`]) that make
/// the prompt, with `model` frozen: `make_prompt` builds the prompt on the tape that
/// collects into the gradients it is given. Full batch; AdamW without weight decay.
fn train_prompt<M: TensorCollection<f32, Dev>>(
    model: &Gpt,
    trainable: &mut M,
    make_prompt: impl Fn(&M, Option<Gradients<f32, Dev>>) -> PromptTensor,
    task: &LanguageTask,
    setup: &PromptSetup,
) -> MethodRun {
    let adam = AdamWConfig { weight_decay: 0.0, ..AdamWConfig::nanogpt() };
    let mut opt = AdamW::new(trainable, adam);
    let mut grads = trainable.alloc_grads();
    let evaluate = |m: &M, step| {
        let prompt = make_prompt(m, None).split_tape().0;
        PromptPoint { step, held_out: prompted_stats(model, prompt, &task.held_out, &task.words) }
    };
    let mut points = vec![evaluate(trainable, 0)];
    let (tokens, labels) = batch(&task.train);
    let mut seconds = 0.0;
    for step in 0..setup.steps {
        let start = Instant::now();
        let prompt =
            make_prompt(trainable, Some(std::mem::replace(&mut grads, Gradients::leaky())));
        let scores = label_logits(model.forward_with_prompt(prompt, &tokens), &task.words);
        grads = label_loss(scores, &labels).backward();
        opt.update(trainable, &mut grads, setup.lr).expect("CPU update");
        trainable.zero_grads(&mut grads);
        seconds += start.elapsed().as_secs_f64();
        if (step + 1) % setup.eval_every == 0 {
            points.push(evaluate(trainable, step + 1));
        }
    }
    let trainable = super::named_params::named_params(&*trainable).iter().map(|p| p.numel()).sum();
    MethodRun { points, trainable, seconds }
}
// ANCHOR_END: prompt_training

/// A prompt (p, C) on the training tape (or on none, for evaluation).
pub type PromptTensor = Tensor<(usize, usize), f32, Dev, OwnedTape<f32, Dev>>;

/// Prompt tuning: p virtual tokens initialised from the embeddings of sampled vocabulary
/// tokens (Lester et al.'s "sampled vocab"), trained directly.
pub fn prompt_tuning(
    model: &Gpt,
    task: &LanguageTask,
    setup: &PromptSetup,
    seed: u64,
) -> (SoftPrompt, MethodRun) {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5047);
    let ids: Vec<usize> =
        (0..setup.virtual_tokens).map(|_| rng.gen_range(0..model.config.vocab)).collect();
    let mut prompt = SoftPrompt::from_tokens(model, &ids);
    let make = |p: &SoftPrompt, g: Option<Gradients<f32, Dev>>| {
        mat::<NoneTape>(&p.embedding).traced(g.unwrap_or_else(Gradients::leaky))
    };
    let run = train_prompt(model, &mut prompt, make, task, setup);
    (prompt, run)
}

/// P-tuning: the same number of virtual tokens, made by the MLP encoder.
pub fn p_tuning(
    model: &Gpt,
    task: &LanguageTask,
    setup: &PromptSetup,
    seed: u64,
) -> (PromptEncoder, MethodRun) {
    let dev = Dev::seed_from_u64(seed ^ 0x5054);
    let (p, c, h) = (setup.virtual_tokens, model.config.d_model, setup.encoder_hidden);
    let mut encoder = PromptEncoder::new(&dev, p, c, h);
    let make = |e: &PromptEncoder, g: Option<Gradients<f32, Dev>>| {
        e.prompt_traced(g.unwrap_or_else(Gradients::leaky))
    };
    let run = train_prompt(model, &mut encoder, make, task, setup);
    (encoder, run)
}

/// PET few-shot: `pet_shots` labelled examples per label, the whole model (a copy of
/// `model`) fine-tuned for `pet_steps` full-batch steps. Returns the fine-tuned model and its
/// held-out statistics.
pub fn pet_few_shot(model: &Gpt, task: &LanguageTask, setup: &PromptSetup) -> (Gpt, LabelStats) {
    let shots: Vec<Example> = task.train[..2 * setup.pet_shots].to_vec();
    let mut tuned = model.clone();
    let mut opt = AdamW::new(&tuned, AdamWConfig { weight_decay: 0.0, ..AdamWConfig::nanogpt() });
    let mut grads = tuned.alloc_grads();
    for _ in 0..setup.pet_steps {
        pet_step(&mut tuned, &mut opt, &mut grads, &shots, &task.words, setup.pet_lr);
    }
    let stats = super::pet::pet_evaluate(&tuned, &task.held_out, &task.words);
    (tuned, stats)
}

/// Everything measured for one seed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PromptComparison {
    pub seed: u64,
    /// Zero-shot PET with the natural verbalizer, on the untrained model and on the
    /// pre-trained one; then with the arbitrary verbalizer, which the rest use.
    pub untrained_natural: LabelStats,
    pub natural_zero_shot: LabelStats,
    pub zero_shot: LabelStats,
    pub prompt_tuning: MethodRun,
    pub p_tuning: MethodRun,
    pub pet_few_shot: LabelStats,
    /// Trainable numbers of full fine-tuning (PET's), for comparison.
    pub full_params: usize,
}

/// Runs the whole comparison for `seed`.
pub fn compare_prompt_methods(setup: &PromptSetup, seed: u64) -> PromptComparison {
    let task = language_task(setup, seed);
    let untrained = pretrain(&task, &PromptSetup { pretrain_steps: 0, ..*setup }, seed);
    let model = pretrain(&task, setup, seed);
    let zero = |m: &Gpt, w: &[usize]| super::pet::pet_evaluate(m, &task.held_out, w);
    PromptComparison {
        seed,
        untrained_natural: zero(&untrained, &task.natural_words),
        natural_zero_shot: zero(&model, &task.natural_words),
        zero_shot: zero(&model, &task.words),
        prompt_tuning: prompt_tuning(&model, &task, setup, seed).1,
        p_tuning: p_tuning(&model, &task, setup, seed).1,
        pet_few_shot: pet_few_shot(&model, &task, setup).1,
        full_params: super::named_params::named_params(&model).iter().map(|p| p.numel()).sum(),
    }
}

#[cfg(test)]
mod tests;
