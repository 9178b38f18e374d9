//! The small model the training pieces are tested on (tests only): a bigram language model,
//! token embedding → LayerNorm → linear head, so that it has both kinds of parameter that
//! nanoGPT's decay groups tell apart (matrices and embeddings; norm weights and biases).

use crate::Dev;
use dfdx::nn::{builders, modules, DeviceBuildExt};
use dfdx::tensor::Cpu;

/// Vocabulary size and width of the test model.
pub const V: usize = 7;
pub const C: usize = 6;

type Arch = (builders::Embedding<V, C>, builders::LayerNorm1D<C>, builders::Linear<C, V>);

/// The built model: five tensors, `0.weight` (V, C), `1.gamma` (C), `1.beta` (C),
/// `2.weight` (V, C), `2.bias` (V).
///
/// Subtle: written out rather than as `<Arch as BuildOnDevice<Dev, f32>>::Built`, because a
/// trait implemented for that projection could, as far as coherence can tell, be the GPT's.
pub type Bigram = (
    modules::Embedding<V, C, f32, Dev>,
    modules::LayerNorm1D<C, f32, Dev>,
    modules::Linear<C, V, f32, Dev>,
);

/// A freshly initialised model; the same seed gives the same weights.
pub fn bigram(seed: u64) -> Bigram {
    let dev: Dev = Cpu::seed_from_u64(seed);
    dev.build_module::<Arch, f32>()
}

/// `count` seeded batches of 4 rows of 6 tokens below `vocab`, with next-token targets: the
/// data the simulated-cluster tests (DDP, ZeRO, pipelines) train on.
pub fn random_batches(seed: u64, count: usize, vocab: usize) -> Vec<crate::training::ddp::Batch> {
    use rand::{rngs::StdRng, Rng, SeedableRng};
    let mut rng = StdRng::seed_from_u64(seed);
    (0..count)
        .map(|_| {
            let rows: Vec<Vec<usize>> =
                (0..4).map(|_| (0..7).map(|_| rng.gen_range(0..vocab)).collect()).collect();
            let x = rows.iter().map(|r| r[..6].to_vec()).collect();
            let y = rows.iter().map(|r| r[1..].to_vec()).collect();
            (x, y)
        })
        .collect()
}
