//! §2.3 peers: Hugging Face's `WordPieceTrainer` / `WordPiece` and `UnigramTrainer` /
//! `Unigram`, trained on exactly the words the course's own tokenizers see.
//!
//! Both trainers are fed the text line by line with the course's pre-tokenizer
//! ([`solutions::nlp::pre_tokenization::pre_tokenize_for_subwords`]) as the `process`
//! function, so HF counts the same words we do; no HF normalizer or pre-tokenizer is
//! involved.

use anyhow::{anyhow, Result};
use solutions::nlp::pre_tokenization::pre_tokenize_for_subwords;
use solutions::nlp::{corpus, wordpiece};
use tokenizers::models::unigram::{Unigram, UnigramTrainer};
use tokenizers::models::wordpiece::{WordPiece, WordPieceTrainer};
use tokenizers::{AddedToken, Model, Trainer};

/// The unknown token given to HF's Unigram trainer (so that an uncovered character is
/// an `<unk>` and not an error).
pub const UNIGRAM_UNK: &str = "<unk>";

fn feed<T: Trainer>(trainer: &mut T, text: &str) -> Result<()> {
    let process = |line: &str| -> tokenizers::Result<Vec<String>> {
        Ok(pre_tokenize_for_subwords(line).into_iter().map(str::to_owned).collect())
    };
    trainer.feed(corpus::lines(text), process).map_err(|e| anyhow!(e))
}

/// HF's `WordPieceTrainer` with `[UNK]` as its one special token. Subtle: it is a
/// `BpeTrainer` with `continuing_subword_prefix = "##"`: it merges the most *frequent*
/// pair, not the pair with the highest WordPiece score.
pub fn train_wordpiece(text: &str, vocab_size: usize) -> Result<WordPiece> {
    let mut trainer = WordPieceTrainer::builder()
        .vocab_size(vocab_size)
        .show_progress(false)
        .special_tokens(vec![AddedToken::from(wordpiece::UNK, true)])
        .build();
    feed(&mut trainer, text)?;
    let mut model = WordPiece::default();
    trainer.train(&mut model).map_err(|e| anyhow!(e))?;
    Ok(model)
}

/// A model's vocabulary sorted by id. For a trained WordPiece that is `[UNK]`, the
/// alphabet, then one new token per merge in merge order.
pub fn vocab_by_id(model: &impl Model) -> Vec<String> {
    let mut v: Vec<(String, u32)> = model.get_vocab().into_iter().collect();
    v.sort_by_key(|(_, id)| *id);
    v.into_iter().map(|(t, _)| t).collect()
}

/// HF's `UnigramTrainer` with `<unk>` as the unknown token, byte fallback off (the
/// default), its default `max_piece_length` 16 and shrinking factor 0.75.
pub fn train_unigram(text: &str, vocab_size: u32) -> Result<Unigram> {
    let mut trainer = UnigramTrainer::builder()
        .vocab_size(vocab_size)
        .show_progress(false)
        .unk_token(Some(UNIGRAM_UNK.into()))
        .special_tokens(vec![AddedToken::from(UNIGRAM_UNK, true)])
        .build()?;
    feed(&mut trainer, text)?;
    let mut model = Unigram::default();
    trainer.train(&mut model).map_err(|e| anyhow!(e))?;
    Ok(model)
}

/// A trained Unigram's pieces with their log-probabilities (its `<unk>` included, score 0).
pub fn unigram_pieces(model: &Unigram) -> Vec<(String, f64)> {
    model.iter().cloned().collect()
}

/// HF's segmentation of one pre-tokenized word: the `value` of each token.
pub fn tokenize(model: &impl Model, word: &str) -> Result<Vec<String>> {
    let tokens = model.tokenize(word).map_err(|e| anyhow!(e))?;
    Ok(tokens.into_iter().map(|t| t.value).collect())
}
