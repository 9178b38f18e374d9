//! Graded suite for §3.5's pieces of a training run: the learning-rate schedule, gradient
//! clipping by global norm, and the random-window batch loader.
//!
//! The schedule is checked on the hand-worked example and on nanoGPT's own `get_lr` values
//! (`data/reference/lr_schedule.json`, by `scripts/reference/lr_schedule.py`); clipping on
//! the 3-4-5 case and on `torch.nn.utils.clip_grad_norm_`'s results
//! (`data/reference/grad_clip.json`, by `scripts/reference/grad_clip.py`); the loader on
//! windows whose tokens encode their position, with a seeded RNG.

use crate::compare::{check_len, close_list, close_scalar, Tol};
use crate::{Check, Failure};
use rand::rngs::StdRng;
use rand::SeedableRng;
use std::collections::BTreeMap;

/// Grades `lr_at_step(step, warmup, max_steps, max_lr, min_lr)`.
pub fn check_lr_at_step<F>(f: F) -> Check
where
    F: Fn(usize, usize, usize, f64, f64) -> f64,
{
    // The hand-worked example: warm-up 4, decay to step 12, 1.0 down to 0.1.
    let hand = [(0, 0.2), (1, 0.4), (2, 0.6), (3, 0.8), (4, 1.0), (8, 0.55), (12, 0.1), (13, 0.1)];
    let tol = Tol { abs: 1e-12, rel: 1e-12 };
    for (step, want) in hand {
        let got = f(step, 4, 12, 1.0, 0.1);
        if tol.allows(got, want) {
            continue;
        }
        let cos = |s: usize, n: f64, lo: f64| {
            lo + 0.5 * (1.0 + (std::f64::consts::PI * (s as f64 - 4.0) / n).cos()) * (1.0 - lo)
        };
        let cause = if step < 4 && tol.allows(got, step as f64 / 4.0) {
            "the warm-up is step / warmup, older nanoGPT's it / warmup_iters: it starts at \
             exactly 0, wasting step 0. Today's get_lr uses (step + 1) / (warmup + 1)"
        } else if step >= 4 && tol.allows(got, cos(step, 8.0, 0.0)) {
            "the cosine decays to 0, not to min_lr (Hugging Face's floor): it runs from max_lr \
             down to min_lr, min_lr + ½(1 + cos(π·ratio))·(max_lr − min_lr)"
        } else if (4..=12).contains(&step) && tol.allows(got, cos(step, 12.0, 0.1)) {
            "the cosine does not reach min_lr at max_steps: its ratio must be (step − warmup) \
             / (max_steps − warmup), which is 1 at max_steps, not (step − warmup) / max_steps"
        } else if step > 12 {
            "after max_steps the learning rate stays at min_lr"
        } else {
            "warm-up (step + 1)/(warmup + 1)·max_lr, then the cosine from max_lr to min_lr"
        };
        return Err(Failure::new(format!(
            "lr_at_step({step}, warmup 4, max_steps 12, max_lr 1.0, min_lr 0.1) is {got}, \
             expected {want}: {cause}."
        )));
    }
    #[derive(serde::Deserialize)]
    struct Recipe {
        name: String,
        warmup: usize,
        max_steps: usize,
        max_lr: f64,
        min_lr: f64,
        steps: Vec<usize>,
        lrs: Vec<f64>,
    }
    #[derive(serde::Deserialize)]
    struct Reference {
        tolerance: f64,
        recipes: Vec<Recipe>,
    }
    let r: Reference =
        serde_json::from_str(include_str!("../../../data/reference/lr_schedule.json"))
            .expect("data/reference/lr_schedule.json parses");
    let tol = Tol { abs: r.tolerance, rel: r.tolerance };
    for c in &r.recipes {
        let got: Vec<f64> =
            c.steps.iter().map(|&s| f(s, c.warmup, c.max_steps, c.max_lr, c.min_lr)).collect();
        let what = format!(
            "nanoGPT's get_lr, recipe {} (warm-up {}, max_steps {}), the learning rates at steps",
            c.name, c.warmup, c.max_steps
        );
        close_list(&what, "learning rates", &got, &c.lrs, tol)?;
    }
    Ok(())
}

/// Grades `clip_grad_norm(grads, max_norm)`: the global norm before clipping, and the
/// gradients clipped in place.
pub fn check_clip_grad_norm<F>(f: F) -> Check
where
    F: Fn(&mut [Vec<f32>], f32) -> f32,
{
    // Hand-worked: [3] and [4] have the global norm 5.
    let mut g = vec![vec![3.0f32], vec![4.0]];
    let norm = f(&mut g, 1.0);
    close_scalar(
        "clip_grad_norm([[3], [4]], 1.0)'s returned norm",
        norm as f64,
        5.0,
        crate::compare::F32,
    )
    .map_err(|e| {
        Failure::new(format!(
            "{} It is the norm of all gradients together, before clipping: √(3² + 4²).",
            e.0
        ))
    })?;
    check_len("clip_grad_norm([[3], [4]], 1.0)", "tensors", g.len(), 2, "")?;
    let flat: Vec<f32> = g.iter().flatten().copied().collect();
    if !crate::compare::all_close(&flat, &[0.6, 0.8], Tol { abs: 1e-5, rel: 0.0 }) {
        let cause = if crate::compare::all_close(&flat, &[1.0, 1.0], Tol { abs: 1e-5, rel: 0.0 }) {
            "each tensor was clipped to max_norm on its own, which changes the direction of \
             the step. Clip globally: one norm over all tensors, one factor for all"
        } else {
            "every gradient is multiplied by the same factor max_norm / (norm + 1e-6)"
        };
        return Err(Failure::new(format!(
            "clip_grad_norm([[3], [4]], 1.0) left the gradients at {g:?}, expected [[0.6], \
             [0.8]]: {cause}."
        )));
    }
    let mut g = vec![vec![3.0f32], vec![4.0]];
    f(&mut g, 10.0);
    if g != vec![vec![3.0], vec![4.0]] {
        return Err(Failure::new(format!(
            "clip_grad_norm([[3], [4]], 10.0) changed the gradients to {g:?}: their norm 5 is \
             below max_norm 10, so they must stay exactly as they were. Clipping caps the \
             norm; it must never scale gradients up (the factor is at most 1)."
        )));
    }
    #[derive(serde::Deserialize)]
    struct Case {
        max_norm: f32,
        total_norm: f32,
        clipped: BTreeMap<String, Vec<f32>>,
    }
    #[derive(serde::Deserialize)]
    struct Reference {
        tolerance: f64,
        grads: BTreeMap<String, Vec<f32>>,
        cases: Vec<Case>,
    }
    let r: Reference = serde_json::from_str(include_str!("../../../data/reference/grad_clip.json"))
        .expect("data/reference/grad_clip.json parses");
    let tol = Tol { abs: r.tolerance, rel: r.tolerance };
    for case in &r.cases {
        let mut g: Vec<Vec<f32>> = r.grads.values().cloned().collect();
        let norm = f(&mut g, case.max_norm);
        let label =
            format!("clip_grad_norm of a model's 5 gradient tensors, max_norm {}", case.max_norm);
        close_scalar(
            &format!("{label}: the returned norm"),
            norm as f64,
            case.total_norm as f64,
            tol,
        )?;
        check_len(&label, "tensors", g.len(), r.grads.len(), "")?;
        for ((name, want), got) in case.clipped.iter().zip(&g) {
            let want: Vec<f64> = want.iter().map(|&x| x as f64).collect();
            close_list(
                &format!("{label}: tensor {name} (PyTorch's clip_grad_norm_), at "),
                "gradients",
                got,
                &want,
                tol,
            )?;
        }
    }
    Ok(())
}

type Batch = (Vec<Vec<u32>>, Vec<Vec<u32>>);

/// Grades `get_batch(data, batch, context, rng)`.
pub fn check_get_batch<F>(f: F) -> Check
where
    F: Fn(&[u32], usize, usize, &mut StdRng) -> Batch,
{
    // Token = 100 + its position, so a row says where its window starts.
    let data: Vec<u32> = (100..160).collect();
    let mut rng = StdRng::seed_from_u64(7);
    for draw in 0..50 {
        let (x, y) = f(&data, 4, 8, &mut rng);
        let label = format!("get_batch(60 tokens, batch 4, context 8), draw {draw}");
        check_len(&format!("{label}, x"), "rows", x.len(), 4, "")?;
        check_len(&format!("{label}, y"), "rows", y.len(), 4, "")?;
        for (b, (xr, yr)) in x.iter().zip(&y).enumerate() {
            check_len(&format!("{label}, x[{b}]"), "tokens", xr.len(), 8, "")?;
            check_len(&format!("{label}, y[{b}]"), "tokens", yr.len(), 8, "")?;
            let start = xr[0].wrapping_sub(100) as usize;
            if start + 9 > data.len() || *xr != data[start..start + 8] {
                return Err(Failure::new(format!(
                    "{label}: x[{b}] = {xr:?} is not 8 consecutive tokens of the data followed \
                     by one more (a window data[i..i + 8] with i + 8 < 60)."
                )));
            }
            if *yr != data[start + 1..start + 9] {
                let cause = if yr == xr {
                    "the targets are not shifted: y must be the window moved one token right, \
                     so that at every position the model predicts the NEXT token"
                } else {
                    "y[b] must be data[i + 1..i + 9], x's window shifted by one"
                };
                return Err(Failure::new(format!(
                    "{label}: y[{b}] = {yr:?} for x[{b}] = {xr:?}: {cause}."
                )));
            }
        }
    }
    // Every start 0..=len − context − 1 must be drawn, the last one included.
    let small: Vec<u32> = (0..12).collect();
    let mut seen = [false; 8];
    let mut rng = StdRng::seed_from_u64(1);
    for _ in 0..200 {
        for row in f(&small, 2, 4, &mut rng).0 {
            seen[row[0] as usize] = true;
        }
    }
    let missing: Vec<usize> = (0..8).filter(|&i| !seen[i]).collect();
    if missing == [7] {
        return Err(Failure::new(
            "get_batch(12 tokens, context 4): in 400 windows the last window, start 7 = \
             12 − 4 − 1 (x = tokens 7..11, y = 8..12), was never drawn. The starts are 0 to \
             len − context − 1 inclusive: gen_range's end is exclusive, so it is \
             0..len − context, not 0..len − context − 1."
                .to_string(),
        ));
    } else if !missing.is_empty() {
        return Err(Failure::new(format!(
            "get_batch(12 tokens, context 4): in 400 windows the starts {missing:?} were never \
             drawn; every start 0..=7 must be possible, drawn uniformly."
        )));
    }
    // The same generator must give the library's windows: a resumed run redraws its batches.
    let want =
        solutions::training::data_loader::get_batch(&data, 6, 16, &mut StdRng::seed_from_u64(42));
    let got = f(&data, 6, 16, &mut StdRng::seed_from_u64(42));
    if got != want {
        return Err(Failure::new(format!(
            "get_batch with StdRng::seed_from_u64(42) drew windows starting at {:?}, the \
             library's draw starts at {:?}: draw each start with one rng.gen_range(0..len − \
             context) per row, in row order, and nothing else from rng, so that a seed \
             reproduces the batches (an exact resume depends on it).",
            got.0.iter().map(|r| r.first().map(|t| t - 100)).collect::<Vec<_>>(),
            want.0.iter().map(|r| r[0] - 100).collect::<Vec<_>>()
        )));
    }
    Ok(())
}
