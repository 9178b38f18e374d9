use super::*;

/// In parallel: the figures that train a model take seconds each, and one by one they
/// were the library's slowest unit test (15 s, when all of them took 31 s on 2 cores).
#[test]
fn every_figure_renders_an_svg() {
    use rayon::prelude::*;
    all().par_iter().for_each(|figure| {
        let svg = (figure.render)().unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("</svg>"), "{}", figure.file);
    });
}

/// The claims the §1.1 page makes about its heat-map.
#[test]
fn the_heatmap_shows_what_the_page_says() {
    let (plain, causal) = example_attention_weights(0);
    let s = SENTENCE.len();
    for head in 0..2 {
        let row = |w: &[f32], i: usize| w[(head * s + i) * s..(head * s + i + 1) * s].to_vec();
        // Without a mask, the two "the" tokens (positions 0 and 4) get identical rows:
        // attention without positions cannot tell equal tokens apart.
        assert_eq!(row(&plain, 0), row(&plain, 4), "head {head}");
        // With the causal mask they differ, because they see different prefixes,
        for i in 0..s {
            let r = row(&causal, i);
            // and nothing above the diagonal receives any weight.
            assert!(r[i + 1..].iter().all(|&a| a == 0.0), "head {head} row {i}: {r:?}");
        }
        assert_ne!(row(&causal, 0), row(&causal, 4), "head {head}");
        // The first token can only attend to itself.
        assert_eq!(row(&causal, 0)[0], 1.0);
    }
}

/// The claims of the §4.4 Gantt figure's titles: both schedules measure the formula's
/// bubble, 3/11 for p = 4 and m = 8; GPipe holds 8 activations at once and 1F1B 4.
#[test]
fn the_gantt_chart_shows_what_the_page_says() {
    use crate::training::pipeline::bubble_fraction;
    let runs = recorded_schedules(GANTT_STAGES, GANTT_MICRO_BATCHES);
    for (name, t) in &runs {
        approx::assert_abs_diff_eq!(t.bubble(), bubble_fraction(4, 8), epsilon = 1e-12);
        approx::assert_abs_diff_eq!(t.bubble(), 3.0 / 11.0, epsilon = 1e-12);
        assert_eq!(t.makespan(), 33, "{name}");
    }
    assert_eq!((runs[0].1.peak_in_flight(), runs[1].1.peak_in_flight()), (8, 4));
}
