//! §6.1 Chat templates (对话模板): a conversation laid out as the one string a chat model
//! was fine-tuned on.
//!
//! A chat model reads one token sequence; who said what is marked by special strings that
//! differ from model to model: ChatML's `<|im_start|>user\n…<|im_end|>` (OpenAI, Qwen,
//! OpenHermes), Llama 2's `<s>[INST] <<SYS>>\n…\n<</SYS>>\n\n… [/INST]` (Touvron et al.
//! 2023, *Llama 2*, arXiv 2307.09288, §3.1). A prompt laid out any other way is text the
//! model never saw in fine-tuning, and it answers worse. Hugging Face therefore ships each
//! model's layout with its tokenizer, as a Jinja template (`chat_template` in
//! `tokenizer_config.json`), rendered by `tokenizer.apply_chat_template(messages,
//! tokenize=False, add_generation_prompt=...)`.
//!
//! This file renders the same template strings with `minijinja`, the Jinja engine of Rust
//! LLM servers (Hugging Face's text-generation-inference, mistral.rs), set up as
//! `transformers` sets up Jinja2: `trim_blocks` and `lstrip_blocks`, the loop controls,
//! `raise_exception`, and Python's string methods (`content.strip()`). The output equals
//! `apply_chat_template`'s byte for byte (tests, against `data/reference/chat_templates.json`).

use minijinja::syntax::SyntaxConfig;
use minijinja::{context, Environment, Error, ErrorKind, Value};
use serde::{Deserialize, Serialize};

/// One message of a conversation, as Hugging Face passes it to the template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// "system", "user" or "assistant" (templates may accept others, such as "tool").
    pub role: String,
    pub content: String,
}

impl Message {
    pub fn new(role: &str, content: &str) -> Self {
        Self { role: role.to_string(), content: content.to_string() }
    }
    pub fn system(content: &str) -> Self {
        Self::new("system", content)
    }
    pub fn user(content: &str) -> Self {
        Self::new("user", content)
    }
    pub fn assistant(content: &str) -> Self {
        Self::new("assistant", content)
    }
}

/// A model's chat template with the special tokens it refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatTemplate {
    /// Where the template string comes from (a model's `tokenizer_config.json`).
    pub source: String,
    /// The Jinja source, exactly as shipped.
    pub chat_template: String,
    pub bos_token: String,
    pub eos_token: String,
}

/// The templates stored in `data/chat_templates.json`, by name.
pub const TEMPLATES_JSON: &str = include_str!("../../../data/chat_templates.json");

// ANCHOR: environment
/// A Jinja environment configured as `transformers`' `_compile_jinja_template`.
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    // Subtle: Jinja2's defaults keep the newline after a `{% ... %}` tag and the spaces
    // before it; Hugging Face turns both off, and a multi-line template renders other bytes
    // unless the same is done here.
    let syntax = SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).build();
    env.set_syntax(syntax.expect("the default delimiters with both options are valid"));
    // Python's methods on values, `content.strip()`, which Jinja2 allows and Jinja does not
    // define (minijinja-contrib's `pycompat`, as text-generation-inference does).
    // Subtle: its `strip()` trims Unicode White_Space, Python's `str.isspace()`; the two
    // differ only on the control characters U+001C to U+001F, which Python strips.
    env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
    // Templates check the conversation themselves and stop with Hugging Face's function.
    env.add_function("raise_exception", |message: String| -> Result<String, Error> {
        Err(Error::new(ErrorKind::InvalidOperation, message))
    });
    env
}
// ANCHOR_END: environment

impl ChatTemplate {
    /// A template stored in `data/chat_templates.json`: "chatml" or "llama2".
    pub fn named(name: &str) -> Option<Self> {
        let mut all: std::collections::BTreeMap<String, Self> =
            serde_json::from_str(TEMPLATES_JSON).expect("data/chat_templates.json is valid");
        all.remove(name)
    }

    /// ChatML, as `transformers` rendered it by default before templates were shipped.
    pub fn chatml() -> Self {
        Self::named("chatml").expect("chatml is in data/chat_templates.json")
    }

    /// The template of `meta-llama/Llama-2-7b-chat-hf`.
    pub fn llama2() -> Self {
        Self::named("llama2").expect("llama2 is in data/chat_templates.json")
    }

    // ANCHOR: render
    /// The conversation as the model's prompt: `apply_chat_template(messages,
    /// tokenize=False, add_generation_prompt=...)`. With `add_generation_prompt`, templates
    /// that have one append the header of the assistant's next turn, so that the model
    /// writes the reply and not another user turn. A template that rejects the
    /// conversation (Llama 2's roles must alternate) returns its message as the error.
    pub fn render(
        &self,
        messages: &[Message],
        add_generation_prompt: bool,
    ) -> Result<String, Error> {
        let messages: Vec<Value> =
            messages.iter().map(|m| context! { role => &m.role, content => &m.content }).collect();
        let ctx = context! {
            messages => messages,
            add_generation_prompt => add_generation_prompt,
            bos_token => &self.bos_token,
            eos_token => &self.eos_token,
        };
        environment().render_str(&self.chat_template, ctx)
    }
    // ANCHOR_END: render
}

#[cfg(test)]
mod tests;
