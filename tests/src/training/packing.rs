//! Graded suite for §4.6's `pack`: the rows against the library's, exactly, on a
//! hand-worked case and on seeded random samples, each known mistake named.

use crate::{Check, Failure};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::training::packing::{self, PackedRow, IGNORE_INDEX};

/// Seeded samples of 0 to 12 tokens (ids 1..50), some longer than the rows.
fn samples(seed: u64) -> Vec<Vec<usize>> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..rng.gen_range(5..25))
        .map(|_| (0..rng.gen_range(0..13)).map(|_| rng.gen_range(1..50)).collect())
        .collect()
}

/// Grades `pack(samples, row_len, pad)`.
pub fn check_pack<F>(f: F) -> Check
where
    F: Fn(&[Vec<usize>], usize, usize) -> Vec<PackedRow>,
{
    let mut cases = vec![(vec![vec![5, 6, 7], vec![8, 9], vec![3]], 4, 0)];
    cases.extend((0..20).map(|seed| (samples(seed), [8, 10, 16][seed as usize % 3], 0)));
    for (i, (s, row_len, pad)) in cases.iter().enumerate() {
        let case = if i == 0 {
            "the worked example ([5, 6, 7], [8, 9], [3] in rows of 4)".to_string()
        } else {
            format!("random case {i} ({} samples, rows of {row_len})", s.len())
        };
        let got = f(s, *row_len, *pad);
        let want = packing::pack(s, *row_len, *pad);
        if got == want {
            continue;
        }
        if got == packing::pack_in_order(s, *row_len, *pad) {
            return Err(Failure::new(format!(
                "pack, {case}: {} rows, the first holding samples {:?} (expected {} rows, the \
                 first holding {:?}): you packed in order: a sample that does not fit closes \
                 the row. First fit puts it into the first earlier row that still has room.",
                got.len(),
                got[0].segments,
                want.len(),
                want[0].segments
            )));
        }
        if got.len() != want.len() {
            let cause = if got.len() == s.iter().filter(|x| !x.is_empty()).count() {
                "that is one sample per row: packing puts several samples into a row"
            } else {
                "each sample (truncated to row_len, empty ones skipped) goes into the first row \
                 with room for it, in input order"
            };
            return Err(Failure::new(format!(
                "pack, {case}: {} rows, expected {}: {cause}.",
                got.len(),
                want.len()
            )));
        }
        // The rows differ (got != want, same count): grade the first row that does.
        let Some((r, (g, w))) = got.iter().zip(&want).enumerate().find(|(_, (g, w))| g != w) else {
            continue;
        };
        let bad = |name: &str, gl: usize| -> Option<Failure> {
            (gl != *row_len).then(|| {
                Failure::new(format!(
                    "pack, {case}: row {r} has {gl} {name}, expected row_len = {row_len} \
                     (pad the row to its full length)."
                ))
            })
        };
        for (name, len) in [
            ("tokens", g.tokens.len()),
            ("labels", g.labels.len()),
            ("positions", g.positions.len()),
            ("segments", g.segments.len()),
        ] {
            if let Some(e) = bad(name, len) {
                return Err(e);
            }
        }
        if g.tokens != w.tokens || g.segments != w.segments {
            return Err(Failure::new(format!(
                "pack, {case}: row {r} holds tokens {:?} from samples {:?}, expected {:?} \
                 from {:?}: samples go whole and in input order into the first row with \
                 room, then `pad` fills the row.",
                g.tokens, g.segments, w.tokens, w.segments
            )));
        }
        if g.positions != w.positions {
            let cause = if g.positions == (0..*row_len).collect::<Vec<_>>() {
                "the positions run on across the row: restart them at 0 for each sample, \
                 or the second sample is read as if it stood at the first one's end"
            } else {
                "each sample counts 0, 1, 2, ... from its first token; padding is 0"
            };
            return Err(Failure::new(format!(
                "pack, {case}: row {r} has positions {:?}, expected {:?}: {cause}.",
                g.positions, w.positions
            )));
        }
        let t = (0..*row_len).find(|&t| g.labels[t] != w.labels[t]).unwrap_or(0);
        let cause = match (w.segments[t], w.positions[t]) {
            (None, _) => "padding is never trained: its label is -100",
            (Some(_), 0) if g.labels[t] == g.tokens[t] as i64 => {
                "a sample's first token is labelled: it would be predicted from the \
                 previous sample's last token. Its label is -100 (the ignore index)"
            }
            _ => "a token's label is the token itself (the loss shifts), -100 elsewhere",
        };
        return Err(Failure::new(format!(
            "pack, {case}: row {r}, position {t}: label {}, expected {} ({}): {cause}.",
            g.labels[t],
            w.labels[t],
            if w.labels[t] == IGNORE_INDEX { "ignored" } else { "trained" }
        )));
    }
    Ok(())
}
