//! Graded suite for §5.3, `top_k_filter` and `top_p_filter`: the worked examples, a tie at
//! the k-th value, a cumulative sum exactly on 1 − p, `min_tokens_to_keep`, seeded rows
//! against the library, and every top-k / top-p case of Hugging Face's own warpers
//! (`data/reference/hf_logits_processors.json`).

use super::reference::{cases, removed};
use crate::{Check, Failure};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::inference::truncation as lib;

fn kept(v: &[f32]) -> usize {
    v.len() - removed(v).len()
}

/// The learner's filter against the expected row: the same removed set, kept values
/// untouched. `cause` explains a wrong kept set.
fn same(what: &str, got: &[f32], want: &[f32], cause: impl Fn(&[f32]) -> String) -> Check {
    if got.len() != want.len() {
        return Err(Failure::new(format!(
            "{what}: the row has {} logits, expected {}: filter in place, never drop entries.",
            got.len(),
            want.len()
        )));
    }
    if removed(got) != removed(want) {
        return Err(Failure::new(format!(
            "{what}: removed (set to −∞) tokens {:?}, expected {:?}: {}.",
            removed(got),
            removed(want),
            cause(got)
        )));
    }
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        if w.is_finite() && g != w {
            return Err(Failure::new(format!(
                "{what}: kept token {i} was changed from {w} to {g}: a filter only removes \
                 tokens (−∞); the kept logits stay exactly as they were."
            )));
        }
    }
    Ok(())
}

/// Grades `top_k_filter(logits, k, min_tokens_to_keep)`.
pub fn check_top_k_filter<F>(f: F) -> Check
where
    F: Fn(&mut [f32], usize, usize),
{
    let run = |z: &[f32], k, m| {
        let mut v = z.to_vec();
        f(&mut v, k, m);
        v
    };
    let want = |z: &[f32], k, m| {
        let mut v = z.to_vec();
        lib::top_k_filter(&mut v, k, m);
        v
    };
    let tie = [1.0f32, 3.0, 2.0, 2.0, 0.0];
    same("top_k_filter([1, 3, 2, 2, 0], k = 2)", &run(&tie, 2, 1), &want(&tie, 2, 1), |g| {
        if kept(g) == 2 {
            "ties at the k-th value dropped: tokens 2 and 3 share the 2nd largest value, 2.0, \
             and Hugging Face keeps every token not below the k-th value"
                .into()
        } else {
            "keep every logit ≥ the k-th largest value, set the others to −∞".into()
        }
    })?;
    let z = [1.0f32, 3.0, 2.0, 0.0];
    same(
        "top_k_filter([1, 3, 2, 0], k = 1, min_tokens_to_keep = 3)",
        &run(&z, 1, 3),
        &want(&z, 1, 3),
        |g| {
            if kept(g) == 1 {
                "min_tokens_to_keep was ignored: the number kept is max(k, min_tokens_to_keep)"
                    .into()
            } else {
                "k is max(k, min_tokens_to_keep), capped at the vocabulary".into()
            }
        },
    )?;
    same("top_k_filter([1, 3, 2, 0], k = 9)", &run(&z, 9, 1), &want(&z, 9, 1), |_| {
        "k larger than the vocabulary keeps every token (cap k at the row's length)".into()
    })?;
    let mut rng = StdRng::seed_from_u64(53);
    for case in 0..40 {
        let v = rng.gen_range(3..16);
        let z: Vec<f32> = (0..v).map(|_| rng.gen_range(-3..4) as f32 * 0.5).collect();
        let (k, m) = (rng.gen_range(1..v + 2), rng.gen_range(1..3));
        let what = format!("seeded case {case}: top_k_filter({z:?}, k = {k}, min = {m})");
        same(&what, &run(&z, k, m), &want(&z, k, m), |_| "see the doc comment's rule".into())?;
    }
    let (provenance, _, hf) = cases("top_k");
    for c in hf {
        let (k, m) = (c.n("top_k"), c.n("min_tokens_to_keep"));
        let what =
            format!("Hugging Face's TopKLogitsWarper(top_k = {k}, min = {m}) ({provenance})");
        same(&what, &run(&c.scores, k, m), &c.out, |_| "see the doc comment's rule".into())?;
    }
    Ok(())
}

/// Grades `top_p_filter(logits, p, min_tokens_to_keep)`.
pub fn check_top_p_filter<F>(f: F) -> Check
where
    F: Fn(&mut [f32], f32, usize),
{
    let run = |z: &[f32], p, m| {
        let mut v = z.to_vec();
        f(&mut v, p, m);
        v
    };
    let want = |z: &[f32], p, m| {
        let mut v = z.to_vec();
        lib::top_p_filter(&mut v, p, m);
        v
    };
    let z: Vec<f32> = [0.5f32, 0.3, 0.2].iter().map(|p| p.ln()).collect();
    same("top_p_filter(ln [0.5, 0.3, 0.2], p = 0.6)", &run(&z, 0.6, 1), &want(&z, 0.6, 1), |g| {
        if kept(g) == 1 {
            "the token that crosses p was dropped (cumulative < p instead of ≤ 1 − p): 0.5 \
             alone is short of 0.6, so the 0.3 token, which crosses it, must stay"
                .into()
        } else {
            "remove the tokens whose ascending cumulative probability is ≤ 1 − p".into()
        }
    })?;
    // Eight equal logits: ascending cumulative sums 0.125, 0.25, …, exact in f32.
    let flat = [0.5f32; 8];
    same(
        "top_p_filter(8 equal logits, p = 0.25)",
        &run(&flat, 0.25, 1),
        &want(&flat, 0.25, 1),
        |g| {
            if kept(g) == 3 {
                "the boundary is exclusive in your code: the 6th cumulative sum is exactly \
             1 − p = 0.75, and Hugging Face removes where cumulative ≤ 1 − p, not < 1 − p"
                    .into()
            } else {
                "ascending cumulative sums 0.125 … 1.0; remove those ≤ 1 − p = 0.75".into()
            }
        },
    )?;
    same(
        "top_p_filter(ln [0.5, 0.3, 0.2], p = 0.01, min_tokens_to_keep = 2)",
        &run(&z, 0.01, 2),
        &want(&z, 0.01, 2),
        |g| {
            if kept(g) == 1 {
                "min_tokens_to_keep was ignored: the most likely min_tokens_to_keep tokens always \
             stay"
                    .into()
            } else {
                "keep at least min_tokens_to_keep tokens, the most likely ones".into()
            }
        },
    )?;
    let mut rng = StdRng::seed_from_u64(59);
    for case in 0..40 {
        let v = rng.gen_range(2..16);
        let z: Vec<f32> = (0..v).map(|_| rng.gen_range(-4.0..4.0)).collect();
        let (p, m) = (rng.gen_range(0.05f32..1.0), rng.gen_range(1..3));
        let what = format!("seeded case {case}: top_p_filter({z:?}, p = {p}, min = {m})");
        same(&what, &run(&z, p, m), &want(&z, p, m), |_| "see the doc comment's rule".into())?;
    }
    let (provenance, _, hf) = cases("top_p");
    for c in hf {
        let (p, m) = (c.f("top_p"), c.n("min_tokens_to_keep"));
        let what =
            format!("Hugging Face's TopPLogitsWarper(top_p = {p}, min = {m}) ({provenance})");
        same(&what, &run(&c.scores, p, m), &c.out, |_| "see the doc comment's rule".into())?;
    }
    Ok(())
}
