use super::*;
use crate::training::chat_labels::{render_chatml, Role, Turn, IM_END, IM_START};

/// `data/reference/chat_templates.json`, written by `scripts/reference/chat_templates.py`.
#[derive(serde::Deserialize)]
struct Reference {
    provenance: String,
    cases: Vec<Case>,
    errors: Vec<ErrorCase>,
}

#[derive(serde::Deserialize)]
struct Case {
    template: String,
    conversation: String,
    add_generation_prompt: bool,
    messages: Vec<Message>,
    rendered: String,
}

#[derive(serde::Deserialize)]
struct ErrorCase {
    template: String,
    messages: Vec<Message>,
    message: String,
}

fn reference() -> Reference {
    serde_json::from_str(include_str!("../../../../data/reference/chat_templates.json")).unwrap()
}

/// The first byte at which two strings differ, with a little context, for a failure message.
fn first_difference(got: &str, want: &str) -> String {
    let at = got.bytes().zip(want.bytes()).take_while(|(a, b)| a == b).count();
    let around = |s: &str| {
        String::from_utf8_lossy(&s.as_bytes()[at.saturating_sub(10)..(at + 20).min(s.len())])
            .into_owned()
    };
    format!("first difference at byte {at}: ours {:?}, theirs {:?}", around(got), around(want))
}

#[test]
fn every_reference_conversation_renders_byte_for_byte_as_transformers() {
    let r = reference();
    assert_eq!(r.cases.len(), 16, "2 templates × 4 conversations × 2 ({})", r.provenance);
    for c in &r.cases {
        let template = ChatTemplate::named(&c.template).unwrap();
        let got = template.render(&c.messages, c.add_generation_prompt).unwrap();
        assert!(
            got == c.rendered,
            "{} on {:?}, add_generation_prompt = {}: {} ({})",
            c.template,
            c.conversation,
            c.add_generation_prompt,
            first_difference(&got, &c.rendered),
            r.provenance
        );
    }
    // The cases cover both templates, a system prompt and several turns, both ways.
    for name in ["chatml", "llama2"] {
        for flag in [false, true] {
            let n =
                r.cases.iter().filter(|c| c.template == name && c.add_generation_prompt == flag);
            assert!(n.filter(|c| c.messages.len() >= 5).count() >= 1, "{name} {flag}");
        }
    }
}

#[test]
fn a_conversation_the_template_rejects_fails_with_its_message() {
    let r = reference();
    assert!(!r.errors.is_empty());
    for e in &r.errors {
        let err = ChatTemplate::named(&e.template).unwrap().render(&e.messages, false).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidOperation);
        assert_eq!(err.detail(), Some(e.message.as_str()), "{}", r.provenance);
    }
}

#[test]
fn the_generation_prompt_opens_the_assistant_s_turn() {
    let chat = [Message::system("Be brief."), Message::user("Hi")];
    let t = ChatTemplate::chatml();
    let with = t.render(&chat, true).unwrap();
    let without = t.render(&chat, false).unwrap();
    assert_eq!(with, format!("{without}<|im_start|>assistant\n"));
    assert_eq!(
        without,
        "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
    );
    // Llama 2's template has no generation prompt: `[/INST]` already ends the user's turn.
    let t = ChatTemplate::llama2();
    assert_eq!(t.render(&chat, true).unwrap(), t.render(&chat, false).unwrap());
    assert_eq!(
        t.render(&chat, true).unwrap(),
        "<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST]"
    );
}

#[test]
fn chatml_agrees_with_the_hand_written_layout_of_section_4_6() {
    let turns = [
        Turn::new(Role::System, "You are terse."),
        Turn::new(Role::User, "2 + 2?"),
        Turn::new(Role::Assistant, "4"),
        Turn::new(Role::User, "和 3 + 3？"),
        Turn::new(Role::Assistant, "6"),
    ];
    let messages: Vec<Message> =
        turns.iter().map(|t| Message::new(t.role.name(), &t.content)).collect();
    let text = ChatTemplate::chatml().render(&messages, false).unwrap();
    // §4.6 writes the special strings as single tokens after the 256 bytes.
    let mut ids = vec![];
    for (i, piece) in text.split("<|im_start|>").enumerate() {
        if i > 0 {
            ids.push(IM_START);
        }
        for (j, part) in piece.split("<|im_end|>").enumerate() {
            if j > 0 {
                ids.push(IM_END);
            }
            ids.extend(part.bytes().map(usize::from));
        }
    }
    assert_eq!(ids, render_chatml(&turns).ids);
}

#[test]
fn a_template_that_does_not_parse_is_an_error() {
    let t =
        ChatTemplate { chat_template: "{% for m in messages %}".into(), ..ChatTemplate::chatml() };
    let err = t.render(&[Message::user("hi")], false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SyntaxError, "{err}");
}
