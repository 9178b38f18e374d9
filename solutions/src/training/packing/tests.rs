use super::*;
use crate::architectures::gpt::{GptConfig, Positions};
use crate::architectures::lm_masks::additive;
use crate::nlp::corpus;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const ROW: usize = 16;
const VOCAB: usize = 16;

/// The tiny GPT with weights made large (std about 1), so that attention is sharp and a
/// token that sees the wrong context, or sits at the wrong position, changes the loss.
pub(crate) fn tiny_gpt(positions: Positions, seed: u64) -> Gpt {
    let dev = Dev::seed_from_u64(seed);
    let cfg = GptConfig { vocab: VOCAB, context: ROW, d_model: 16, heads: 2, layers: 2, positions };
    let mut m = Gpt::new(&dev, cfg);
    m.wte = m.wte.clone() * 50.0;
    m.wpe = m.wpe.take().map(|w| w * 50.0);
    for b in &mut m.h {
        b.attn.c_attn.weight = b.attn.c_attn.weight.clone() * 20.0;
    }
    m
}

/// Seeded samples of 1 to `ROW` tokens.
fn samples(seed: u64, n: usize) -> Vec<Vec<usize>> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let len = rng.gen_range(1..=ROW);
            (0..len).map(|_| rng.gen_range(0..VOCAB)).collect()
        })
        .collect()
}

/// The token-weighted mean loss of every sample run alone, (1, len), no padding.
fn separate_loss(m: &Gpt, samples: &[Vec<usize>]) -> f64 {
    let dev = Dev::default();
    let (mut sum, mut count) = (0.0f64, 0usize);
    for s in samples.iter().filter(|s| s.len() >= 2) {
        let logits = m.forward(dev.tensor_from_vec(s.clone(), (1, s.len())));
        let labels: Vec<i64> =
            std::iter::once(IGNORE_INDEX).chain(s[1..].iter().map(|&x| x as i64)).collect();
        sum += causal_lm_loss(logits, &labels).array() as f64 * (s.len() - 1) as f64;
        count += s.len() - 1;
    }
    sum / count as f64
}

/// The loss of the packed rows, with the block masks and restarted positions or with the
/// plain causal mask and running positions 0..T (what `Gpt::forward` does).
fn packed_loss(m: &Gpt, rows: &[PackedRow], with_masks: bool) -> f64 {
    let dev = Dev::default();
    let tokens: Vec<usize> = rows.iter().flat_map(|r| r.tokens.clone()).collect();
    let labels: Vec<i64> = rows.iter().flat_map(|r| r.labels.clone()).collect();
    let x = dev.tensor_from_vec(tokens, (rows.len(), ROW));
    let logits = if with_masks {
        let masks: Vec<Allowed> = rows.iter().map(block_causal_mask).collect();
        let pos: Vec<usize> = rows.iter().flat_map(|r| r.positions.clone()).collect();
        m.forward_packed(x, &pos, &additive(&dev, &masks))
    } else {
        m.forward(x)
    };
    causal_lm_loss(logits, &labels).array() as f64
}

#[test]
fn packed_with_masks_equals_separate_and_without_does_not() {
    for positions in [Positions::Learned, Positions::Rope, Positions::Alibi] {
        for seed in 0..3 {
            let m = tiny_gpt(positions, seed);
            let s = samples(seed, 12);
            let rows = pack(&s, ROW, 0);
            assert!(rows.len() < s.len(), "{positions:?}: nothing was packed");
            let alone = separate_loss(&m, &s);
            let masked = packed_loss(&m, &rows, true);
            println!("{positions:?} seed {seed}: separate {alone:.6}, packed+masks {masked:.6}");
            approx::assert_abs_diff_eq!(masked, alone, epsilon = 1e-5);
            let plain = packed_loss(&m, &rows, false);
            println!("  packed without masks {plain:.6}, off by {:.4}", (plain - alone).abs());
            // Ten times the tolerance above. ALiBi comes closest (0.0004 at seed 2): its
            // bias already damps attention to far tokens, such as the previous sample's.
            assert!(
                (plain - alone).abs() > 1e-4,
                "{positions:?}, seed {seed}: packing without masks gave {plain}, within 1e-4 of \
                 the separate loss {alone}: the test model cannot tell the difference"
            );
        }
    }
}

/// Learned positions are absolute: with the block masks but positions running on across
/// the row, the loss changes. (RoPE and ALiBi are relative and do not need the restart.)
#[test]
fn learned_positions_must_restart() {
    let m = tiny_gpt(Positions::Learned, 7);
    let s = samples(7, 12);
    let mut rows = pack(&s, ROW, 0);
    let alone = separate_loss(&m, &s);
    for r in &mut rows {
        r.positions = (0..ROW).collect();
    }
    let running = packed_loss(&m, &rows, true);
    assert!((running - alone).abs() > 1e-2, "running positions {running} vs separate {alone}");
}

/// The padding rows see only themselves: a row of padding gives finite logits.
#[test]
fn padding_attends_to_itself() {
    let rows = pack(&[vec![1, 2]], 4, 0);
    let mask = block_causal_mask(&rows[0]);
    assert_eq!(mask[3], [false, false, false, true]);
    assert_eq!(mask[1], [true, true, false, false]);
    let m = tiny_gpt(Positions::Learned, 1);
    let dev = Dev::default();
    let logits = m.forward_packed(
        dev.tensor_from_vec(rows[0].tokens.clone(), (1, 4)),
        &rows[0].positions,
        &additive(&dev, &[mask]),
    );
    assert!(logits.as_vec().iter().all(|x| x.is_finite()));
}

/// Every sample appears whole (after truncation) and contiguous in exactly one row, with
/// labels, positions and segments as documented; first fit never needs more rows than in
/// order, and in order never more than one per sample.
#[test]
fn rows_hold_every_sample_once() {
    let mut rng = StdRng::seed_from_u64(3);
    for case in 0..50 {
        let row = rng.gen_range(1..20);
        let s: Vec<Vec<usize>> =
            (0..rng.gen_range(0..30)).map(|_| (0..rng.gen_range(0..25)).collect()).collect();
        let rows = pack(&s, row, 99);
        let mut seen = vec![0; s.len()];
        for r in &rows {
            assert_eq!(r.tokens.len(), row);
            for (t, seg) in r.segments.iter().enumerate() {
                match seg {
                    None => {
                        assert_eq!(
                            (r.tokens[t], r.labels[t], r.positions[t]),
                            (99, IGNORE_INDEX, 0)
                        )
                    }
                    Some(i) => {
                        let p = r.positions[t];
                        if p == 0 {
                            seen[*i] += 1;
                        }
                        assert_eq!(r.tokens[t], s[*i][p], "case {case}");
                        let want = if p == 0 { IGNORE_INDEX } else { s[*i][p] as i64 };
                        assert_eq!(r.labels[t], want);
                    }
                }
            }
        }
        for (i, n) in seen.iter().enumerate() {
            assert_eq!(*n, usize::from(!s[i].is_empty()), "case {case}: sample {i}");
        }
        assert!(rows.len() <= pack_in_order(&s, row, 99).len());
        assert!(pack_in_order(&s, row, 99).len() <= pad_each(&s, row, 99).len());
    }
}

/// The course corpus cut into sentences, as characters, in rows of 256: the page's table.
#[test]
fn padding_on_the_course_corpus() {
    let s = sentences_as_chars(&corpus::embedded());
    let r = padding_report(&s, 256);
    println!("{r:?}");
    assert_eq!(r.samples, s.len());
    assert!(r.first_fit.0 >= r.min_rows);
    assert!(r.first_fit.1 < r.in_order.1 && r.in_order.1 < r.unpacked.1, "{r:?}");
    // Padding fraction = 1 − tokens / (rows · row_len), for each way.
    for (rows, frac) in [r.unpacked, r.in_order, r.first_fit] {
        let want = 1.0 - r.tokens as f64 / (rows * 256) as f64;
        approx::assert_abs_diff_eq!(frac, want, epsilon = 1e-12);
    }
}
