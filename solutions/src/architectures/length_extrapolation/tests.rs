use super::*;

/// The claims of the §3.4 page, with margins that held on every seed tried.
///
/// Measured with `BOOK` (T = 16; evaluated at 16, 32, 64): the loss at T, and
/// loss(4T) − loss(T), per seed (full curves from `explore` below; the figure is seed 0):
///
/// | seed | learned at T | RoPE at T | ALiBi at T | learned rise | RoPE rise | ALiBi rise |
/// |------|--------------|-----------|------------|--------------|-----------|------------|
/// | 0    | 2.990        | 2.656     | 2.716      | −0.021       | +0.099    | −0.041     |
/// | 1    | 2.947        | 2.654     | 2.691      | −0.023       | +0.178    | −0.057     |
/// | 2    | 2.808        | 2.839     | 2.653      | +0.021       | +0.113    | −0.023     |
/// | 3    | 3.083        | 2.639     | 2.710      | −0.033       | +0.155    | −0.022     |
/// | 4    | 2.731        | 2.498     | 2.630      | +0.036       | +0.323    | −0.057     |
/// | 5    | 2.889        | 2.528     | 2.616      | −0.013       | +0.196    | −0.028     |
///
/// (Re-measured after training moved to AVX-512 products and batches split over two
/// threads: the same pattern, other roundings. Before, RoPE's smallest rise was 0.138 and
/// the learned table lagged RoPE on every seed; now seed 2's learned table beats RoPE at T.)
///
/// So: ALiBi's loss at 4T is not above its loss at T by more than 0.05 (seen ≤ −0.022);
/// RoPE's rises by more than 0.07 (seen ≥ 0.099), and by more than ALiBi's plus 0.1 (seen
/// ≥ 0.136); and at T the learned table is worse than ALiBi by more than 0.05 (seen ≥
/// 0.101): in this budget, positions that must be learned from scratch lag behind ALiBi's
/// built-in distance. Against RoPE it lagged on five seeds of six, so that is not asserted.
/// Nothing is asserted at 2T, where RoPE moved both ways, nor about the learned model past
/// T, whose rows there are untrained by construction.
#[test]
fn alibi_extrapolates_to_4t_and_rope_does_not() {
    let seed = 0;
    let curves = length_extrapolation(&BOOK, seed);
    let [learned, rope, alibi] = [0, 1, 2].map(|i| &curves[i]);
    for c in &curves {
        eprintln!("seed {seed}: {:8} {:?}", c.positions.name(), c.losses);
    }
    assert_eq!(rope.losses.iter().map(|l| l.0).collect::<Vec<_>>(), [16, 32, 64]);
    assert!(
        alibi.rise() < 0.05,
        "ALiBi's held-out loss rose by {:.3} from T to 4T (allowed 0.05, seen ≤ −0.022 on \
         seeds 0–5): {:?}. Is the bias added per head, with the causal mask, at every length?",
        alibi.rise(),
        alibi.losses
    );
    assert!(
        rope.rise() > 0.07,
        "RoPE's held-out loss rose by only {:.3} from T to 4T (expected > 0.07, seen ≥ 0.099 \
         on seeds 0–5): {:?}",
        rope.rise(),
        rope.losses
    );
    assert!(
        rope.rise() - alibi.rise() > 0.1,
        "RoPE's rise {:.3} should exceed ALiBi's {:.3} by more than 0.1",
        rope.rise(),
        alibi.rise()
    );
    assert!(
        learned.at(0) - alibi.at(0) > 0.05,
        "at T the learned table scored {:.3}, ALiBi {:.3}: expected the learned one worse by \
         more than 0.05 (seen ≥ 0.101 on seeds 0–5)",
        learned.at(0),
        alibi.at(0)
    );
}

#[test]
fn the_learned_table_covers_4t_and_the_others_have_none() {
    let (vocab, train, val) = corpus();
    assert!(vocab > 26 && train.len() > 9 * val.len() - 10, "the English corpus, split 90/10");
    assert_eq!(config(&BOOK, vocab, Positions::Learned).learned_positions(), 64);
    assert_eq!(config(&BOOK, vocab, Positions::Rope).learned_positions(), 0);
    assert_eq!(config(&BOOK, vocab, Positions::Alibi).learned_positions(), 0);
}

/// Prints every scheme's curve for several seeds: how the table above was made.
/// `cargo test -p solutions --lib length_extrapolation::tests::explore -- --ignored
/// --nocapture`, with `SEEDS=n` to try more.
#[test]
#[ignore]
fn explore() {
    let seeds = std::env::var("SEEDS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    for seed in 0..seeds {
        for c in length_extrapolation(&BOOK, seed) {
            eprintln!("seed {seed} {:?} {:?}", c.positions, c.losses);
        }
    }
}
