//! §2.2 peer: Hugging Face's `BpeTrainer`, fed exactly the words the course's BPE sees.
//!
//! The trainer is fed the text line by line, with the course's own pre-tokenizer as the
//! `process` function, so HF counts the same words with the same frequencies; no HF
//! normalizer or pre-tokenizer is involved.
//! - Character level: [`char_bpe::words`] and `end_of_word_suffix("</w>")`, which attaches
//!   the marker to a word's last character as [`CharBpe`](solutions::nlp::char_bpe) does.
//! - Byte level: [`byte_bpe::words`], each byte written as the character GPT-2's (and HF's
//!   `ByteLevel`) byte↔char table gives it, and all 256 of them as the initial alphabet.
//!   HF's merges are mapped back to bytes.
//!
//! The merges are read from the trained model's JSON (its `merges` field, in rank order).

use anyhow::{anyhow, Context, Result};
use solutions::nlp::bpe::{merge_pair, pair_counts, Pair};
use solutions::nlp::{byte_bpe, char_bpe, corpus};
use std::collections::{BTreeSet, HashMap, HashSet};
use tokenizers::models::bpe::{BpeTrainer, BPE};
use tokenizers::Trainer;

/// GPT-2's byte → printable character table (`bytes_to_unicode` in its `encoder.py`; HF's
/// `bytes_char`): printable Latin-1 bytes stand for themselves, the other 68 bytes are
/// shifted to U+0100 and up (a space becomes `Ġ`, U+0120).
pub fn byte_to_char() -> [char; 256] {
    let printable = |b: u8| (b'!'..=b'~').contains(&b) || (0xA1..=0xAC).contains(&b) || b >= 0xAE;
    let mut table = ['\0'; 256];
    let mut shifted = 0;
    for b in 0..=255u8 {
        table[b as usize] = if printable(b) {
            b as char
        } else {
            shifted += 1;
            char::from_u32(255 + shifted).expect("U+0100..U+0143 are characters")
        };
    }
    table
}

/// Trains HF's `BpeTrainer` on the lines of `text`, each cut into words by `process`.
fn train(
    trainer: &mut BpeTrainer,
    text: &str,
    process: impl Fn(&str) -> Vec<String> + Sync,
) -> Result<BPE> {
    trainer
        .feed(corpus::lines(text), |line| Ok(process(line)))
        .map_err(|e| anyhow!("feeding BpeTrainer: {e}"))?;
    let mut model = BPE::default();
    trainer.train(&mut model).map_err(|e| anyhow!("BpeTrainer: {e}"))?;
    Ok(model)
}

/// A trained model's merges as token strings, in rank order (from its JSON form).
pub fn merges_of(model: &BPE) -> Result<Vec<(String, String)>> {
    let json = serde_json::to_value(model).context("serializing the BPE model")?;
    serde_json::from_value(json["merges"].clone()).context("reading the model's merges")
}

fn trainer(vocab_size: usize) -> tokenizers::models::bpe::BpeTrainerBuilder {
    BpeTrainer::builder().vocab_size(vocab_size).min_frequency(0).show_progress(false)
}

/// HF's character-level merges, e.g. `("e", "s</w>")`, as many as `num_merges` allows.
///
/// The vocabulary size given to HF is its alphabet (every character, and `x</w>` for every
/// word-final character) plus `num_merges`; the course's alphabet has the lone `</w>` too.
pub fn hf_char_merges(text: &str, num_merges: usize) -> Result<Vec<(String, String)>> {
    let words: Vec<&str> = corpus::lines(text).flat_map(char_bpe::words).collect();
    let chars: HashSet<char> = words.iter().flat_map(|w| w.chars()).collect();
    let last: HashSet<char> = words.iter().filter_map(|w| w.chars().last()).collect();
    let mut t = trainer(chars.len() + last.len() + num_merges)
        .end_of_word_suffix(char_bpe::END_OF_WORD.into())
        .build();
    let model = train(&mut t, text, |line| char_bpe::words(line).map(String::from).collect())?;
    merges_of(&model)
}

/// HF's `BpeTrainer` trained at byte level: 256 + `num_merges` is the vocabulary size.
/// This is what the benchmark times.
pub fn train_hf_bytes(text: &str, num_merges: usize) -> Result<BPE> {
    let table = byte_to_char();
    let mut t = trainer(256 + num_merges).initial_alphabet(table.into_iter().collect()).build();
    let spell = |w: &str| w.bytes().map(|b| table[b as usize]).collect::<String>();
    train(&mut t, text, |line| byte_bpe::words(line).into_iter().map(spell).collect())
}

/// HF's byte-level merges, mapped back to bytes.
pub fn hf_byte_merges(text: &str, num_merges: usize) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let table = byte_to_char();
    let back: HashMap<char, u8> = (0..=255u8).map(|b| (table[b as usize], b)).collect();
    let merges = merges_of(&train_hf_bytes(text, num_merges)?)?;
    let unspell = |s: &str| s.chars().map(|c| back[&c]).collect::<Vec<u8>>();
    Ok(merges.iter().map(|(a, b)| (unspell(a), unspell(b))).collect())
}

/// The first merge step (0-based) at which the most frequent pair is not unique, replaying
/// `merges` on `words` with full recounts; `None` if every step had a single top pair.
/// Before that step any two correct trainers must agree, whatever their tie rule.
pub fn first_tie(words: &[(Vec<u32>, u64)], first_id: u32, merges: &[Pair]) -> Option<usize> {
    let mut words = words.to_vec();
    for (k, &pair) in merges.iter().enumerate() {
        let counts = pair_counts(&words);
        let top = counts.values().max().copied().unwrap_or(0);
        if counts.values().filter(|&&c| c == top).count() > 1 {
            return Some(k);
        }
        for (w, _) in &mut words {
            *w = merge_pair(w, pair, first_id + k as u32);
        }
    }
    None
}

/// HF's id of each byte: its rank among the 256 characters of [`byte_to_char`] sorted by
/// code point (HF sorts its initial alphabet so). The bytes 0x21..=0x7E come first, and
/// the space (`Ġ`) comes late, where the course's byte-level BPE puts it at 32.
pub fn hf_byte_ids() -> [u32; 256] {
    let table = byte_to_char();
    let mut order: Vec<u8> = (0..=255).collect();
    order.sort_by_key(|&b| table[b as usize]);
    let mut ids = [0; 256];
    for (id, b) in order.into_iter().enumerate() {
        ids[b as usize] = id as u32;
    }
    ids
}

/// The byte-level word table of `text`, as the course's `ByteBpe` trains on it.
pub fn byte_words(text: &str) -> Vec<(Vec<u32>, u64)> {
    let table = solutions::nlp::bpe::word_counts(corpus::lines(text).flat_map(byte_bpe::words));
    table.iter().map(|&(w, c)| (w.bytes().map(u32::from).collect(), c)).collect()
}

/// The distinct token strings among a list of merges' results (to spot HF reusing an id
/// when two different pairs spell the same token, which the course's trainers never do).
pub fn distinct_results<T: Ord + Clone>(merges: &[(Vec<T>, Vec<T>)]) -> usize {
    merges.iter().map(|(a, b)| [a.clone(), b.clone()].concat()).collect::<BTreeSet<_>>().len()
}
