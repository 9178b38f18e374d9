use super::*;
use crate::foundations::self_attention::{
    causal_mask as causal_1_1, padding_mask, scaled_dot_product_attention,
};

/// The (query, key) pairs a mask allows, in row order.
fn pairs(mask: &Allowed) -> Vec<(usize, usize)> {
    let mut out = vec![];
    for (i, row) in mask.iter().enumerate() {
        for (j, &ok) in row.iter().enumerate() {
            if ok {
                out.push((i, j));
            }
        }
    }
    out
}

#[test]
fn causal_allows_exactly_the_past_and_the_present() {
    let expected =
        vec![(0, 0), (1, 0), (1, 1), (2, 0), (2, 1), (2, 2), (3, 0), (3, 1), (3, 2), (3, 3)];
    assert_eq!(pairs(&causal_mask(4)), expected, "query i must see keys 0..=i and nothing else");
    // T(T+1)/2 pairs for any length.
    for t in 0..9 {
        assert_eq!(pairs(&causal_mask(t)).len(), t * (t + 1) / 2, "length {t}");
    }
}

#[test]
fn prefix_lm_reads_the_prefix_both_ways_and_the_rest_causally() {
    let expected = vec![
        (0, 0),
        (0, 1), // the prefix sees itself both ways: 0 sees 1
        (1, 0),
        (1, 1),
        (2, 0),
        (2, 1),
        (2, 2), // after the prefix: the prefix, then causal
        (3, 0),
        (3, 1),
        (3, 2),
        (3, 3),
        (4, 0),
        (4, 1),
        (4, 2),
        (4, 3),
        (4, 4),
    ];
    assert_eq!(pairs(&prefix_lm_mask(5, 2)), expected);
    assert_eq!(prefix_lm_mask(6, 0), causal_mask(6), "an empty prefix is a causal LM");
    assert_eq!(prefix_lm_mask(6, 6), bidirectional_mask(6, 6), "a full prefix is an encoder");
}

#[test]
fn bidirectional_hides_only_the_padding_keys() {
    let expected: Vec<_> = (0..4).flat_map(|i| (0..3).map(move |j| (i, j))).collect();
    assert_eq!(pairs(&bidirectional_mask(4, 3)), expected, "every query sees keys 0, 1, 2, not 3");
}

#[test]
fn the_additive_form_is_section_1_1s() {
    let dev = Dev::default();
    let ours = additive(&dev, &[causal_mask(5), causal_mask(5)]).as_vec();
    assert_eq!(ours, causal_1_1(&dev, 2, 5).as_vec());
    let lengths = [5, 3];
    let bert: Vec<Allowed> = lengths.iter().map(|&n| bidirectional_mask(5, n)).collect();
    assert_eq!(additive(&dev, &bert).as_vec(), padding_mask(&dev, &lengths, 5).as_vec());
}

/// Attention outputs (1, 1, S, D) of random q, k, v, and the same after changing token
/// `changed` (its query, key and value), both under `mask`.
fn outputs_before_after(mask: &Allowed, changed: usize) -> (Vec<f32>, Vec<f32>) {
    let dev = Dev::seed_from_u64(3);
    let s = mask.len();
    let m = additive(&dev, std::slice::from_ref(mask));
    let run = |x: Vec<f32>| {
        let t = || dev.tensor_from_vec(x.clone(), (1, 1, s, 4));
        scaled_dot_product_attention(t(), t(), t(), Some(&m)).as_vec()
    };
    let x: Tensor<(usize, usize, usize, usize), f32, Dev> = dev.sample_normal_like(&(1, 1, s, 4));
    let mut y = x.as_vec();
    y[changed * 4..changed * 4 + 4].iter_mut().for_each(|v| *v += 1.0);
    (run(x.as_vec()), run(y))
}

#[test]
fn a_token_influences_exactly_the_queries_allowed_to_see_it() {
    for (name, mask) in [
        ("causal", causal_mask(6)),
        ("prefix", prefix_lm_mask(6, 3)),
        ("bidirectional", bidirectional_mask(6, 4)),
    ] {
        for changed in 0..6 {
            let (before, after) = outputs_before_after(&mask, changed);
            for i in 0..6 {
                let moved = (0..4).any(|d| (before[i * 4 + d] - after[i * 4 + d]).abs() > 1e-6);
                // Query `changed` itself always moves: its own query vector changed.
                let should = mask[i][changed] || i == changed;
                assert_eq!(moved, should, "{name}: query {i} after changing token {changed}");
            }
        }
    }
}

#[test]
fn render_draws_the_page_figures() {
    assert_eq!(render(&prefix_lm_mask(4, 2)), "■■□□\n■■□□\n■■■□\n■■■■");
    // The three grids of the page, six tokens each.
    let causal = "■□□□□□\n■■□□□□\n■■■□□□\n■■■■□□\n■■■■■□\n■■■■■■";
    let prefix = "■■■□□□\n■■■□□□\n■■■□□□\n■■■■□□\n■■■■■□\n■■■■■■";
    let encoder = ["■■■■□□"; 6].join("\n");
    assert_eq!(render(&causal_mask(6)), causal);
    assert_eq!(render(&prefix_lm_mask(6, 3)), prefix);
    assert_eq!(render(&bidirectional_mask(6, 4)), encoder);
}
