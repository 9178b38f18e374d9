//! Plausible wrong implementations, one per mistake a learner is likely to make. Each must
//! be rejected by its suite with the message meant for that mistake (see `proofs.rs`).

pub mod foundations;
pub mod nlp;
