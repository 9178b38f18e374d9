use super::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Reference {
    provenance: String,
    tolerance: f32,
    shape: [usize; 4],
    base: f64,
    offset: usize,
    x: Vec<f32>,
    out: Vec<f32>,
}

fn max_gap(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max)
}

#[test]
fn matches_meta_llama_rotary_embedding_in_pytorch() {
    let r: Reference =
        serde_json::from_str(include_str!("../../../../data/reference/rope.json")).unwrap();
    let [b, h, s, d] = r.shape;
    let x = Dev::default().tensor_from_vec(r.x.clone(), (b, h, s, d));
    let got = apply_rope(x, r.offset, r.base).as_vec();
    let gap = max_gap(&got, &r.out);
    assert!(gap <= r.tolerance, "off by {gap} ({})", r.provenance);
}

#[test]
fn the_fast_version_equals_the_slow_one() {
    let dev = Dev::seed_from_u64(0);
    for (b, h, s, d, offset) in [(1, 1, 1, 2, 0), (2, 4, 7, 16, 0), (1, 2, 9, 64, 100)] {
        let x: Tensor<(usize, usize, usize, usize), f32, Dev> =
            dev.sample_normal_like(&(b, h, s, d));
        let slow = apply_rope_slow(&x.as_vec(), [b * h, s, d], offset, 10000.0);
        let fast = apply_rope(x, offset, 10000.0).as_vec();
        assert!(max_gap(&fast, &slow) < 1e-5, "({b}, {h}, {s}, {d}) at offset {offset}");
    }
}

/// ⟨R_m q, R_n k⟩ is the same for every pair (m, n) with the same offset n − m, over
/// 100 offsets and up to 60 starting positions each.
#[test]
fn scores_depend_only_on_the_relative_position() {
    let dev = Dev::seed_from_u64(1);
    let d = 16;
    let q: Vec<f32> = dev.sample_normal_like(&(d,)).as_vec();
    let k: Vec<f32> = dev.sample_normal_like(&(d,)).as_vec();
    let at = |v: &[f32], m: usize| apply_rope_slow(v, [1, 1, d], m, 10000.0);
    let score = |m: usize, n: usize| {
        at(&q, m).iter().zip(at(&k, n)).map(|(a, b)| (a * b) as f64).sum::<f64>()
    };
    for offset in 0..100 {
        let first = score(0, offset);
        for m in (1..60).step_by(7) {
            let s = score(m, m + offset);
            assert!(
                approx::abs_diff_eq!(s, first, epsilon = 1e-4),
                "offset {offset}: {s} at m = {m}, {first} at m = 0"
            );
        }
    }
}

#[test]
fn rotation_keeps_the_norm_and_position_zero_is_the_identity() {
    let dev = Dev::seed_from_u64(2);
    let x: Tensor<(usize, usize, usize, usize), f32, Dev> = dev.sample_normal_like(&(1, 2, 6, 8));
    let xs = x.as_vec();
    let y = apply_rope(x, 0, 10000.0).as_vec();
    assert_eq!(&y[..8], &xs[..8], "position 0 must not move");
    for (a, b) in xs.chunks(2).zip(y.chunks(2)) {
        let (na, nb) = (a[0].hypot(a[1]), b[0].hypot(b[1]));
        assert!(
            approx::abs_diff_eq!(na, nb, epsilon = 1e-5),
            "a rotation keeps each pair's length"
        );
    }
}

#[test]
fn the_frequencies_follow_the_paper() {
    let theta = rope_frequencies(8, 10000.0);
    let want = [1.0, 0.1, 0.01, 0.001];
    approx::assert_abs_diff_eq!(theta.as_slice(), want.as_slice(), epsilon = 1e-15);
}

/// The backward pass is the transposed rotation: ∂(Σ R x)/∂x = Rᵀ·1, i.e.
/// (cos a + sin a, cos a − sin a) for each pair rotated by the angle a.
#[test]
fn the_gradient_is_the_transposed_rotation() {
    let dev = Dev::seed_from_u64(3);
    let (s, d, offset) = (3, 4, 2);
    let x: Tensor<(usize, usize, usize, usize), f32, Dev> = dev.sample_normal_like(&(1, 1, s, d));
    let grads = apply_rope(x.trace(Gradients::leaky()), offset, 10000.0).sum().backward();
    let g = grads.get(&x).as_vec();
    let theta = rope_frequencies(d, 10000.0);
    for pos in 0..s {
        for (i, t) in theta.iter().enumerate() {
            let a = (offset + pos) as f64 * t;
            let want = [a.cos() + a.sin(), a.cos() - a.sin()];
            let got = [g[pos * d + 2 * i] as f64, g[pos * d + 2 * i + 1] as f64];
            approx::assert_abs_diff_eq!(got[0], want[0], epsilon = 1e-5);
            approx::assert_abs_diff_eq!(got[1], want[1], epsilon = 1e-5);
        }
    }
}
