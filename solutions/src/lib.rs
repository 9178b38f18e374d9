//! The course's canonical library: every concept of the course, implemented for real on
//! [dfdx](https://docs.rs/dfdx/0.13) 0.13.
//!
//! Modules follow the book. Each chapter is a module and each section a file named after
//! its concept, e.g. §1.1 lives in [`foundations::self_attention`]. The book includes code
//! from these files through named anchors, the notebooks `:dep` this crate, and the
//! exercise stubs in `exercises/` are generated from the items marked in
//! `exercises/info.toml`, so nothing is ever copied by hand.

pub mod applications;
pub mod architectures;
pub mod binomial;
#[cfg(test)]
mod close;
pub mod figures;
pub mod foundations;
pub mod inference;
pub mod kernels;
pub mod nlp;
pub mod plot;
pub mod training;

/// The device every course function runs on. dfdx's `Cpu` uses `gemm` for matrix products
/// and a seeded `StdRng` for sampling, so results are repeatable from a seed.
pub type Dev = dfdx::tensor::Cpu;

/// A `StdRng` from a seed, for callers (the CLI, the notebooks) that do not depend on `rand`
/// themselves. The same seed gives the same draws on every machine.
pub fn seeded_rng(seed: u64) -> rand::rngs::StdRng {
    rand::SeedableRng::seed_from_u64(seed)
}
