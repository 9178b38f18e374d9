//! §4.6 Multi-turn chat labels (多轮对话的损失掩码): which tokens of a conversation an SFT
//! step trains on.
//!
//! The template is ChatML's (OpenAI; Qwen uses it unchanged): every turn is
//! `<|im_start|>{role}\n{content}<|im_end|>\n`. Hugging Face: `tokenizer.apply_chat_template`
//! renders it, and TRL's `SFTConfig(assistant_only_loss=True)` trains only the assistant
//! parts (the `{% generation %}` blocks: the content and its `<|im_end|>`), with the
//! ignore index −100 elsewhere. Vicuna / FastChat and ChatGLM2 train every assistant turn
//! of a conversation in one sample; the alternative, one sample per assistant turn with
//! only the last trained, reads the history again for every turn.
//!
//! Tokens here are UTF-8 bytes (ids 0–255) plus the two special tokens, so that a count
//! can be checked by hand.

// Subtle: the ignore index is named by its full path, not imported: the exercise stub
// imports the section's types once, and a second `use` of it would not compile.
use std::ops::Range;

/// ChatML's `<|im_start|>`, one token after the 256 bytes.
pub const IM_START: usize = 256;
/// ChatML's `<|im_end|>`: the token an assistant turn ends with, so the model learns to stop.
pub const IM_END: usize = 257;

/// Who speaks a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    System,
    User,
    Assistant,
}

impl Role {
    /// The name written in the turn's header.
    pub fn name(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

/// One turn of a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    pub role: Role,
    pub content: String,
}

impl Turn {
    pub fn new(role: Role, content: &str) -> Self {
        Self { role, content: content.to_string() }
    }
}

/// Where one turn sits in the rendered token ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TurnSpan {
    pub role: Role,
    /// `<|im_start|>{role}\n`: never trained, the model is given it.
    pub header: Range<usize>,
    /// `{content}<|im_end|>`: what an assistant turn trains on.
    pub body: Range<usize>,
}

/// A conversation rendered to ids, with each turn's spans; the `\n` after each
/// `<|im_end|>` belongs to neither span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedChat {
    pub ids: Vec<usize>,
    pub turns: Vec<TurnSpan>,
}

/// Renders `turns` with the ChatML template, as bytes plus [`IM_START`] and [`IM_END`].
pub fn render_chatml(turns: &[Turn]) -> RenderedChat {
    let mut ids = Vec::new();
    let bytes = |s: &str| s.bytes().map(usize::from).collect::<Vec<_>>();
    let spans = turns
        .iter()
        .map(|t| {
            let start = ids.len();
            ids.push(IM_START);
            ids.extend(bytes(t.role.name()));
            ids.extend(bytes("\n"));
            let body = ids.len();
            ids.extend(bytes(&t.content));
            ids.push(IM_END);
            let span = TurnSpan { role: t.role, header: start..body, body: body..ids.len() };
            ids.extend(bytes("\n"));
            span
        })
        .collect();
    RenderedChat { ids, turns: spans }
}

/// Which assistant turns a sample trains on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelScheme {
    /// Every assistant turn: one pass over the conversation trains all its answers.
    AllAssistantTurns,
    /// Only the last assistant turn; the earlier ones are context, like the user's.
    LastAssistantTurn,
}

// ANCHOR: multi_turn_labels
/// Labels for `chat` (one per id, Hugging Face's unshifted convention): the token id on
/// the body (`{content}<|im_end|>`) of each trained assistant turn, the ignore index −100
/// (`packing::IGNORE_INDEX`) everywhere else: system and user turns, every header, the
/// `\n` separators, and under [`LabelScheme::LastAssistantTurn`] every assistant turn
/// but the last.
///
/// Worked example: system "Be brief.", user "Hi", assistant "Hello!", user "And 2+2?",
/// assistant "4" renders to 78 ids. Every assistant turn trains 6 + 1 (`Hello!` and
/// `<|im_end|>`) plus 1 + 1 (`4<|im_end|>`) = 9 tokens; the last turn only, 2.
/// ```
/// use solutions::training::chat_labels::*;
/// let chat = render_chatml(&[
///     Turn::new(Role::System, "Be brief."),
///     Turn::new(Role::User, "Hi"),
///     Turn::new(Role::Assistant, "Hello!"),
///     Turn::new(Role::User, "And 2+2?"),
///     Turn::new(Role::Assistant, "4"),
/// ]);
/// assert_eq!(chat.ids.len(), 78);
/// let all = multi_turn_labels(&chat, LabelScheme::AllAssistantTurns);
/// let last = multi_turn_labels(&chat, LabelScheme::LastAssistantTurn);
/// assert_eq!((trained_tokens(&all), trained_tokens(&last)), (9, 2));
/// assert_eq!(&last[chat.turns[4].body.clone()], &[b'4' as i64, IM_END as i64]);
/// ```
pub fn multi_turn_labels(chat: &RenderedChat, scheme: LabelScheme) -> Vec<i64> {
    let mut labels = vec![crate::training::packing::IGNORE_INDEX; chat.ids.len()];
    let assistant: Vec<&TurnSpan> =
        chat.turns.iter().filter(|t| t.role == Role::Assistant).collect();
    let trained = match scheme {
        LabelScheme::AllAssistantTurns => &assistant[..],
        LabelScheme::LastAssistantTurn => &assistant[assistant.len().saturating_sub(1)..],
    };
    for span in trained {
        // Subtle: the body includes `<|im_end|>`; without its label the model never
        // learns to end a reply and runs on into a made-up user turn.
        for i in span.body.clone() {
            labels[i] = chat.ids[i] as i64;
        }
    }
    labels
}
// ANCHOR_END: multi_turn_labels

/// How many tokens `labels` trains on (those not −100, the ignore index).
pub fn trained_tokens(labels: &[i64]) -> usize {
    labels.iter().filter(|&&l| l != crate::training::packing::IGNORE_INDEX).count()
}

/// The other way to train every answer: one sample per assistant turn, the conversation
/// up to and including that turn, trained on its last assistant turn only. The same
/// answers are trained, but every sample reads the whole history again.
pub fn per_turn_samples(turns: &[Turn]) -> Vec<RenderedChat> {
    (0..turns.len())
        .filter(|&i| turns[i].role == Role::Assistant)
        .map(|i| render_chatml(&turns[..=i]))
        .collect()
}

#[cfg(test)]
mod tests;
