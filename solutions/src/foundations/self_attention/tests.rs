use super::*;
use crate::close::{assert_close, Tol};
use serde::Deserialize;

/// Values from `scripts/reference/self_attention.py` (torch.nn.MultiheadAttention).
#[derive(Deserialize)]
struct Reference {
    provenance: String,
    tolerance: f32,
    batch: usize,
    seq: usize,
    lengths: Vec<usize>,
    x: Vec<f32>,
    w_q: Vec<f32>,
    b_q: Vec<f32>,
    w_k: Vec<f32>,
    b_k: Vec<f32>,
    w_v: Vec<f32>,
    b_v: Vec<f32>,
    w_o: Vec<f32>,
    b_o: Vec<f32>,
    out_plain: Vec<f32>,
    weights_plain: Vec<f32>,
    out_causal: Vec<f32>,
    weights_causal: Vec<f32>,
    out_padded: Vec<f32>,
    weights_padded: Vec<f32>,
}

fn reference() -> Reference {
    serde_json::from_str(include_str!("../../../../data/reference/self_attention.json")).unwrap()
}

fn load(dev: &Dev, w: &[f32], b: &[f32]) -> modules::Linear<8, 8, f32, Dev> {
    modules::Linear {
        weight: dev.tensor_from_vec(w.to_vec(), (Const, Const)),
        bias: dev.tensor_from_vec(b.to_vec(), (Const,)),
    }
}

#[test]
fn matches_pytorch_multihead_attention_with_and_without_masks() {
    let r = reference();
    let dev = Dev::default();
    let attn = MultiHeadSelfAttention::<8, 2> {
        w_q: load(&dev, &r.w_q, &r.b_q),
        w_k: load(&dev, &r.w_k, &r.b_k),
        w_v: load(&dev, &r.w_v, &r.b_v),
        w_o: load(&dev, &r.w_o, &r.b_o),
    };
    let x = dev.tensor_from_vec(r.x.clone(), (r.batch, r.seq, Const::<8>));
    let cases = [
        ("no mask", None, &r.out_plain, &r.weights_plain),
        ("causal", Some(causal_mask(&dev, r.batch, r.seq)), &r.out_causal, &r.weights_causal),
        ("padding", Some(padding_mask(&dev, &r.lengths, r.seq)), &r.out_padded, &r.weights_padded),
    ];
    for (name, mask, out, weights) in cases {
        let what = format!("{name} ({})", r.provenance);
        let y = attn.forward(x.clone(), mask.as_ref());
        assert_close(&format!("output, {what}"), &y.as_vec(), out, Tol::abs(r.tolerance));
        let w = attn.weights(x.clone(), mask.as_ref());
        assert_close(&format!("weights, {what}"), &w.as_vec(), weights, Tol::abs(r.tolerance));
    }
}

#[test]
fn equals_dfdx_multi_head_attention_given_the_same_weights() {
    let dev = Dev::seed_from_u64(3);
    let theirs = dev.build_module::<builders::MultiHeadAttention<16, 4>, f32>();
    let ours = MultiHeadSelfAttention::<16, 4> {
        w_q: theirs.w_q.clone(),
        w_k: theirs.w_k.clone(),
        w_v: theirs.w_v.clone(),
        w_o: theirs.w_o.clone(),
    };
    let x: Tensor<Rank3<3, 7, 16>, f32, Dev> = dev.sample_normal();
    let want = theirs.forward(x.clone());
    let got = ours.forward(x, None);
    assert_close("ours vs dfdx", &got.as_vec(), &want.as_vec(), Tol::abs(1e-6));
}

#[test]
fn merge_heads_inverts_split_heads() {
    let dev = Dev::seed_from_u64(4);
    let x: Tensor<(usize, usize, usize), f32, Dev> = dev.sample_normal_like(&(2, 5, 12));
    for heads in [1, 2, 3, 4, 6, 12] {
        assert_eq!(merge_heads(split_heads(x.clone(), heads)).as_vec(), x.as_vec());
    }
}

#[test]
fn masked_keys_get_exactly_zero_weight_and_rows_sum_to_one() {
    let dev = Dev::seed_from_u64(5);
    let attn = MultiHeadSelfAttention::<8, 2>::new(&dev);
    let x: Tensor<(usize, usize, Const<8>), f32, Dev> = dev.sample_normal_like(&(2, 6, Const));
    let w = attn.weights(x.clone(), Some(&causal_mask(&dev, 2, 6))).as_vec();
    for (r, row) in w.chunks(6).enumerate() {
        let i = r % 6; // the query's position
        assert!(row[i + 1..].iter().all(|&a| a == 0.0), "query {i} sees its future: {row:?}");
        assert!(
            (row.iter().sum::<f32>() - 1.0).abs() < 1e-5,
            "row {r} sums to {}",
            row.iter().sum::<f32>()
        );
    }
    let w = attn.weights(x, Some(&padding_mask(&dev, &[6, 4], 6))).as_vec();
    let second = &w[2 * 36..]; // batch 1, both heads
    assert!(second.chunks(6).all(|row| row[4] == 0.0 && row[5] == 0.0), "padding keys got weight");
}

#[test]
fn gradients_reach_every_projection_and_the_input() {
    let dev = Dev::seed_from_u64(6);
    let attn = MultiHeadSelfAttention::<8, 2>::new(&dev);
    let x: Tensor<Rank3<2, 4, 8>, f32, Dev> = dev.sample_normal();
    let mask = causal_mask(&dev, 2, 4);
    let x_dyn = x.clone().reshape_like(&(2usize, 4usize, Const::<8>));
    let y = attn.forward(x_dyn.trace(Gradients::leaky()), Some(&mask));
    let grads = y.square().mean().backward();
    let norm = |t: &Tensor<Rank2<8, 8>, f32, Dev>| {
        grads.get(t).as_vec().iter().map(|g| g * g).sum::<f32>()
    };
    for (name, w) in
        [("w_q", &attn.w_q), ("w_k", &attn.w_k), ("w_v", &attn.w_v), ("w_o", &attn.w_o)]
    {
        assert!(norm(&w.weight) > 0.0, "no gradient reached {name}");
    }
    assert!(grads.get(&x_dyn).as_vec().iter().any(|&g| g != 0.0), "no gradient reached x");
}
