use super::*;

#[test]
fn equals_hugging_faces_formula() {
    let dev = Dev::seed_from_u64(0);
    let (b, h, s, d) = (2, 3, 7, 8);
    let x: Tensor<(usize, usize, usize, usize), f32, Dev> = dev.sample_normal_like(&(b, h, s, d));
    let fast = apply_rope_half(x.clone(), 5, 10000.0).as_vec();
    let xs = x.as_vec();
    for head in 0..b * h {
        let one = &xs[head * s * d..(head + 1) * s * d];
        let slow = apply_rope_half_slow(one, [s, d], 5, 10000.0);
        for (i, (f, w)) in fast[head * s * d..].iter().zip(&slow).enumerate() {
            assert!((f - w).abs() < 1e-5, "head {head}, element {i}: {f} vs {w}");
        }
    }
}

#[test]
fn scores_are_the_same_in_both_layouts() {
    // q·k after RoPE is unchanged when both q and k are permuted from Meta's layout
    // to Hugging Face's before rotating with the matching convention.
    let dev = Dev::seed_from_u64(1);
    let d = 8;
    let q: Tensor<(usize, usize, usize, usize), f32, Dev> = dev.sample_normal_like(&(1, 1, 4, d));
    let k: Tensor<(usize, usize, usize, usize), f32, Dev> = dev.sample_normal_like(&(1, 1, 4, d));
    // Meta -> HF per head: feature 2i goes to i, feature 2i + 1 to i + D/2.
    let to_hf = |t: &Tensor<(usize, usize, usize, usize), f32, Dev>| {
        let v = t.as_vec();
        let w: Vec<f32> = v
            .chunks(d)
            .flat_map(|row| {
                (0..d).map(move |j| if j < d / 2 { row[2 * j] } else { row[2 * (j - d / 2) + 1] })
            })
            .collect();
        dev.tensor_from_vec(w, (1, 1, 4, d))
    };
    type T4 = Tensor<(usize, usize, usize, usize), f32, Dev>;
    let scores = |q: T4, k: T4| q.matmul(k.permute::<_, Axes4<0, 1, 3, 2>>()).as_vec();
    let meta = scores(apply_rope(q.clone(), 0, 1e4), apply_rope(k.clone(), 0, 1e4));
    let hf = scores(apply_rope_half(to_hf(&q), 0, 1e4), apply_rope_half(to_hf(&k), 0, 1e4));
    for (m, h) in meta.iter().zip(&hf) {
        assert!((m - h).abs() < 1e-5, "score {m} (Meta's layout) vs {h} (Hugging Face's)");
    }
}
