//! Graded suite for §5.4, `apply_repetition_penalty` and `banned_tokens`: the worked
//! examples, seeded cases against the library, and every case of Hugging Face's
//! `RepetitionPenaltyLogitsProcessor` and `NoRepeatNGramLogitsProcessor`
//! (`data/reference/hf_logits_processors.json`).

use super::reference::{cases, removed};
use crate::compare::{close_list, Tol};
use crate::{Check, Failure};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use solutions::inference::repetition as lib;

/// Grades `apply_repetition_penalty(logits, seen, penalty)`.
pub fn check_apply_repetition_penalty<F>(f: F) -> Check
where
    F: Fn(&mut [f32], &[usize], f32),
{
    let mut z = [2.0f32, -2.0, 1.0];
    f(&mut z, &[0, 1, 1], 1.25);
    let want = [1.6f32, -2.5, 1.0];
    if z.iter().zip(&want).any(|(a, b)| (a - b).abs() > 1e-6) {
        let cause = if (z[1] + 1.6).abs() < 1e-6 {
            "the penalty divides negative logits: −2 / 1.25 = −1.6 is *larger* than −2, so the \
             repeated token became more likely. Multiply negative logits by θ"
        } else if (z[0] - 2.5).abs() < 1e-6 {
            "positive logits were multiplied by θ (the source's wording): 2 · 1.25 = 2.5 \
             rewards the repeat. Divide positive logits by θ"
        } else if (z[1] + 3.125).abs() < 1e-5 {
            "token 1 was penalised once per occurrence (−2 · 1.25²): Hugging Face penalises \
             each distinct seen id once"
        } else if (z[2] - 1.0).abs() > 1e-6 {
            "token 2 was never seen, so it must stay as it is"
        } else {
            "z / θ for z > 0, z · θ for z < 0, once per distinct seen id"
        };
        return Err(Failure::new(format!(
            "apply_repetition_penalty([2, −2, 1], seen [0, 1, 1], θ = 1.25) gives {z:?}, \
             expected {want:?}: {cause}."
        )));
    }
    let tol = Tol { abs: 1e-6, rel: 1e-6 };
    let mut rng = StdRng::seed_from_u64(61);
    for case in 0..30 {
        let z: Vec<f32> = (0..10).map(|_| rng.gen_range(-3.0..3.0)).collect();
        let seen: Vec<usize> = (0..rng.gen_range(0..12)).map(|_| rng.gen_range(0..10)).collect();
        let theta = rng.gen_range(0.5f32..2.5);
        let (mut got, mut want) = (z.clone(), z.clone());
        f(&mut got, &seen, theta);
        lib::apply_repetition_penalty(&mut want, &seen, theta);
        let want: Vec<f64> = want.iter().map(|&x| x as f64).collect();
        close_list(
            &format!("seeded case {case}, θ = {theta}, seen {seen:?}"),
            "logits",
            &got,
            &want,
            tol,
        )?;
    }
    let (provenance, tol_hf, hf) = cases("repetition_penalty");
    for c in hf {
        let mut got = c.scores.clone();
        f(&mut got, &c.ids, c.f("penalty"));
        let want: Vec<f64> = c.out.iter().map(|&x| x as f64).collect();
        let what = format!(
            "HF RepetitionPenaltyLogitsProcessor({}) on ids {:?} ({provenance})",
            c.f("penalty"),
            c.ids
        );
        close_list(&what, "logits", &got, &want, Tol { abs: tol_hf as f64, rel: 0.0 })?;
    }
    Ok(())
}

/// Grades `banned_tokens(history, n)`, compared as sets (order and repeats do not count).
pub fn check_banned_tokens<F>(f: F) -> Check
where
    F: Fn(&[usize], usize) -> Vec<usize>,
{
    let set = |mut v: Vec<usize>| {
        v.sort_unstable();
        v.dedup();
        v
    };
    let mut cases_: Vec<(String, Vec<usize>, usize)> = vec![
        ("the worked example \"the cat sat on the\"".into(), vec![0, 1, 2, 3, 0], 2),
        ("n = 1 (every seen token)".into(), vec![4, 2, 4], 1),
        ("a history shorter than n".into(), vec![1, 2], 3),
        ("n = 3".into(), vec![1, 2, 3, 1, 2], 3),
    ];
    let mut rng = StdRng::seed_from_u64(67);
    for i in 0..30 {
        let h: Vec<usize> = (0..rng.gen_range(0..14)).map(|_| rng.gen_range(0..3)).collect();
        cases_.push((format!("seeded case {i}"), h, rng.gen_range(1..5)));
    }
    let (provenance, _, hf) = cases("no_repeat_ngram");
    for c in &hf {
        cases_.push((
            format!("HF NoRepeatNGramLogitsProcessor ({provenance})"),
            c.ids.clone(),
            c.n("ngram_size"),
        ));
    }
    for (name, h, n) in &cases_ {
        let got = set(f(h, *n));
        let want = lib::banned_tokens(h, *n);
        if got == want {
            continue;
        }
        let cause = if *n == 1 && got.is_empty() {
            "with n = 1 the prefix is empty, so every token already seen completes a seen \
             1-gram: all of them are banned"
        } else if *n >= 2 && got == lib::banned_tokens(h, n - 1) {
            "your n-grams are one token short: the prefix is the last n − 1 tokens, and a seen \
             n-gram whose first n − 1 tokens equal it bans its last token"
        } else if !want.is_empty() && got.is_empty() {
            "nothing was banned: compare the last n − 1 tokens with the first n − 1 of every \
             n-gram window of the history (the last window included)"
        } else {
            "ban the last token of every seen n-gram whose first n − 1 tokens equal the \
             history's last n − 1"
        };
        return Err(Failure::new(format!(
            "banned_tokens({h:?}, n = {n}) [{name}] is {got:?}, expected {want:?}: {cause}."
        )));
    }
    // Hugging Face's processor sets exactly these to −∞.
    for c in hf {
        let got = set(f(&c.ids, c.n("ngram_size")));
        if got != removed(&c.out) {
            return Err(Failure::new(format!(
                "banned_tokens({:?}, n = {}) is {got:?}, Hugging Face bans {:?} ({provenance}).",
                c.ids,
                c.n("ngram_size"),
                removed(&c.out)
            )));
        }
    }
    Ok(())
}
