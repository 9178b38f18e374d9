use super::*;

/// The claims of the §3.4 page, with margins that held on every seed tried.
///
/// Measured with `BOOK` (T = 16; evaluated at 16, 32, 64): the loss at T, and
/// loss(4T) − loss(T), per seed (full curves from `explore` below; the figure is seed 0):
///
/// | seed | learned at T | RoPE at T | ALiBi at T | learned rise | RoPE rise | ALiBi rise |
/// |------|--------------|-----------|------------|--------------|-----------|------------|
/// | 0    | 2.917        | 2.654     | 2.719      | −0.050       | +0.223    | −0.046     |
/// | 1    | 2.993        | 2.663     | 2.687      | −0.023       | +0.205    | −0.053     |
/// | 2    | 2.873        | 2.737     | 2.744      | −0.009       | +0.133    | −0.022     |
/// | 3    | 2.936        | 2.731     | 2.701      | −0.013       | +0.077    | +0.000     |
/// | 4    | 2.830        | 2.519     | 2.599      | +0.012       | +0.193    | −0.018     |
/// | 5    | 2.891        | 2.561     | 2.633      | +0.005       | +0.199    | −0.039     |
///
/// (Re-measured each time the training step's arithmetic changed order: AVX-512 products
/// and the batch split over two threads, then products stored down columns and LayerNorm's
/// sums in lanes. The same pattern each time, other roundings: RoPE's smallest rise was
/// 0.138, then 0.099, now 0.077 (seed 3), and its lead over ALiBi's rise 0.136, now 0.077.)
///
/// So: ALiBi's loss at 4T is not above its loss at T by more than 0.05 (seen ≤ +0.000);
/// RoPE's rises by more than 0.07 (seen ≥ 0.077), and by more than ALiBi's plus 0.05 (seen
/// ≥ 0.077); and at T the learned table is worse than ALiBi by more than 0.05 (seen ≥
/// 0.129): in this budget, positions that must be learned from scratch lag behind ALiBi's
/// built-in distance. It lagged RoPE on all six seeds here, but not on seed 2 in an earlier
/// measurement, so that is not asserted.
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
        "ALiBi's held-out loss rose by {:.3} from T to 4T (allowed 0.05, seen ≤ +0.000 on \
         seeds 0–5): {:?}. Is the bias added per head, with the causal mask, at every length?",
        alibi.rise(),
        alibi.losses
    );
    assert!(
        rope.rise() > 0.07,
        "RoPE's held-out loss rose by only {:.3} from T to 4T (expected > 0.07, seen ≥ 0.077 \
         on seeds 0–5): {:?}",
        rope.rise(),
        rope.losses
    );
    assert!(
        rope.rise() - alibi.rise() > 0.05,
        "RoPE's rise {:.3} should exceed ALiBi's {:.3} by more than 0.05 (seen ≥ 0.077 on \
         seeds 0–5)",
        rope.rise(),
        alibi.rise()
    );
    assert!(
        learned.at(0) - alibi.at(0) > 0.05,
        "at T the learned table scored {:.3}, ALiBi {:.3}: expected the learned one worse by \
         more than 0.05 (seen ≥ 0.129 on seeds 0–5)",
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
