//! §3.5: plausible wrong learning-rate schedules, clippings and batch loaders.

use rand::rngs::StdRng;
use rand::Rng;
use solutions::training::data_loader::lr_at_step;

/// Older nanoGPT's warm-up, step / warmup: starts at 0.
pub fn lr_warmup_from_zero(s: usize, w: usize, n: usize, hi: f64, lo: f64) -> f64 {
    if s < w {
        hi * s as f64 / w as f64
    } else {
        lr_at_step(s, w, n, hi, lo)
    }
}
/// Decay ratio (s − w) / N: the cosine never reaches min_lr.
pub fn lr_cosine_short(s: usize, w: usize, n: usize, hi: f64, lo: f64) -> f64 {
    if s < w || s > n {
        return lr_at_step(s, w, n, hi, lo);
    }
    let ratio = (s - w) as f64 / n as f64;
    lo + 0.5 * (1.0 + (std::f64::consts::PI * ratio).cos()) * (hi - lo)
}
/// Hugging Face's floor of 0 instead of min_lr.
pub fn lr_floor_zero(s: usize, w: usize, n: usize, hi: f64, _min_lr: f64) -> f64 {
    lr_at_step(s, w, n, hi, 0.0)
}

/// Clipped every tensor to max_norm on its own.
pub fn clip_per_tensor(grads: &mut [Vec<f32>], max_norm: f32) -> f32 {
    let total = grads.iter().flatten().map(|&g| (g as f64).powi(2)).sum::<f64>().sqrt() as f32;
    for t in grads.iter_mut() {
        let n = t.iter().map(|&g| g * g).sum::<f32>().sqrt();
        let c = (max_norm / (n + 1e-6)).min(1.0);
        t.iter_mut().for_each(|g| *g *= c);
    }
    total
}
/// Always scaled to max_norm, also up.
pub fn clip_always(grads: &mut [Vec<f32>], max_norm: f32) -> f32 {
    let total = grads.iter().flatten().map(|&g| (g as f64).powi(2)).sum::<f64>().sqrt() as f32;
    let c = max_norm / (total + 1e-6);
    grads.iter_mut().flatten().for_each(|g| *g *= c);
    total
}

type Batch = (Vec<Vec<u32>>, Vec<Vec<u32>>);

/// The targets are the inputs themselves.
pub fn batch_unshifted(data: &[u32], batch: usize, context: usize, rng: &mut StdRng) -> Batch {
    let (x, _) = solutions::training::data_loader::get_batch(data, batch, context, rng);
    (x.clone(), x)
}
/// `gen_range(0..len − context − 1)`: the last window is never drawn.
pub fn batch_no_last_window(data: &[u32], batch: usize, context: usize, rng: &mut StdRng) -> Batch {
    let (mut x, mut y) = (vec![], vec![]);
    for _ in 0..batch {
        let i = rng.gen_range(0..data.len() - context - 1);
        x.push(data[i..i + context].to_vec());
        y.push(data[i + 1..i + 1 + context].to_vec());
    }
    (x, y)
}
