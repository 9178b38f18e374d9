use super::*;
use crate::training::packing::IGNORE_INDEX;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

fn hand_worked() -> Vec<Turn> {
    vec![
        Turn::new(Role::System, "Be brief."),
        Turn::new(Role::User, "Hi"),
        Turn::new(Role::Assistant, "Hello!"),
        Turn::new(Role::User, "And 2+2?"),
        Turn::new(Role::Assistant, "4"),
    ]
}

/// The trained tokens written back as text, special tokens by name.
fn decode(ids: &[i64]) -> String {
    ids.iter()
        .filter(|&&l| l != IGNORE_INDEX)
        .map(|&l| match l as usize {
            IM_START => "<|im_start|>".to_string(),
            IM_END => "<|im_end|>".to_string(),
            b => char::from(b as u8).to_string(),
        })
        .collect()
}

/// Counted by hand: headers are 1 + len(role) + 1 ids, bodies len(content) + 1, and one
/// `\n` follows each turn: 19 + 10 + 19 + 16 + 14 = 78 ids.
#[test]
fn hand_worked_conversation() {
    let chat = render_chatml(&hand_worked());
    assert_eq!(chat.ids.len(), 78);
    let lens: Vec<usize> = chat.turns.iter().map(|t| t.body.end + 1 - t.header.start).collect();
    assert_eq!(lens, [19, 10, 19, 16, 14]);
    let all = multi_turn_labels(&chat, LabelScheme::AllAssistantTurns);
    let last = multi_turn_labels(&chat, LabelScheme::LastAssistantTurn);
    assert_eq!(decode(&all), "Hello!<|im_end|>4<|im_end|>");
    assert_eq!(decode(&last), "4<|im_end|>");
    assert_eq!((trained_tokens(&all), trained_tokens(&last)), (9, 2));
    // One sample per assistant turn: the same 9 tokens trained, 19+10+19 ids read twice.
    let per_turn = per_turn_samples(&hand_worked());
    let trained: usize = per_turn
        .iter()
        .map(|c| trained_tokens(&multi_turn_labels(c, LabelScheme::LastAssistantTurn)))
        .sum();
    let read: usize = per_turn.iter().map(|c| c.ids.len()).sum();
    assert_eq!((trained, read), (9, 48 + 78));
}

/// Random conversations: every trained label is the id under it, inside an assistant body;
/// the counts are the byte lengths of the trained contents plus one `<|im_end|>` each.
#[test]
fn random_conversations() {
    let mut rng = StdRng::seed_from_u64(0);
    for _ in 0..200 {
        let turns: Vec<Turn> = (0..rng.gen_range(0..8))
            .map(|_| {
                let role = [Role::System, Role::User, Role::Assistant][rng.gen_range(0..3)];
                let content: String = (0..rng.gen_range(0..12))
                    .map(|_| ['a', 'é', '中', ' ', '\n'][rng.gen_range(0..5)])
                    .collect();
                Turn { role, content }
            })
            .collect();
        let chat = render_chatml(&turns);
        let answers: Vec<usize> = turns
            .iter()
            .filter(|t| t.role == Role::Assistant)
            .map(|t| t.content.len() + 1)
            .collect();
        let all = multi_turn_labels(&chat, LabelScheme::AllAssistantTurns);
        let last = multi_turn_labels(&chat, LabelScheme::LastAssistantTurn);
        assert_eq!(trained_tokens(&all), answers.iter().sum::<usize>());
        assert_eq!(trained_tokens(&last), answers.last().copied().unwrap_or(0));
        for (i, &l) in all.iter().enumerate() {
            let inside =
                chat.turns.iter().any(|t| t.role == Role::Assistant && t.body.contains(&i));
            assert_eq!(l != IGNORE_INDEX, inside, "position {i}");
            if inside {
                assert_eq!(l, chat.ids[i] as i64);
            }
        }
    }
}
