//! The outside peers (对照实现) the course compares itself with, in the same process.
//!
//! Hugging Face's `tokenizers` crate defines what BPE, WordPiece and Unigram training and
//! encoding produce in practice. This crate drives it on the same input as the course's
//! own tokenizers (`solutions::nlp`), so that the tests in `peers/tests/` can compare
//! merges and segmentations, and `bench_bpe` can time both trainers in one run.

pub mod bpe;
pub mod subword;
