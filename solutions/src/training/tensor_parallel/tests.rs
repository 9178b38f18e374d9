use super::*;
use crate::architectures::gpt::{GptConfig, LayerNorm};
use crate::architectures::params::{filled, normal, Dyn};
use crate::close::{assert_close, Tol};
use crate::foundations::self_attention::causal_mask;
use crate::training::cluster::{run, DEFAULT_TIMEOUT};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Two sequences of five tokens, width 16, 4 heads: splits over 1, 2 and 4 ranks.
const CONFIG: GptConfig = GptConfig {
    vocab: 11,
    context: 8,
    d_model: 16,
    heads: 4,
    layers: 1,
    positions: Positions::Learned,
};
const B: usize = 2;
const T: usize = 5;

/// The real GPT block, with weights and biases large enough that every term matters:
/// GPT-2's zero biases would hide a bias added on every rank.
fn block(seed: u64) -> Block {
    let dev = Dev::seed_from_u64(seed);
    let mut block = Block::new(&dev, &CONFIG);
    let random = |conv: &mut Conv1D| {
        let (i, o) = (conv.weight.shape().0 .0, conv.weight.shape().1 .0);
        conv.weight = normal(&dev, i, o, 0.3);
        conv.bias = dev.sample_normal_like(conv.bias.shape()) * 0.5;
    };
    random(&mut block.attn.c_attn);
    random(&mut block.attn.c_proj);
    random(&mut block.mlp.c_fc);
    random(&mut block.mlp.c_proj);
    let gain = |ln: &mut LayerNorm| {
        ln.weight =
            filled(&dev, CONFIG.d_model, 1.0) + dev.sample_normal_like(ln.weight.shape()) * 0.2;
        ln.bias = dev.sample_normal_like(ln.bias.shape()) * 0.2;
    };
    gain(&mut block.ln_1);
    gain(&mut block.ln_2);
    block
}

fn values(seed: u64, len: usize) -> Vec<f32> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..len).map(|_| rng.gen_range(-1.0..1.0)).collect()
}

/// The unsplit block of `gpt/parts.rs`, on one process: output, input gradient and every
/// parameter's gradient for the upstream gradient dy.
fn reference(block: &Block, x: &[f32], dy: &[f32]) -> (Vec<f32>, Vec<f32>, Vec<Vec<f32>>) {
    let dev = Dev::default();
    let c = CONFIG.d_model;
    let x = dev.tensor_from_vec(x.to_vec(), (B * T, c));
    let out = block.forward(x.leaky_trace(), &causal_mask(&dev, B, T));
    let (out_v, dyt) = (out.as_vec(), dev.tensor_from_vec(dy.to_vec(), (B * T, c)));
    let g = (out * dyt).sum::<Rank0, _>().backward();
    let (a, m) = (&block.attn, &block.mlp);
    let grads = vec![
        g.get(&block.ln_1.weight).as_vec(),
        g.get(&block.ln_1.bias).as_vec(),
        g.get(&a.c_attn.weight).as_vec(),
        g.get(&a.c_attn.bias).as_vec(),
        g.get(&a.c_proj.weight).as_vec(),
        g.get(&a.c_proj.bias).as_vec(),
        g.get(&block.ln_2.weight).as_vec(),
        g.get(&block.ln_2.bias).as_vec(),
        g.get(&m.c_fc.weight).as_vec(),
        g.get(&m.c_fc.bias).as_vec(),
        g.get(&m.c_proj.weight).as_vec(),
        g.get(&m.c_proj.bias).as_vec(),
    ];
    (out_v, g.get(&x).as_vec(), grads)
}

/// The block on `n` ranks: each rank's pass.
fn parallel(block: &Block, x: &[f32], dy: &[f32], n: usize) -> Vec<BlockPass> {
    run(n, DEFAULT_TIMEOUT, |c| {
        parallel_block(c, block, x, dy, &causal_mask(&Dev::default(), B, T))
    })
    .unwrap()
    .into_iter()
    .map(|(pass, _)| pass)
    .collect()
}

/// Split weights, reassembled: each rank's gradient is zero outside its own block, so the
/// sum over ranks is the whole gradient. The replicated parameters (LayerNorms, the bias
/// of each row-parallel layer) have the whole gradient on every rank.
fn is_split(name: &str) -> bool {
    ["c_attn.weight", "c_attn.bias", "c_fc.weight", "c_fc.bias", "c_proj.weight"]
        .iter()
        .any(|s| name.ends_with(s))
}

#[test]
fn forward_and_backward_equal_the_unsplit_block() {
    let block = block(3);
    let (x, dy) = (values(1, B * T * CONFIG.d_model), values(2, B * T * CONFIG.d_model));
    let (out, dx, grads) = reference(&block, &x, &dy);
    for n in [1, 2, 4] {
        let passes = parallel(&block, &x, &dy, n);
        for (rank, p) in passes.iter().enumerate() {
            let at = |what: &str| format!("N = {n}, rank {rank}: {what}");
            assert_close(&at("block output"), &p.out, &out, Tol::abs(1e-5));
            assert_close(&at("gradient of the input"), &p.dx, &dx, Tol::abs(1e-5));
        }
        for (i, name) in BLOCK_PARAMS.iter().enumerate() {
            if is_split(name) {
                let mut sum = vec![0.0; grads[i].len()];
                for p in &passes {
                    sum.iter_mut().zip(&p.grads[i]).for_each(|(s, g)| *s += g);
                }
                assert_close(
                    &format!("N = {n}: {name}, reassembled"),
                    &sum,
                    &grads[i],
                    Tol::abs(1e-5),
                );
            } else {
                for (rank, p) in passes.iter().enumerate() {
                    let what = format!("N = {n}, rank {rank}: {name}, replicated");
                    assert_close(&what, &p.grads[i], &grads[i], Tol::abs(1e-5));
                }
            }
        }
    }
}

/// Each rank touches only its own block of a split weight: rank r's gradient of `c_fc`
/// (C, 4C) is zero outside columns shard(4C, N, r).
#[test]
fn each_rank_touches_only_its_own_columns() {
    let block = block(4);
    let (x, dy) = (values(5, B * T * CONFIG.d_model), values(6, B * T * CONFIG.d_model));
    let h = 4 * CONFIG.d_model;
    for (rank, p) in parallel(&block, &x, &dy, 4).iter().enumerate() {
        let fc = &p.grads[8]; // mlp.c_fc.weight, (C, 4C)
        let own = shard(h, 4, rank);
        let outside = (0..fc.len()).filter(|i| !own.contains(&(i % h)) && fc[*i] != 0.0).count();
        assert_eq!(outside, 0, "rank {rank} wrote gradients outside its columns {own:?}");
        assert!((0..fc.len()).any(|i| own.contains(&(i % h)) && fc[i] != 0.0), "rank {rank}");
    }
}

/// Megatron's count, measured by the cluster's counters: a ring all-reduce sends 2(N − 1)
/// messages per rank, so messages / (2(N − 1)) all-reduces ran: 2 forward (g after
/// attention and after the MLP), 2 backward (f before each). Each carried one (B, T, C)
/// activation: 2(N − 1)/N · B·T·C·4 bytes per rank, 640 B at N = 2 and 960 B at N = 4.
#[test]
fn two_all_reduces_forward_and_two_backward_per_block() {
    let block = block(7);
    let (x, dy) = (values(8, B * T * CONFIG.d_model), values(9, B * T * CONFIG.d_model));
    let s = activation_bytes(B, T, CONFIG.d_model);
    assert_eq!(s, 640);
    for (n, per_all_reduce) in [(2, 640.0), (4, 960.0)] {
        assert_eq!(tp_bytes_per_all_reduce(B, T, CONFIG.d_model, n), per_all_reduce);
        for (rank, p) in parallel(&block, &x, &dy, n).iter().enumerate() {
            let fwd = p.after_forward.messages_sent / (2 * (n - 1));
            let all = p.after_backward.messages_sent / (2 * (n - 1));
            assert_eq!(p.after_forward.messages_sent % (2 * (n - 1)), 0, "whole all-reduces");
            assert_eq!((fwd, all - fwd), (2, 2), "N = {n}, rank {rank}: (forward, backward)");
            assert_eq!(all, ALL_REDUCES_PER_BLOCK);
            let bytes = p.after_backward.bytes_sent as f64 / all as f64;
            assert_eq!(bytes, per_all_reduce, "N = {n}, rank {rank}: bytes per all-reduce");
            println!("N = {n}, rank {rank}: {all} all-reduces, {bytes} B sent per all-reduce");
        }
    }
}

/// Against §4.4: a pipeline boundary sends the (B, T, d) activation once per micro-batch
/// forward (and its gradient once backward), B·T·d·4 bytes; one tensor-parallel all-reduce
/// sends 2(N − 1)/N of that per rank, so 1× at N = 2, 1.5× at N = 4, and a block runs four
/// of them: per block 4 · 2(N − 1)/N = 2× (N = 2) and 3× (N = 4) a boundary's fwd + bwd.
#[test]
fn tensor_parallel_bytes_against_a_pipeline_boundary() {
    // GPT-2 small, micro-batch 8 × 1024 tokens: 25.2 MB per boundary.
    assert_eq!(activation_bytes(8, 1024, 768), 25_165_824);
    for (n, per_all_reduce, per_block) in [(2, 1.0, 2.0), (4, 1.5, 3.0), (8, 1.75, 3.5)] {
        let ratio =
            tp_bytes_per_all_reduce(8, 1024, 768, n) / activation_bytes(8, 1024, 768) as f64;
        assert_eq!(ratio, per_all_reduce, "N = {n}");
        let block = ALL_REDUCES_PER_BLOCK as f64 * ratio / 2.0;
        assert_eq!(block, per_block, "N = {n}: a block's traffic / a boundary's fwd + bwd");
    }
}

#[test]
fn the_worked_examples() {
    let out = run(2, DEFAULT_TIMEOUT, |c| {
        let dev = Dev::default();
        let layer = |w: Vec<f32>, i, o, b: Vec<f32>| Conv1D {
            weight: dev.tensor_from_vec(w, (Dyn(i), Dyn(o))),
            bias: dev.tensor_from_vec(b, (Dyn(o),)),
        };
        let a = layer((1..=8).map(|v| v as f32).collect(), 2, 4, vec![0.5, 0.0, 0.0, -1.0]);
        let col = column_parallel(c, dev.tensor_from_vec(vec![1.0, 2.0], (1, 2)), &a);
        let b = layer(vec![1.0, 2.0, 3.0, 4.0], 4, 1, vec![10.0]);
        let x_r = if c.rank() == 0 { vec![1.0, 2.0] } else { vec![3.0, 4.0] };
        let row = row_parallel(c, dev.tensor_from_vec(x_r, (1, 2)), &b)?;
        Ok((col.as_vec(), row.as_vec()))
    })
    .unwrap();
    assert_eq!(out[0].0 .0, vec![11.5, 14.0]);
    assert_eq!(out[1].0 .0, vec![17.0, 19.0]);
    assert_eq!(out[0].0 .1, vec![40.0]);
    assert_eq!(out[1].0 .1, vec![40.0]);
}

/// Why A is split by columns: GeLU(x₁A₁ + x₂A₂) differs from GeLU(x₁A₁) + GeLU(x₂A₂) by
/// more than 1 somewhere on random data (entries in (−1, 1)), so a row split of A
/// would need an all-reduce before the GeLU; the column split gives GeLU(xA) exactly.
#[test]
fn gelu_does_not_distribute_over_a_row_split() {
    let (n, d, h) = (10, 16, 64);
    let (x, a) = (values(10, n * d), values(11, d * h));
    for ranks in [2, 4] {
        let err = row_split_gelu_error(&x, &a, d, h, ranks);
        assert!(err > 1.0, "N = {ranks}: GeLU of the sum vs sum of GeLUs differ by only {err}");
        println!("row split of A over {ranks} ranks: GeLU error up to {err:.3}");
    }
    assert_eq!(row_split_gelu_error(&x, &a, d, h, 1), 0.0, "one rank: no split, no error");
    // The column split: each rank's GeLU(x A[:, cols]) is exactly its block of GeLU(xA).
    let dev = Dev::default();
    let layer = Conv1D {
        weight: dev.tensor_from_vec(a.clone(), (Dyn(d), Dyn(h))),
        bias: filled(&dev, h, 0.0),
    };
    let xt = dev.tensor_from_vec(x.clone(), (n, d));
    let whole = gelu_tanh(layer.forward_reference(xt.clone())).as_vec();
    for ranks in [2, 4] {
        let blocks = run(ranks, DEFAULT_TIMEOUT, |c| {
            Ok(gelu_tanh(column_parallel(c, xt.clone(), &layer)).as_vec())
        })
        .unwrap();
        let joined: Vec<f32> = (0..n)
            .flat_map(|i| {
                blocks.iter().flat_map(move |(b, _)| b[i * h / ranks..(i + 1) * h / ranks].to_vec())
            })
            .collect();
        assert_close(&format!("column split, N = {ranks}"), &joined, &whole, Tol::abs(1e-6));
    }
}
