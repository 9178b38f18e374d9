use super::*;
use crate::architectures::kv_cache::kv_cache_bytes;
use crate::close::{assert_close, Tol};

/// Attention of the new queries over every cached position, written as loops in f64: the
/// slow reference. `keys`/`values` are (G, S, D) after appending, `q` (H, Tn, D), `bias`
/// (H, Tn, S).
fn slow(
    q: &[f32],
    keys: &[f32],
    values: &[f32],
    bias: Option<&[f32]>,
    dims: [usize; 5],
) -> Vec<f32> {
    let [h, g, tn, s, d] = dims;
    let mut out = vec![0.0f32; h * tn * d];
    for head in 0..h {
        let kv = head / (h / g);
        for i in 0..tn {
            let visible = s - tn + i + 1;
            let scores: Vec<f64> = (0..visible)
                .map(|j| {
                    let dot: f64 = (0..d)
                        .map(|f| {
                            q[(head * tn + i) * d + f] as f64 * keys[(kv * s + j) * d + f] as f64
                        })
                        .sum();
                    dot / (d as f64).sqrt()
                        + bias.map_or(0.0, |b| b[(head * tn + i) * s + j] as f64)
                })
                .collect();
            let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let w: Vec<f64> = scores.iter().map(|x| (x - max).exp()).collect();
            let sum: f64 = w.iter().sum();
            for f in 0..d {
                let y: f64 = (0..visible).map(|j| w[j] * values[(kv * s + j) * d + f] as f64).sum();
                out[(head * tn + i) * d + f] = (y / sum) as f32;
            }
        }
    }
    out
}

/// Several steps of prefill and decoding, with GQA (4 query heads on 2 K/V heads) and with
/// and without a bias: every output equals the slow reference, and the cache holds every
/// key and value appended so far, in order.
#[test]
fn each_step_attends_over_every_cached_position() {
    let dev = Dev::seed_from_u64(5);
    let (h, g, d) = (4, 2, 3);
    for with_bias in [false, true] {
        let mut cache = LayerCache::new(&dev, g, d);
        let (mut all_k, mut all_v) = (vec![vec![]; g], vec![vec![]; g]);
        for (step, tn) in [3, 1, 1, 2, 1].into_iter().enumerate() {
            let q: Heads = dev.sample_normal_like(&(h, tn, d));
            let k: Heads = dev.sample_normal_like(&(g, tn, d));
            let v: Heads = dev.sample_normal_like(&(g, tn, d));
            for (all, new) in [(&mut all_k, &k), (&mut all_v, &v)] {
                let new = new.as_vec();
                for (head, rows) in all.iter_mut().enumerate() {
                    rows.extend_from_slice(&new[head * tn * d..(head + 1) * tn * d]);
                }
            }
            let s = cache.len() + tn;
            let bias: Option<Heads> = with_bias.then(|| dev.sample_normal_like(&(h, tn, s)));
            let got = attend_with_cache(&mut cache, q.clone(), k, v, bias.as_ref());
            assert_eq!(*got.shape(), (h, tn, d), "step {step}: the output is (H, Tn, D)");
            assert_eq!(cache.len(), s, "step {step}: the cache holds every position so far");
            let (keys, values) = (all_k.concat(), all_v.concat());
            assert_eq!(cache.k.as_vec(), keys, "step {step}: cached keys in order");
            assert_eq!(cache.v.as_vec(), values, "step {step}: cached values in order");
            let b = bias.map(|b| b.as_vec());
            let want = slow(&q.as_vec(), &keys, &values, b.as_deref(), [h, g, tn, s, d]);
            let what = format!("step {step} ({tn} new, {s} cached, bias {with_bias})");
            assert_close(&what, &got.as_vec(), &want, Tol::abs(1e-5));
        }
    }
}

#[test]
fn the_new_queries_see_the_bottom_rows_of_the_causal_mask() {
    let m = cached_causal_mask(&Dev::default(), 2, 4).as_vec();
    let inf = f32::NEG_INFINITY;
    assert_eq!(m, [0.0, 0.0, 0.0, inf, 0.0, 0.0, 0.0, 0.0]);
}

/// The bytes measured on the cache's tensors equal §3.3's formula, for MHA and GQA.
#[test]
fn measured_bytes_equal_the_formula() {
    let dev = Dev::seed_from_u64(6);
    for (layers, h, g, d, tokens) in [(2, 4, 4, 8, 10), (3, 8, 2, 4, 7), (1, 4, 1, 16, 1)] {
        let mut cache = KvCache::new(&dev, layers, g, d);
        assert_eq!(cache.bytes(), 0, "an empty cache holds nothing");
        for layer in &mut cache.layers {
            let q: Heads = dev.sample_normal_like(&(h, tokens, d));
            let k: Heads = dev.sample_normal_like(&(g, tokens, d));
            attend_with_cache(layer, q, k.clone(), k, None);
        }
        let want = kv_cache_bytes(layers as u64, g as u64, d as u64, 4, tokens as u64);
        assert_eq!(cache.bytes(), want, "{layers} layers, {g} K/V heads of {d}, {tokens} tokens");
        cache.truncate(tokens / 2);
        let half = kv_cache_bytes(layers as u64, g as u64, d as u64, 4, (tokens / 2) as u64);
        assert_eq!(cache.bytes(), half, "after truncating to {} tokens", tokens / 2);
    }
}
