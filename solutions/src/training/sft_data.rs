//! §4.6 SFT data engineering (SFT 数据工程): the section's exercises, each defined in its
//! own file and gathered here.
//!
//! - [`pack`] (`packing.rs`): samples in fixed-length rows, with block-diagonal causal
//!   masks, restarted positions and −100 labels at the boundaries (Krell et al. 2021,
//!   arXiv 2107.02027; Hugging Face's `DataCollatorWithFlattening`).
//! - [`multi_turn_labels`] (`chat_labels.rs`): ChatML conversations, trained on every
//!   assistant turn or on the last one only (TRL's `assistant_only_loss`).
//! - [`minhash`] (`minhash.rs`, with `dedup.rs`): near-duplicates by MinHash and LSH
//!   banding, after exact hashing (Broder 1997; `datasketch`).

pub use crate::training::chat_labels::multi_turn_labels;
pub use crate::training::minhash::minhash;
pub use crate::training::packing::pack;
