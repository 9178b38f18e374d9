//! Graded suite for §4.6's `multi_turn_labels`: both schemes on the hand-worked
//! conversation and on seeded random ones, against the library, the trained-token counts
//! first and each known mistake named.

use crate::{Check, Failure};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::training::chat_labels::{
    self, render_chatml, trained_tokens, LabelScheme, RenderedChat, Role, Turn,
};
use solutions::training::packing::IGNORE_INDEX;

fn hand_worked() -> Vec<Turn> {
    vec![
        Turn::new(Role::System, "Be brief."),
        Turn::new(Role::User, "Hi"),
        Turn::new(Role::Assistant, "Hello!"),
        Turn::new(Role::User, "And 2+2?"),
        Turn::new(Role::Assistant, "4"),
    ]
}

fn random_chat(seed: u64) -> Vec<Turn> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut turns = vec![Turn::new(Role::System, "sys")];
    for _ in 0..rng.gen_range(1..5) {
        let text = |rng: &mut StdRng| (0..rng.gen_range(1..9)).map(|_| 'a').collect::<String>();
        turns.push(Turn { role: Role::User, content: text(&mut rng) });
        turns.push(Turn { role: Role::Assistant, content: text(&mut rng) });
    }
    turns
}

/// What went wrong at the first wrong label: which span it is in.
fn where_is(chat: &RenderedChat, i: usize) -> String {
    for (k, t) in chat.turns.iter().enumerate() {
        if t.header.contains(&i) {
            return format!("in the header `<|im_start|>{}\\n` of turn {k}", t.role.name());
        }
        if t.body.contains(&i) {
            let what = if i + 1 == t.body.end { "the `<|im_end|>` of" } else { "the content of" };
            return format!("in {what} turn {k} ({})", t.role.name());
        }
    }
    "on a `\\n` between turns".to_string()
}

/// Grades `multi_turn_labels(chat, scheme)`.
pub fn check_multi_turn_labels<F>(f: F) -> Check
where
    F: Fn(&RenderedChat, LabelScheme) -> Vec<i64>,
{
    let mut chats = vec![("the worked example".to_string(), hand_worked())];
    chats.extend((0..10).map(|s| (format!("random conversation {s}"), random_chat(s))));
    for (case, turns) in &chats {
        let chat = render_chatml(turns);
        for scheme in [LabelScheme::AllAssistantTurns, LabelScheme::LastAssistantTurn] {
            let got = f(&chat, scheme);
            let want = chat_labels::multi_turn_labels(&chat, scheme);
            if got.len() != want.len() {
                return Err(Failure::new(format!(
                    "multi_turn_labels, {case}, {scheme:?}: {} labels for {} ids: one label \
                     per id.",
                    got.len(),
                    want.len()
                )));
            }
            if got == want {
                continue;
            }
            let i = (0..got.len()).find(|&i| got[i] != want[i]).unwrap_or(0);
            let turn = chat.turns.iter().find(|t| t.header.contains(&i) || t.body.contains(&i));
            let cause = match turn {
                _ if got[i] != IGNORE_INDEX && got[i] != chat.ids[i] as i64 => {
                    "a trained label is the token id at that position itself (the loss shifts)"
                }
                Some(t) if t.role == Role::User => {
                    "the user's turn is trained: the model would learn to write the user's \
                     questions. Only assistant turns are labelled"
                }
                Some(t) if t.role == Role::System => {
                    "the system prompt is trained: only assistant turns are labelled"
                }
                Some(t) if t.header.contains(&i) => {
                    "the header `<|im_start|>assistant\\n` is given to the model, not \
                     written by it: train only the content and its `<|im_end|>`"
                }
                Some(t) if i + 1 == t.body.end => {
                    "the assistant's `<|im_end|>` is not trained: without it the model never \
                     learns to stop"
                }
                Some(_) if scheme == LabelScheme::LastAssistantTurn => {
                    "under LastAssistantTurn only the last assistant turn is trained; earlier \
                     ones are context"
                }
                Some(_) => {
                    "under AllAssistantTurns every assistant turn is trained, not the \
                            last one only"
                }
                None => "the `\\n` after `<|im_end|>` belongs to no turn and is never trained",
            };
            return Err(Failure::new(format!(
                "multi_turn_labels, {case}, {scheme:?}: trains {} tokens, expected {}; the \
                 first wrong label is at id {i}, {}: {} instead of {}: {cause}.",
                trained_tokens(&got),
                trained_tokens(&want),
                where_is(&chat, i),
                got[i],
                want[i]
            )));
        }
    }
    Ok(())
}
