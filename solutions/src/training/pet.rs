//! §4.5 PET: a classification task as a cloze, with a pattern and a verbalizer (模式与标签词).
//!
//! Paper: Schick and Schütze 2021, "Exploiting Cloze Questions for Few Shot Text
//! Classification and Natural Language Inference" (Pattern-Exploiting Training), arXiv
//! 2001.07676, §3. A *pattern* P turns an input x into a text with one blank, and a
//! *verbalizer* v maps each label l to one word of the vocabulary. The label's score is the
//! language model's logit for its word in the blank, $s(l \mid x) = M(v(l) \mid P(x))$, and
//! the label distribution is the softmax over the labels' scores only:
//! $q(l \mid x) = e^{s(l \mid x)} / \sum_{l'} e^{s(l' \mid x)}$. Zero-shot, that already
//! classifies with what pre-training taught; with a few labelled examples PET fine-tunes the
//! whole model on the cross-entropy of q.
//!
//! Deviation, stated: PET uses a masked LM (RoBERTa), whose blank may sit anywhere in
//! P(x). Our model is chapter 3's causal GPT, which only predicts the *next* token, so the
//! blank is always at the end: the score is the logit at the pattern's last position. (This
//! is how GPT-style models are prompted for classification; PET's own patterns put the blank
//! mid-sentence, "a. It was ___.", which needs the MLM.) We also leave out PET's auxiliary
//! language-modelling loss (α = 10⁻⁴), its ensemble of patterns and its distillation step.
//! Hugging Face: no class; `AutoModelForMaskedLM` (or `ForCausalLM`) logits indexed by the
//! label words' ids, as in the authors' `pet` repository.

use super::adamw_groups::AdamW;
use crate::architectures::gpt::Gpt;
use crate::Dev;
use dfdx::nn::ZeroGrads;
use dfdx::prelude::*;

/// One labelled example: its tokens (the pattern already applied) and its label's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub tokens: Vec<u32>,
    pub label: usize,
}

/// A pattern for a causal LM: the text `before`, the input, the text `after`; the blank is
/// the token after all of it.
pub fn apply_pattern(before: &[u32], x: &[u32], after: &[u32]) -> Vec<u32> {
    [before, x, after].concat()
}

// ANCHOR: label_logits
/// The verbalizer's scores (B, K): for each of the B rows of `logits` (B, L, V), the logits
/// at the last position (the blank) of the K label words `words` (token ids).
pub fn label_logits<T: Tape<f32, Dev>>(
    logits: Tensor<(usize, usize, usize), f32, Dev, T>,
    words: &[usize],
) -> Tensor<(usize, usize), f32, Dev, T> {
    let (b, l, v) = *logits.shape();
    let dev = logits.device().clone();
    let last = logits.slice((.., l - 1..l, ..)).reshape_like(&(b, v)); // (B, V)
    let k = words.len();
    let ids = dev.tensor_from_vec(words.repeat(b), (b, k));
    last.gather(ids) // (B, K)
}
// ANCHOR_END: label_logits

/// PET's loss: the mean over the rows of −log q(label | x), with q the softmax over the K
/// label scores only (not over the whole vocabulary).
pub fn label_loss<T: Tape<f32, Dev>>(
    scores: Tensor<(usize, usize), f32, Dev, T>,
    labels: &[usize],
) -> Tensor<(), f32, Dev, T> {
    let dev = scores.device().clone();
    let b = scores.shape().0;
    assert_eq!(labels.len(), b, "one label per row");
    let logq = scores.log_softmax::<Axis<1>>(); // (B, K)
    logq.select(dev.tensor_from_vec(labels.to_vec(), (b,))).mean().negate()
}

/// Loss and accuracy on labelled examples.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LabelStats {
    /// Mean −log q(label | x).
    pub loss: f64,
    /// Share of examples whose highest-scoring label is theirs (ties count as wrong).
    pub accuracy: f64,
}

/// [`LabelStats`] of label scores (B, K) against `labels`.
pub fn label_stats(scores: &Tensor<(usize, usize), f32, Dev>, labels: &[usize]) -> LabelStats {
    let (b, k) = *scores.shape();
    let s = scores.as_vec();
    let loss = label_loss(scores.clone(), labels).array() as f64;
    let right = (0..b)
        .filter(|&i| {
            let row = &s[i * k..(i + 1) * k];
            (0..k).all(|j| j == labels[i] || row[j] < row[labels[i]])
        })
        .count();
    LabelStats { loss, accuracy: right as f64 / b as f64 }
}

/// The examples as one batch: tokens (B, L) and labels. All must have the same length.
pub fn batch(examples: &[Example]) -> (Tensor<(usize, usize), usize, Dev>, Vec<usize>) {
    let l = examples[0].tokens.len();
    assert!(examples.iter().all(|e| e.tokens.len() == l), "examples of different lengths");
    let flat = examples.iter().flat_map(|e| e.tokens.iter().map(|&t| t as usize)).collect();
    let tokens = Dev::default().tensor_from_vec(flat, (examples.len(), l));
    (tokens, examples.iter().map(|e| e.label).collect())
}

// ANCHOR: zero_shot
/// PET without training: the verbalizer's scores of `model` on the patterned examples.
pub fn pet_evaluate(model: &Gpt, examples: &[Example], words: &[usize]) -> LabelStats {
    let (tokens, labels) = batch(examples);
    label_stats(&label_logits(model.forward(tokens), words), &labels)
}
// ANCHOR_END: zero_shot

// ANCHOR: pet_step
/// One PET fine-tuning step on `examples`: the whole model is trained on the label loss.
pub fn pet_step(
    model: &mut Gpt,
    opt: &mut AdamW,
    grads: &mut Gradients<f32, Dev>,
    examples: &[Example],
    words: &[usize],
    lr: f64,
) -> f32 {
    let (tokens, labels) = batch(examples);
    let tokens = tokens.traced(std::mem::replace(grads, Gradients::leaky()));
    let loss = label_loss(label_logits(model.forward(tokens), words), &labels);
    let value = loss.array();
    *grads = loss.backward();
    opt.update(model, grads, lr).expect("CPU update");
    model.zero_grads(grads);
    value
}
// ANCHOR_END: pet_step

#[cfg(test)]
mod tests;
