//! Chapter 5: plausible wrong temperatures, truncations, penalties and beam steps.

use solutions::inference::beam_search::{beam_step, Hypothesis};
use solutions::inference::repetition::banned_tokens;
use solutions::inference::temperature::softmax_with_temperature;
use solutions::inference::truncation::{top_k_filter, top_p_filter};

// §5.1

/// z · T instead of z / T.
pub fn temperature_multiplies(z: &[f32], t: f32) -> Vec<f32> {
    let scaled: Vec<f32> = z.iter().map(|x| x * t * t).collect();
    softmax_with_temperature(&scaled, t)
}
/// The plain softmax: T ignored.
pub fn temperature_ignored(z: &[f32], _t: f32) -> Vec<f32> {
    softmax_with_temperature(z, 1.0)
}
/// No shift by the maximum: overflows.
pub fn temperature_unshifted(z: &[f32], t: f32) -> Vec<f32> {
    let e: Vec<f32> = z.iter().map(|x| (x / t).exp()).collect();
    let s: f32 = e.iter().sum();
    e.iter().map(|x| x / s).collect()
}

// §5.2

/// Ranked by the new token's log-probability alone.
pub fn beam_step_local(running: &[Hypothesis], lp: &[Vec<f32>], keep: usize) -> Vec<Hypothesis> {
    let zeroed: Vec<Hypothesis> =
        running.iter().map(|h| Hypothesis { tokens: h.tokens.clone(), score: 0.0 }).collect();
    beam_step(&zeroed, lp, keep)
}
/// The best continuation of each beam, then the best `keep` of those.
pub fn beam_step_per_beam(running: &[Hypothesis], lp: &[Vec<f32>], keep: usize) -> Vec<Hypothesis> {
    let mut all: Vec<Hypothesis> = running
        .iter()
        .zip(lp)
        .flat_map(|(h, l)| beam_step(std::slice::from_ref(h), std::slice::from_ref(l), 1))
        .collect();
    all.sort_by(|a, b| b.score.total_cmp(&a.score));
    all.truncate(keep);
    all
}
/// Divides by the whole length, prompt included (transformers 4.x).
pub fn score_counts_prompt(s: f32, _prompt_len: usize, len: usize, a: f32) -> f32 {
    s / (len as f32).powf(a)
}
/// Divides by the length, α ignored.
pub fn score_ignores_alpha(s: f32, prompt_len: usize, len: usize, _a: f32) -> f32 {
    s / (len - prompt_len) as f32
}

// §5.3

/// Keeps exactly the first k indices in descending order: ties at the k-th value dropped.
pub fn top_k_drops_ties(z: &mut [f32], k: usize, min: usize) {
    let k = k.max(min).min(z.len());
    let mut order: Vec<usize> = (0..z.len()).collect();
    order.sort_by(|&a, &b| z[b].total_cmp(&z[a]));
    for &i in &order[k..] {
        z[i] = f32::NEG_INFINITY;
    }
}
/// min_tokens_to_keep ignored.
pub fn top_k_ignores_min(z: &mut [f32], k: usize, _min: usize) {
    top_k_filter(z, k, 1)
}
/// Descending order, kept while the cumulative sum is < p: the crossing token is dropped.
pub fn top_p_drops_crossing(z: &mut [f32], p: f32, min: usize) {
    let probs = softmax_with_temperature(z, 1.0);
    let mut order: Vec<usize> = (0..z.len()).collect();
    order.sort_by(|&a, &b| z[b].total_cmp(&z[a]));
    let mut cum = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        cum += probs[i];
        if cum >= p && rank >= min {
            z[i] = f32::NEG_INFINITY;
        }
    }
}
/// Removes where the ascending cumulative sum is < 1 − p (the boundary excluded).
pub fn top_p_strict(z: &mut [f32], p: f32, min: usize) {
    let probs = softmax_with_temperature(z, 1.0);
    let mut order: Vec<usize> = (0..z.len()).collect();
    order.sort_by(|&a, &b| z[a].total_cmp(&z[b]));
    let mut cum = 0.0;
    let n = z.len();
    for (rank, &i) in order.iter().enumerate() {
        cum += probs[i];
        if cum < 1.0 - p && rank + min < n {
            z[i] = f32::NEG_INFINITY;
        }
    }
}
/// min_tokens_to_keep ignored.
pub fn top_p_ignores_min(z: &mut [f32], p: f32, _min: usize) {
    top_p_filter(z, p, 1)
}

// §5.4

/// Divides every seen logit by θ, negative ones too.
pub fn penalty_divides_all(z: &mut [f32], seen: &[usize], t: f32) {
    let mut ids = seen.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter().for_each(|i| z[i] /= t);
}
/// The source's wording: seen logits multiplied by θ, positive ones too.
pub fn penalty_multiplies_positive(z: &mut [f32], seen: &[usize], t: f32) {
    let mut ids = seen.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for i in ids {
        z[i] *= t;
    }
}
/// Penalised once per occurrence.
pub fn penalty_per_occurrence(z: &mut [f32], seen: &[usize], t: f32) {
    for &i in seen {
        z[i] = if z[i] < 0.0 { z[i] * t } else { z[i] / t };
    }
}
/// n-grams one token short.
pub fn banned_short_ngrams(h: &[usize], n: usize) -> Vec<usize> {
    banned_tokens(h, n.saturating_sub(1).max(if n == 1 { 1 } else { 0 }))
}
/// Nothing banned when n = 1 (the empty prefix treated as "no prefix").
pub fn banned_none_for_unigrams(h: &[usize], n: usize) -> Vec<usize> {
    if n == 1 {
        vec![]
    } else {
        banned_tokens(h, n)
    }
}

// §5.5

use dfdx::prelude::*;
use solutions::architectures::gqa::repeat_kv;
use solutions::foundations::self_attention::scaled_dot_product_attention;
use solutions::inference::kv_cache::{attend_with_cache, Heads, LayerCache};

/// Attention of q (H, Tn, D) over keys and values (G, S, D), query i seeing keys
/// 0..visible(i); `bias` (H, Tn, ≥ S) is cut to S columns.
fn attend_over(
    q: Heads,
    k: &Heads,
    v: &Heads,
    bias: Option<&Heads>,
    visible: impl Fn(usize) -> usize,
) -> Heads {
    let (h, tn, d) = *q.shape();
    let (g, s, _) = *k.shape();
    let dev = q.device().clone();
    let mask: Vec<f32> = (0..h)
        .flat_map(|_| (0..tn).flat_map(|i| (0..s).map(move |j| (j, i))))
        .map(|(j, i)| if j < visible(i) { 0.0 } else { f32::NEG_INFINITY })
        .collect();
    let mut mask: Heads = dev.tensor_from_vec(mask, (h, tn, s));
    if let Some(b) = bias {
        mask = mask + b.clone().slice((.., .., 0..s));
    }
    let expand = |x: &Heads| {
        repeat_kv(x.clone().reshape_like(&(1, g, s, d)), h / g).reshape_like(&(h, 1, s, d))
    };
    let y = scaled_dot_product_attention(
        q.reshape_like(&(h, 1, tn, d)),
        expand(k),
        expand(v),
        Some(&mask),
    );
    y.reshape_like(&(h, tn, d))
}

fn append(cache: &mut LayerCache, k: Heads, v: Heads) {
    cache.k = (cache.k.clone(), k).concat_along(Axis::<1>);
    cache.v = (cache.v.clone(), v).concat_along(Axis::<1>);
}

/// Attends over the old cache, then appends: the new token never sees itself.
pub fn cache_appended_after_attention(
    c: &mut LayerCache,
    q: Heads,
    k: Heads,
    v: Heads,
    b: Option<&Heads>,
) -> Heads {
    let y = attend_over(q, &c.k, &c.v, b, |_| usize::MAX);
    append(c, k, v);
    y
}
/// Attends correctly over old and new positions but leaves the cache as it was.
pub fn cache_never_appended(
    c: &mut LayerCache,
    q: Heads,
    k: Heads,
    v: Heads,
    b: Option<&Heads>,
) -> Heads {
    attend_with_cache(&mut c.clone(), q, k, v, b)
}
/// The causal mask's top rows: new query i sees keys 0..=i, as if the cache were empty.
pub fn cache_mask_top_rows(
    c: &mut LayerCache,
    q: Heads,
    k: Heads,
    v: Heads,
    b: Option<&Heads>,
) -> Heads {
    append(c, k, v);
    attend_over(q, &c.k, &c.v, b, |i| i + 1)
}
/// No mask at all: right for one new token, wrong for a prompt of several.
pub fn cache_without_mask(
    c: &mut LayerCache,
    q: Heads,
    k: Heads,
    v: Heads,
    b: Option<&Heads>,
) -> Heads {
    append(c, k, v);
    attend_over(q, &c.k, &c.v, b, |_| usize::MAX)
}
