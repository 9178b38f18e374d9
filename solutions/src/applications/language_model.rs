//! §6.1 The model behind every application (统一的语言模型接口).
//!
//! Chapter 6 builds prompts, chains, agents and reasoning strategies on top of a model. They
//! only need one thing from it: continue a text until a stop string. This trait is that
//! contract, so that the same agent runs on the tiny GPT of §3.5 and on [`ScriptedModel`],
//! a model that replies from a script and records every prompt it was given. Tests use the
//! scripted one: an application's logic is then tested without the luck of sampling.
//! LangChain's equivalent is `BaseLLM.invoke(prompt, stop=[...])`.

use std::collections::VecDeque;

// ANCHOR: language_model
/// A text-in, text-out language model.
pub trait LanguageModel {
    /// Continues `prompt` and returns only the new text. Generation ends at the first
    /// occurrence of any string in `stop`, which is not included in the reply (as with
    /// OpenAI's and LangChain's `stop`), or when the model decides to end.
    fn complete(&mut self, prompt: &str, stop: &[&str]) -> String;
}
// ANCHOR_END: language_model

/// A deterministic model for tests: it returns its scripted replies in order, cut at the
/// first stop string as a real model's would be, and keeps every prompt it saw.
#[derive(Clone, Debug, Default)]
pub struct ScriptedModel {
    replies: VecDeque<String>,
    /// The prompts received, in order: tests assert on what the application sent.
    pub prompts: Vec<String>,
}

impl ScriptedModel {
    pub fn new<S: Into<String>>(replies: impl IntoIterator<Item = S>) -> Self {
        Self { replies: replies.into_iter().map(Into::into).collect(), prompts: vec![] }
    }

    /// Replies not yet used.
    pub fn remaining(&self) -> usize {
        self.replies.len()
    }
}

impl LanguageModel for ScriptedModel {
    /// Panics when the script runs out: a test that calls the model more often than it
    /// scripted has found a bug (for example an agent loop that does not stop).
    fn complete(&mut self, prompt: &str, stop: &[&str]) -> String {
        self.prompts.push(prompt.to_string());
        let reply = self.replies.pop_front().unwrap_or_else(|| {
            panic!("ScriptedModel: no reply left for call {}", self.prompts.len())
        });
        cut_at_stop(&reply, stop).to_string()
    }
}

/// `text` up to (not including) the earliest occurrence of any stop string.
pub fn cut_at_stop<'a>(text: &'a str, stop: &[&str]) -> &'a str {
    let end = stop.iter().filter(|s| !s.is_empty()).filter_map(|s| text.find(s)).min();
    &text[..end.unwrap_or(text.len())]
}

#[cfg(test)]
mod tests;
