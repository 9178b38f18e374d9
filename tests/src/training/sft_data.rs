//! Graded suites for §4.6, one file per library concept, gathered under the section's
//! module as the library gathers the exercises (`solutions::training::sft_data`).

pub use super::chat_labels::check_multi_turn_labels;
pub use super::minhash::check_minhash;
pub use super::packing::check_pack;
