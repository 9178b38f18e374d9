//! §4.6: plausible wrong packers, chat labels and MinHash signatures.

use solutions::training::chat_labels::{multi_turn_labels, LabelScheme, RenderedChat, Role};
use solutions::training::minhash::{minhash, UniversalHash, MERSENNE_61};
use solutions::training::packing::{pack, pack_in_order, PackedRow};

/// First fit, but the positions run 0..T across the whole row.
pub fn pack_running_positions(s: &[Vec<usize>], row_len: usize, pad: usize) -> Vec<PackedRow> {
    let mut rows = pack(s, row_len, pad);
    rows.iter_mut().for_each(|r| r.positions = (0..row_len).collect());
    rows
}
/// First fit, but each sample's first token keeps its label.
pub fn pack_boundary_labelled(s: &[Vec<usize>], row_len: usize, pad: usize) -> Vec<PackedRow> {
    let mut rows = pack(s, row_len, pad);
    for r in &mut rows {
        let starts = r.segments.iter().zip(&r.positions).map(|(s, &p)| s.is_some() && p == 0);
        for ((label, &tok), start) in r.labels.iter_mut().zip(&r.tokens).zip(starts) {
            if start {
                *label = tok as i64;
            }
        }
    }
    rows
}
/// Next fit: a sample that does not fit closes the row.
pub fn pack_next_fit(s: &[Vec<usize>], row_len: usize, pad: usize) -> Vec<PackedRow> {
    pack_in_order(s, row_len, pad)
}

/// Every assistant turn, and the user turns as well.
pub fn labels_on_user_turns(chat: &RenderedChat, scheme: LabelScheme) -> Vec<i64> {
    let mut labels = multi_turn_labels(chat, scheme);
    for t in chat.turns.iter().filter(|t| t.role == Role::User) {
        t.body.clone().for_each(|i| labels[i] = chat.ids[i] as i64);
    }
    labels
}
/// The content only: `<|im_end|>` left at −100.
pub fn labels_without_im_end(chat: &RenderedChat, scheme: LabelScheme) -> Vec<i64> {
    let mut labels = multi_turn_labels(chat, scheme);
    chat.turns.iter().for_each(|t| labels[t.body.end - 1] = -100);
    labels
}
/// The header `<|im_start|>assistant\n` trained too.
pub fn labels_with_headers(chat: &RenderedChat, scheme: LabelScheme) -> Vec<i64> {
    let mut labels = multi_turn_labels(chat, scheme);
    for t in chat.turns.iter().filter(|t| t.role == Role::Assistant) {
        if labels[t.body.clone()].iter().any(|&l| l != -100) {
            t.header.clone().for_each(|i| labels[i] = chat.ids[i] as i64);
        }
    }
    labels
}
/// Only the last turn, whatever the scheme.
pub fn labels_last_only(chat: &RenderedChat, _scheme: LabelScheme) -> Vec<i64> {
    multi_turn_labels(chat, LabelScheme::LastAssistantTurn)
}

/// The first permutation for every entry.
pub fn minhash_one_permutation(set: &[u64], perms: &[UniversalHash]) -> Vec<u64> {
    minhash(set, &vec![perms[0]; perms.len()])
}
/// (a·x + b) in wrapping u64 arithmetic, then mod p.
pub fn minhash_wrapping(set: &[u64], perms: &[UniversalHash]) -> Vec<u64> {
    let h = |p: &UniversalHash, x: u64| p.a.wrapping_mul(x).wrapping_add(p.b) % MERSENNE_61;
    perms.iter().map(|p| set.iter().map(|&x| h(p, x)).min().unwrap_or(u64::MAX)).collect()
}
/// The largest permuted value instead of the smallest.
pub fn minhash_max(set: &[u64], perms: &[UniversalHash]) -> Vec<u64> {
    perms.iter().map(|p| set.iter().map(|&x| p.apply(x)).max().unwrap_or(u64::MAX)).collect()
}
