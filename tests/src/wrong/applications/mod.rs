//! Chapter 6's wrong variants, one file per section.

pub mod prompts;
