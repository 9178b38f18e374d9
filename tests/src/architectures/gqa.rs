//! Graded suite for §3.3, the Llama block's parts: `repeat_kv` (grouped-query attention),
//! `swiglu` and the KV cache's bytes per token.
//!
//! `repeat_kv` is checked element by element on inputs whose values encode their own index,
//! `swiglu` against g·σ(g)·u in f64 and a hand-worked value, both with their gradients
//! against the library's; the KV-cache size against Llama 2's published dimensions and a
//! hand-worked GQA case.

use crate::compare::{check_shape, close, index_of, Tol};
use crate::gradient::{backward_weighted, check_gradient, grad_of, plain, traced, Tr};
use crate::{Check, Failure};
use dfdx::prelude::*;
use solutions::architectures::gqa as lib;
use solutions::architectures::param_count::{LlamaDims, LLAMA2_70B, LLAMA2_7B};
use solutions::Dev;

type G4 = Tensor<(usize, usize, usize, usize), f32, Dev, Tr>;
type T4 = Tensor<(usize, usize, usize, usize), f32, Dev>;
type G2 = Tensor<(usize, usize), f32, Dev, Tr>;
type T2 = Tensor<(usize, usize), f32, Dev>;

/// Grades `repeat_kv(x, n_rep)`: (B, G, S, D) -> (B, G·n_rep, S, D).
pub fn check_repeat_kv<F>(f: F) -> Check
where
    F: Fn(G4, usize) -> G4,
{
    let dev = Dev::default();
    for (b, g, s, d, n) in [(1, 2, 1, 1, 2), (2, 3, 2, 2, 2), (1, 2, 3, 4, 4), (1, 4, 2, 3, 1)] {
        // Entry [b, g, s, d] holds 1000b + 100g + 10s + d: a value says where it came from.
        let data: Vec<f32> = (0..b * g * s * d)
            .map(|k| {
                let i = index_of(k, &[b, g, s, d]);
                (1000 * i[0] + 100 * i[1] + 10 * i[2] + i[3]) as f32
            })
            .collect();
        let x: T4 = dev.tensor_from_vec(data.clone(), (b, g, s, d));
        let label = format!("repeat_kv(x of shape ({b}, {g}, {s}, {d}), n_rep = {n})");
        let got = plain(f(traced(&x), n));
        let (gb, gh, gs, gd) = *got.shape();
        check_shape(&label, &[gb, gh, gs, gd], &[b, g * n, s, d])?;
        let v = got.as_vec();
        for (k, &value) in v.iter().enumerate() {
            let [bb, h, ss, dd] = index_of(k, &[b, g * n, s, d])[..] else { unreachable!() };
            let want = data[((bb * g + h / n) * s + ss) * d + dd];
            if value == want {
                continue;
            }
            let interleaved = (0..v.len()).all(|k| {
                let [bb, h, ss, dd] = index_of(k, &[b, g * n, s, d])[..] else { return false };
                v[k] == data[((bb * g + h % g) * s + ss) * d + dd]
            });
            let cause = if interleaved {
                format!(
                    "the heads are interleaved, k0, k1, …, k0, k1, … (PyTorch's `repeat`): \
                     query head {h} got K/V head {h} mod {g}. A group is a run of {n} adjacent \
                     query heads, so each K/V head's copies must be adjacent, k0, k0, k1, k1 \
                     (`repeat_interleave`)"
                )
            } else {
                format!("query head {h} reads K/V head {h} / {n} = {}", h / n)
            };
            return Err(Failure::new(format!(
                "{label}: element [{bb}, {h}, {ss}, {dd}] is {value}, expected {want} \
                 (values encode 1000·batch + 100·head + 10·position + feature): {cause}."
            )));
        }
    }
    // The values are right; each K/V head's gradient must gather its copies' gradients.
    let x: T4 = Dev::seed_from_u64(33).sample_normal_like(&(2, 2, 3, 4));
    let mut got = backward_weighted(f(traced(&x), 3));
    let mut want = backward_weighted(lib::repeat_kv(traced(&x), 3));
    let (g, w) = (grad_of(&mut got, &x), grad_of(&mut want, &x));
    check_gradient("repeat_kv(x of shape (2, 2, 3, 4), 3)", "x", &g, &w, &[2, 2, 3, 4])
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Grades `swiglu(gate, up)` = SiLU(gate) ⊙ up.
pub fn check_swiglu<F>(f: F) -> Check
where
    F: Fn(G2, G2) -> G2,
{
    let dev = Dev::default();
    let tol = Tol { abs: 1e-5, rel: 1e-4 };
    let seeded = Dev::seed_from_u64(34);
    let g: T2 = seeded.sample_normal_like(&(3, 5));
    let u: T2 = seeded.sample_normal_like(&(3, 5));
    let (gv, uv): (Vec<f64>, Vec<f64>) = (
        g.as_vec().into_iter().map(f64::from).collect(),
        u.as_vec().into_iter().map(f64::from).collect(),
    );
    let zip = |h: fn(f64, f64) -> f64| -> Vec<f64> {
        gv.iter().zip(&uv).map(|(&a, &b)| h(a, b)).collect()
    };
    let want = zip(|g, u| g * sigmoid(g) * u);
    let out = plain(f(traced(&g), traced(&u)));
    let (r, c) = *out.shape();
    let got = out.as_vec();
    let label = "swiglu(gate, up) for seeded normal (3, 5) inputs, at ";
    if let Err(e) = close(label, &got, &[r, c], &want, &[3, 5], tol) {
        let like = |w: &[f64]| got.iter().zip(w).all(|(&a, &b)| tol.allows(a as f64, b));
        let cause = if like(&zip(|g, u| u * sigmoid(u) * g)) {
            " The gate is on the wrong branch: you computed SiLU(up) ⊙ gate. The SiLU goes on \
             the gate, the first argument (Llama's gate_proj); up is passed through linearly."
        } else if like(&zip(|g, u| sigmoid(g) * u)) {
            " That is σ(gate) ⊙ up, GLU's sigmoid gate. SwiGLU's gate is SiLU(g) = g·σ(g) \
             (Swish): multiply by the gate value itself too."
        } else {
            " SwiGLU(g, u) = g·σ(g)·u, element by element."
        };
        return Err(Failure::new(format!("{}{cause}", e.0)));
    }
    // Hand-worked: g = 1, u = 2 gives 1 · σ(1) · 2 = 1.4621; a closed gate (g = 0) gives 0.
    let hg: T2 = dev.tensor_from_vec(vec![1.0, 0.0], (1, 2));
    let hu: T2 = dev.tensor_from_vec(vec![2.0, 5.0], (1, 2));
    let hand = [2.0 * sigmoid(1.0), 0.0];
    let out = plain(f(traced(&hg), traced(&hu)));
    let (r, c) = *out.shape();
    close("swiglu(g = [1, 0], u = [2, 5])", &out.as_vec(), &[r, c], &hand, &[1, 2], tol)?;
    // The values are right; the gradient must reach both inputs.
    let mut got = backward_weighted(f(traced(&g), traced(&u)));
    let mut want = backward_weighted(lib::swiglu(traced(&g), traced(&u)));
    for (name, x) in [("gate", &g), ("up", &u)] {
        let (a, b) = (grad_of(&mut got, x), grad_of(&mut want, x));
        check_gradient("swiglu(gate, up) of shape (3, 5)", name, &a, &b, &[3, 5])?;
    }
    Ok(())
}

/// Grades `kv_cache_bytes_per_token(dims, bytes_per_value)`.
pub fn check_kv_cache_bytes_per_token<F>(f: F) -> Check
where
    F: Fn(&LlamaDims, u64) -> u64,
{
    // Hand-worked GQA: 2 layers, 2 K/V heads (for 8 query heads) of 64/8 = 8 features,
    // fp32: 2 (K and V) · 2 · 2 · 8 · 4 = 256 bytes. Llama 2 in fp16, from the published
    // configs: 7B 2 · 32 · 32 · 128 · 2 = 512 KiB, 70B 2 · 80 · 8 · 128 · 2 = 320 KiB.
    let tiny = LlamaDims { vocab: 32, d_model: 64, layers: 2, d_ff: 128, heads: 8, kv_heads: 2 };
    let cases = [
        (tiny, 4, "a tiny GQA model (2 layers, 8 query heads, 2 K/V heads, head_dim 8)", 256),
        (LLAMA2_70B, 2, "Llama 2 70B (80 layers, 64 query heads, 8 K/V heads)", 327_680),
        (LLAMA2_7B, 2, "Llama 2 7B (32 layers, 32 heads)", 524_288),
        (LLAMA2_7B, 4, "Llama 2 7B in fp32", 1_048_576),
    ];
    for (dims, bytes, name, want) in cases {
        let got = f(&dims, bytes);
        if got == want {
            continue;
        }
        let cause = if 2 * got == want {
            "half the answer: the cache holds a key AND a value vector per K/V head, so the \
             count has a factor 2"
                .to_string()
        } else if dims.heads != dims.kv_heads && got * dims.kv_heads == want * dims.heads {
            format!(
                "{}× too much: you counted the {} query heads. Only the {} K/V heads are \
                 cached; their sharing by groups of query heads is what makes GQA's cache small",
                dims.heads / dims.kv_heads,
                dims.heads,
                dims.kv_heads
            )
        } else {
            "per token and layer, every K/V head caches one key and one value of head_dim \
             numbers, each of bytes_per_value bytes"
                .to_string()
        };
        return Err(Failure::new(format!(
            "kv_cache_bytes_per_token for {name}, {bytes} bytes per value, is {got}, expected \
             {want}: {cause}."
        )));
    }
    Ok(())
}
