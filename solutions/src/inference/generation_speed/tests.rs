use super::*;

/// Both ways generate the same tokens, and the table survives a round trip through
/// JSON. (No timing is asserted: this machine is shared; the bench measures.)
#[test]
fn both_ways_generate_the_same_tokens() {
    let model = bench_model(40, 24, 1);
    let (speed, [with, without]) = time_generation(&model, &[1, 2, 3], 24);
    assert_eq!(with, without);
    assert_eq!((speed.context, speed.new_tokens, with.len()), (24, 21, 21));
    let table = SpeedupTable { provenance: "test".into(), model: model.config, rows: vec![speed] };
    let json = serde_json::to_string(&table).unwrap();
    let back: SpeedupTable = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (&back.provenance, back.model, back.rows.len()),
        (&table.provenance, table.model, 1)
    );
    // Subtle: serde_json's default float parser may land one ulp away from the printed
    // value (exact parsing is its `float_roundtrip` feature), so times compare with approx.
    let (b, t) = (back.rows[0], table.rows[0]);
    assert_eq!((b.context, b.new_tokens), (t.context, t.new_tokens));
    assert!(approx::relative_eq!(b.cached_ms, t.cached_ms, max_relative = 1e-12));
    assert!(approx::relative_eq!(b.recomputed_ms, t.recomputed_ms, max_relative = 1e-12));
}

/// The table the book's figure and page quote (`data/bench/kv_cache_speedup.json`): the
/// contexts 32 to 256, and at 256 the target, at least 5× faster.
#[test]
fn the_stored_bench_run_meets_the_target() {
    let t = crate::figures::stored_speedup();
    let contexts: Vec<usize> = t.rows.iter().map(|r| r.context).collect();
    assert_eq!(contexts, [32, 64, 128, 256], "{}", t.provenance);
    let at_256 = t.rows[3];
    assert!(at_256.speedup() >= 5.0, "{:.1}× at 256 ({})", at_256.speedup(), t.provenance);
    // The page quotes these, rounded.
    let (c, r, s) = (at_256.cached_ms, at_256.recomputed_ms, at_256.speedup());
    let quoted = format!("{} {c:.1} {r:.1} {s:.1}", t.model.vocab);
    assert_eq!(quoted, "1625 1.7 15.4 9.1", "update chapters/05-inference/05-kv-cache.md");
}
