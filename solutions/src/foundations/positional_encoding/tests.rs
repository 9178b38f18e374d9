use super::*;
use crate::foundations::self_attention::MultiHeadSelfAttention;

/// The contrast the page draws: the learned table costs max_len·d parameters and has no
/// row past max_len; the sinusoidal table costs none and extends to any length.
#[test]
fn a_learned_table_has_parameters_and_a_hard_length_limit() {
    let dev = Dev::seed_from_u64(1);
    let table: LearnedPositions<512, 64> = dev.build_module::<builders::Embedding<512, 64>, f32>();
    assert_eq!(table.num_trainable_params(), 512 * 64);
    let rows = learned_positions(&table, 10).unwrap().as_vec();
    assert_eq!(&rows[64..128], &table.weight.as_vec()[64..128], "row s is position s");
    assert!(learned_positions(&table, 513).unwrap_err().contains("has 512"));
    let far = sinusoidal_table(&dev, 4096, 64).as_vec();
    assert!(far.iter().all(|v| v.is_finite() && v.abs() <= 1.0));
}

fn max_gap(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max)
}

/// attention(P·x) = P·attention(x) without positions; with positions added, no longer.
#[test]
fn attention_is_permutation_equivariant_until_positions_are_added() {
    let dev = Dev::seed_from_u64(0);
    let attn = MultiHeadSelfAttention::<16, 4>::new(&dev);
    let x: Tensor<(usize, usize, Const<16>), f32, Dev> = dev.sample_normal_like(&(2, 6, Const));
    let perm = [3, 0, 5, 1, 4, 2];
    let y_of_px = attn.forward(permute_tokens(x.clone(), &perm), None).as_vec();
    let p_of_y = permute_tokens(attn.forward(x.clone(), None), &perm).as_vec();
    assert!(max_gap(&y_of_px, &p_of_y) < 1e-5, "not equivariant");

    let pe = sinusoidal_table(&dev, 6, 16).reshape_like(&(6usize, Const::<16>));
    // Position s gets PE_s, whatever token sits there: (S, M) broadcast over the batch.
    let with_pos = |x: Tensor<(usize, usize, Const<16>), f32, Dev>| {
        let shape = *x.shape();
        x + pe.clone().broadcast_like::<_, Axis<0>>(&shape)
    };
    let y_of_px = attn.forward(with_pos(permute_tokens(x.clone(), &perm)), None).as_vec();
    let p_of_y = permute_tokens(attn.forward(with_pos(x), None), &perm).as_vec();
    assert!(max_gap(&y_of_px, &p_of_y) > 1e-2, "positions did not break the symmetry");
}

/// A causal mask alone already breaks the symmetry: query i sees only keys 0..=i, so
/// attention(P·x) ≠ P·attention(x) even without positional encodings. And a causal layer
/// can read position from content: with a distinct first token followed by n copies of one
/// token, position i averages the first token's value with i copies of the other, a mix
/// that changes with i, while unmasked attention gives every copy the same output. This is
/// why decoders without positional encoding still learn position (Haviv et al. 2022,
/// "Transformer Language Models without Positional Encodings Still Learn Positional
/// Information", arXiv 2203.16634).
#[test]
fn a_causal_mask_breaks_permutation_symmetry_without_positions() {
    let dev = Dev::seed_from_u64(0);
    let attn = MultiHeadSelfAttention::<16, 4>::new(&dev);
    let x: Tensor<(usize, usize, Const<16>), f32, Dev> = dev.sample_normal_like(&(2, 6, Const));
    let perm = [3, 0, 5, 1, 4, 2];
    let mask = crate::foundations::self_attention::causal_mask(&dev, 2, 6);
    let y_of_px = attn.forward(permute_tokens(x.clone(), &perm), Some(&mask)).as_vec();
    let p_of_y = permute_tokens(attn.forward(x.clone(), Some(&mask)), &perm).as_vec();
    let gap = max_gap(&y_of_px, &p_of_y);
    assert!(gap > 1e-2, "causal attention stayed permutation-equivariant: largest gap {gap}");

    // One sequence: a first token b, then five copies of t. (1, 6, 16)
    let b = dev.sample_normal_like(&(Const::<16>,)).as_vec();
    let t = dev.sample_normal_like(&(Const::<16>,)).as_vec();
    let tokens: Vec<f32> = b.iter().chain(t.iter().cycle().take(5 * 16)).copied().collect();
    let x: Tensor<(usize, usize, Const<16>), f32, Dev> = dev.tensor_from_vec(tokens, (1, 6, Const));
    let row = |y: &[f32], i: usize| y[i * 16..(i + 1) * 16].to_vec();
    let unmasked = attn.forward(x.clone(), None).as_vec();
    let causal = attn
        .forward(x, Some(&crate::foundations::self_attention::causal_mask(&dev, 1, 6)))
        .as_vec();
    for i in 1..5 {
        let same = max_gap(&row(&unmasked, i), &row(&unmasked, i + 1));
        assert!(same < 1e-5, "unmasked: copies {i} and {} differ by {same}", i + 1);
        let apart = max_gap(&row(&causal, i), &row(&causal, i + 1));
        assert!(
            apart > 1e-3,
            "causal: copies at positions {i} and {} differ by only {apart}: the mask should \
             let the layer tell them apart",
            i + 1
        );
    }
}

/// PE_p · PE_q = Σᵢ cos((p − q)·ωᵢ): it depends only on the offset p − q.
#[test]
fn the_dot_product_of_two_positions_depends_only_on_their_offset() {
    let (len, d) = (64, 32);
    let pe = sinusoidal_table(&Dev::default(), len, d).as_vec();
    let row = |p: usize| &pe[p * d..(p + 1) * d];
    let dot = |p: usize, q: usize| row(p).iter().zip(row(q)).map(|(a, b)| a * b).sum::<f32>();
    for offset in [0, 1, 5, 17] {
        let want: f64 = (0..d / 2)
            .map(|i| (offset as f64 * 10000f64.powf(-2.0 * i as f64 / d as f64)).cos())
            .sum();
        for p in [0, 9, 40] {
            let got = dot(p + offset, p);
            assert!(
                approx::abs_diff_eq!(got as f64, want, epsilon = 1e-4),
                "offset {offset}, p {p}: {got} vs {want}"
            );
        }
    }
}

/// Moving k positions rotates each (sin, cos) pair by k·ωᵢ, whatever the start p: a
/// fixed linear map, which is why the paper expected relative offsets to be learnable.
#[test]
fn a_shift_is_a_rotation_of_each_pair() {
    let (len, d, k) = (50, 8, 7);
    let pe = sinusoidal_table(&Dev::default(), len, d).as_vec();
    for p in [0, 3, 30] {
        for i in 0..d / 2 {
            let w = (k as f64 * 10000f64.powf(-2.0 * i as f64 / d as f64)) as f32;
            let (s, c) = (pe[p * d + 2 * i], pe[p * d + 2 * i + 1]);
            let (s2, c2) = (pe[(p + k) * d + 2 * i], pe[(p + k) * d + 2 * i + 1]);
            // sin(a + w) = sin a cos w + cos a sin w; cos(a + w) = cos a cos w − sin a sin w.
            approx::assert_abs_diff_eq!(s2, (s * w.cos() + c * w.sin()), epsilon = 1e-5);
            approx::assert_abs_diff_eq!(c2, (c * w.cos() - s * w.sin()), epsilon = 1e-5);
        }
    }
}

/// The permutation stays on the tape and sends each gradient back to the token it came
/// from: with L = Σ y ⊙ W, dL/dx[b, perm[s]] = W[b, s].
#[test]
fn the_gradient_flows_back_to_each_token_s_origin() {
    let dev = Dev::seed_from_u64(3);
    let x: Tensor<(usize, usize, usize), f32, Dev> = dev.sample_normal_like(&(2, 4, 3));
    let w: Tensor<(usize, usize, usize), f32, Dev> = dev.sample_normal_like(&(2, 4, 3));
    let perm = [2, 0, 3, 1];
    let g = (permute_tokens(x.leaky_trace(), &perm) * w.clone()).sum().backward().get(&x).as_vec();
    let w = w.as_vec();
    for (b, (s, &p)) in (0..2).flat_map(|b| perm.iter().enumerate().map(move |sp| (b, sp))) {
        let (to, from) = ((b * 4 + p) * 3, (b * 4 + s) * 3);
        assert_eq!(&g[to..to + 3], &w[from..from + 3], "batch {b}, position {s}");
    }
}
