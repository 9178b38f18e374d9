//! §6.5 Fine-tune-CoT: distilling reasoning through generated data (思维链微调蒸馏).
//!
//! Paper: Ho, Schmid and Yun 2022, "Large Language Models Are Reasoning Teachers", arXiv
//! 2212.10071, §3. Distillation without the teacher's logits: a very large teacher writes
//! step-by-step rationales, and a small student is fine-tuned on them.
//! 1. **Reasoning generation**, with zero-shot chain-of-thought (Kojima et al. 2022, arXiv
//!    2205.11916): the teacher continues `Q: <question>\nA: Let's think step by step.` with
//!    a rationale; a second call ending in `Therefore, the answer is` extracts its answer.
//! 2. **Curation**: samples whose answer differs from the gold answer are dropped; the rest
//!    become prompt `<question> ###` and completion ` <rationale> --> <answer> END`.
//! 3. **Fine-tuning** the student on those pairs (§3.5's loop, any SFT trainer).
//!
//! *Diverse reasoning* asks the teacher for D rationales per question (sampled at
//! temperature 0.7 in the paper): several correct paths per question help the student. The
//! teacher here is §6.1's [`LanguageModel`]; the tests script it, so every step is exact.
//! Hugging Face: the curated pairs are a `{"prompt", "completion"}` dataset for TRL's
//! `SFTTrainer`, which trains on the completion only.

use super::language_model::LanguageModel;

/// Kojima et al.'s zero-shot chain-of-thought trigger.
pub const STEP_BY_STEP: &str = "Let's think step by step.";
/// Their answer-extraction trigger (stage 2).
pub const ANSWER_TRIGGER: &str = "Therefore, the answer is";

/// A training question with its gold answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub question: String,
    pub answer: String,
}

/// A curated training pair for the student.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    pub prompt: String,
    pub completion: String,
}

/// What curation kept, of how many generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Curated {
    pub samples: Vec<Sample>,
    pub generated: usize,
}

/// The stage-1 prompt: `Q: <question>\nA: Let's think step by step.`
pub fn reasoning_prompt(question: &str) -> String {
    format!("Q: {question}\nA: {STEP_BY_STEP}")
}

/// An answer as compared: trimmed, without a final period, lower case.
pub fn normalize_answer(answer: &str) -> String {
    answer.trim().trim_end_matches('.').trim().to_lowercase()
}

// ANCHOR: teacher_rationale
/// Stages 1 and 2 for one question: the teacher's rationale (up to the next `Q:`) and the
/// answer it extracts from it (up to the end of the line).
pub fn teacher_rationale(teacher: &mut impl LanguageModel, question: &str) -> (String, String) {
    let prompt = reasoning_prompt(question);
    let rationale = teacher.complete(&prompt, &["\nQ:"]).trim().to_string();
    let extraction = format!("{prompt} {rationale}\n{ANSWER_TRIGGER}");
    let answer = teacher.complete(&extraction, &["\n"]);
    (rationale, normalize_answer(&answer))
}
// ANCHOR_END: teacher_rationale

/// The student's training pair: `<question> ###` → ` <rationale> --> <answer> END`.
/// `###` and `END` are the paper's delimiters: the student learns where its input ends and
/// when to stop.
pub fn student_sample(question: &str, rationale: &str, answer: &str) -> Sample {
    Sample {
        prompt: format!("{question} ###"),
        completion: format!(" {rationale} --> {answer} END"),
    }
}

// ANCHOR: fine_tune_cot_data
/// Fine-tune-CoT's data: `degree` rationales per question from `teacher` (diverse reasoning
/// when the teacher samples), each kept only if its answer is the gold one.
pub fn fine_tune_cot_data(
    teacher: &mut impl LanguageModel,
    questions: &[Question],
    degree: usize,
) -> Curated {
    let mut samples = vec![];
    for q in questions {
        for _ in 0..degree {
            let (rationale, answer) = teacher_rationale(teacher, &q.question);
            // Subtle: a wrong rationale is worse than none; the student would learn to
            // reason its way to wrong answers. Only the gold answer passes.
            if answer == normalize_answer(&q.answer) {
                samples.push(student_sample(&q.question, &rationale, &answer));
            }
        }
    }
    Curated { samples, generated: questions.len() * degree }
}
// ANCHOR_END: fine_tune_cot_data

#[cfg(test)]
mod tests;
