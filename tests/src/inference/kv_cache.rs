//! Graded suite for §5.5, `attend_with_cache`: the worked example, a prefill of several new
//! tokens into an empty cache, then seeded prefill-and-decode sequences with grouped-query
//! heads and an ALiBi-like bias, each against a slow f64 reference that loops over the
//! visible keys, and the cache's contents after every call.

use crate::compare::{check_shape, close, Tol};
use crate::{Check, Failure};
use dfdx::prelude::*;
use solutions::inference::kv_cache::{Heads, LayerCache};
use solutions::Dev;

/// Which keys query i (of Tn new ones, after `past` cached) sees: a range 0..end.
#[derive(Clone, Copy)]
enum Seen {
    /// The right one: 0..=past + i.
    UpToItself,
    /// Every position, the later new tokens included.
    All,
}

/// Attention of q (H, Tn, D) over keys and values (G, S, D) in f64, query head h reading
/// K/V head h / (H / G), plus `bias` (H, Tn, S).
fn slow(
    q: &Heads,
    keys: &[f32],
    values: &[f32],
    bias: Option<&[f32]>,
    g: usize,
    seen: Seen,
) -> Vec<f64> {
    let (h, tn, d) = *q.shape();
    let s = keys.len() / (g * d);
    let q = q.as_vec();
    let mut out = vec![0.0; h * tn * d];
    for head in 0..h {
        let kv = head / (h / g);
        for i in 0..tn {
            let end = match seen {
                Seen::UpToItself => s - tn + i + 1,
                Seen::All => s,
            };
            let score = |j: usize| {
                let dot: f64 = (0..d)
                    .map(|f| q[(head * tn + i) * d + f] as f64 * keys[(kv * s + j) * d + f] as f64)
                    .sum();
                dot / (d as f64).sqrt() + bias.map_or(0.0, |b| b[(head * tn + i) * s + j] as f64)
            };
            let scores: Vec<f64> = (0..end).map(score).collect();
            let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let w: Vec<f64> = scores.iter().map(|x| (x - max).exp()).collect();
            let sum: f64 = w.iter().sum();
            for f in 0..d {
                let y: f64 = (0..end).map(|j| w[j] * values[(kv * s + j) * d + f] as f64).sum();
                out[(head * tn + i) * d + f] = y / sum;
            }
        }
    }
    out
}

/// Keys or values (G, S, D) with `new` (G, Tn, D) appended along the positions.
fn appended(old: &Heads, new: &Heads) -> Vec<f32> {
    let ((g, s, d), tn) = (*old.shape(), new.shape().1);
    // Subtle: dfdx 0.13 cannot copy out an empty tensor.
    let old = if s == 0 { vec![] } else { old.as_vec() };
    let new = new.as_vec();
    (0..g)
        .flat_map(|h| {
            let mut rows = old[h * s * d..(h + 1) * s * d].to_vec();
            rows.extend_from_slice(&new[h * tn * d..(h + 1) * tn * d]);
            rows
        })
        .collect()
}

/// Grades `attend_with_cache(cache, q, k, v, bias)`.
pub fn check_attend_with_cache<F>(f: F) -> Check
where
    F: Fn(&mut LayerCache, Heads, Heads, Heads, Option<&Heads>) -> Heads,
{
    let dev = Dev::default();
    let tol = Tol { abs: 1e-5, rel: 1e-4 };
    // The worked example: one head, D = 1; cached keys [0, 0], values [1, 2]; the new token
    // has q = 1, k = ln 2, v = 4, so the weights are 1 : 1 : 2 and the output 2.75.
    let col = |x: Vec<f32>| -> Heads {
        let n = x.len();
        dev.tensor_from_vec(x, (1, n, 1))
    };
    let mut cache = LayerCache { k: col(vec![0.0, 0.0]), v: col(vec![1.0, 2.0]) };
    let y = f(&mut cache, col(vec![1.0]), col(vec![2f32.ln()]), col(vec![4.0]), None);
    let label = "attend_with_cache on the worked example (cache keys [0, 0], values [1, 2]; \
                 new q = 1, k = ln 2, v = 4)";
    let (yh, yt, yd) = *y.shape();
    check_shape(label, &[yh, yt, yd], &[1, 1, 1])?;
    let got = y.as_vec()[0];
    let near = |x: f32| (got - x).abs() < 1e-4;
    if cache.len() != 3 {
        return Err(Failure::new(format!(
            "{label}: afterwards the cache holds {} positions, expected 3. The cache was never \
             appended: store the new key and value in `cache.k` and `cache.v` (along the \
             positions axis), or the next step will have forgotten this token.",
            cache.len()
        )));
    }
    if !near(2.75) {
        let cause = if near(1.5) {
            "that is the average over the two cached values only: the cache was appended after \
             attention, so the new token could not see itself. A token attends to itself too: \
             append its key and value first, then attend over all S positions"
        } else if near(1.0) {
            "only key 0 was seen: the new query was given the top rows of the causal mask, as \
             if it were position 0. A new token sits at the end, position S − 1, and sees every \
             cached position and itself (the mask's bottom rows)"
        } else {
            "the weights should be softmax(0, 0, ln 2) = 1/4, 1/4, 1/2 over the values 1, 2, 4"
        };
        return Err(Failure::new(format!("{label} gives {got}, expected 2.75: {cause}.")));
    }
    // A prefill: 3 new tokens into an empty cache, 4 query heads on 2 K/V heads. Query i
    // may see the new tokens up to itself, not those after it.
    let seeded = Dev::seed_from_u64(55);
    let (h, g, d) = (4, 2, 3);
    let mut cache = LayerCache::new(&dev, g, d);
    let q: Heads = seeded.sample_normal_like(&(h, 3, d));
    let k: Heads = seeded.sample_normal_like(&(g, 3, d));
    let v: Heads = seeded.sample_normal_like(&(g, 3, d));
    let (keys, values) = (k.as_vec(), v.as_vec());
    let y = f(&mut cache, q.clone(), k, v, None);
    let want = slow(&q, &keys, &values, None, g, Seen::UpToItself);
    let label = "attend_with_cache, 3 new tokens into an empty cache (H = 4, G = 2, D = 3), at ";
    let (yh, yt, yd) = *y.shape();
    if let Err(e) = close(label, &y.as_vec(), &[yh, yt, yd], &want, &[h, 3, d], tol) {
        let all = slow(&q, &keys, &values, None, g, Seen::All);
        let like = |w: &[f64]| y.as_vec().iter().zip(w).all(|(&a, &b)| tol.allows(a as f64, b));
        let cause = if like(&all) {
            " The new tokens see the tokens after them: with several new tokens at once (the \
             prompt), new token i must be masked from new tokens i + 1, … as in any causal \
             attention."
        } else {
            " Query head h reads K/V head h / (H / G), and scores are q·k / √D."
        };
        return Err(Failure::new(format!("{}{cause}", e.0)));
    }
    // Seeded sequences: prefill, then decode steps, with and without a bias, checking the
    // output and the cache after every call.
    for (case, with_bias) in [(0, false), (1, true)] {
        let mut cache = LayerCache::new(&dev, g, d);
        for (step, tn) in [2, 1, 1, 3, 1].into_iter().enumerate() {
            let q: Heads = seeded.sample_normal_like(&(h, tn, d));
            let k: Heads = seeded.sample_normal_like(&(g, tn, d));
            let v: Heads = seeded.sample_normal_like(&(g, tn, d));
            let (keys, values) = (appended(&cache.k, &k), appended(&cache.v, &v));
            let s = cache.len() + tn;
            let bias: Option<Heads> = with_bias.then(|| seeded.sample_normal_like(&(h, tn, s)));
            let b = bias.as_ref().map(|b| b.as_vec());
            let want = slow(&q, &keys, &values, b.as_deref(), g, Seen::UpToItself);
            let y = f(&mut cache, q, k, v, bias.as_ref());
            let label = format!(
                "attend_with_cache, seeded sequence {case} (bias: {with_bias}), step {step}: {tn} \
                 new after {} cached, at ",
                s - tn
            );
            let (yh, yt, yd) = *y.shape();
            close(&label, &y.as_vec(), &[yh, yt, yd], &want, &[h, tn, d], tol).map_err(|e| {
                let hint = if with_bias {
                    " Is the bias (H, Tn, S) added to the scores, before the softmax?"
                } else {
                    " Every step attends over everything cached plus the new tokens."
                };
                Failure::new(format!("{}{hint}", e.0))
            })?;
            let (ck, cv) = (cache.k.as_vec(), cache.v.as_vec());
            if ck != keys || cv != values || *cache.k.shape() != (g, s, d) {
                return Err(Failure::new(format!(
                    "{label}the cache: expected keys and values ({g}, {s}, {d}) holding the old \
                     positions followed by the new ones (appended along the positions axis), \
                     got keys of shape {:?}.",
                    cache.k.shape()
                )));
            }
        }
    }
    Ok(())
}
