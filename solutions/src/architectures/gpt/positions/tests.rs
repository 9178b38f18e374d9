use super::*;
use crate::architectures::gpt::{Gpt, GptConfig};
use crate::architectures::param_count::gpt_param_count;
use crate::close::{assert_close, Tol};
use crate::foundations::alibi::alibi_slopes;
use crate::foundations::rope::apply_rope_slow;
use crate::training::named_params::named_params;

fn cfg(positions: Positions) -> GptConfig {
    GptConfig { vocab: 11, context: 8, d_model: 12, heads: 3, layers: 2, positions }
}

/// ALiBi attention written out for one (batch, head) at a time, in f64: scores
/// q·k/√D − m_h (i − j) for j ≤ i, a softmax over j, then the weighted sum of values.
fn alibi_attention_slow(q: &[f32], k: &[f32], v: &[f32], [b, h, t, d]: [usize; 4]) -> Vec<f32> {
    let slopes = alibi_slopes(h);
    let mut out = vec![0.0; q.len()];
    for bh in 0..b * h {
        let m = slopes[bh % h] as f64;
        let at = |x: &[f32], i: usize, f: usize| x[(bh * t + i) * d + f] as f64;
        for i in 0..t {
            let scores: Vec<f64> = (0..=i)
                .map(|j| {
                    let dot: f64 = (0..d).map(|f| at(q, i, f) * at(k, j, f)).sum();
                    dot / (d as f64).sqrt() - m * (i - j) as f64
                })
                .collect();
            let top = scores.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let e: Vec<f64> = scores.iter().map(|s| (s - top).exp()).collect();
            let z: f64 = e.iter().sum();
            for f in 0..d {
                let y: f64 = (0..=i).map(|j| e[j] / z * at(v, j, f)).sum();
                out[(bh * t + i) * d + f] = y as f32;
            }
        }
    }
    out
}

#[test]
fn alibi_attention_equals_the_formula_written_out() {
    let dev = Dev::seed_from_u64(0);
    let shape = (2usize, 3usize, 5usize, 4usize);
    let (q, k, v) = (
        dev.sample_normal_like(&shape),
        dev.sample_normal_like(&shape),
        dev.sample_normal_like(&shape),
    );
    let mask = crate::foundations::self_attention::causal_mask(&dev, 2, 5);
    let got = alibi_attention(q.clone(), k.clone(), v.clone(), &mask).as_vec();
    let want = alibi_attention_slow(&q.as_vec(), &k.as_vec(), &v.as_vec(), [2, 3, 5, 4]);
    assert_close("ALiBi attention (B 2, H 3, T 5, D 4)", &got, &want, Tol::abs(1e-5));
}

#[test]
fn rope_rotates_q_and_k_and_nothing_else_does() {
    let dev = Dev::seed_from_u64(1);
    let shape = (1usize, 2usize, 6usize, 4usize);
    let (q, k) = (dev.sample_normal_like(&shape), dev.sample_normal_like(&shape));
    let [rq, rk] = rotate_qk(Positions::Rope, q.clone(), k.clone());
    let slow = |x: &Tensor<_, f32, Dev>| apply_rope_slow(&x.as_vec(), [2, 6, 4], 0, ROPE_BASE);
    assert_close("RoPE on q", &rq.as_vec(), &slow(&q), Tol::abs(1e-5));
    assert_close("RoPE on k", &rk.as_vec(), &slow(&k), Tol::abs(1e-5));
    for p in [Positions::Learned, Positions::Alibi] {
        let [q2, k2] = rotate_qk(p, q.clone(), k.clone());
        assert_eq!((q2.as_vec(), k2.as_vec()), (q.as_vec(), k.as_vec()), "{p:?} rotated q or k");
    }
}

#[test]
fn only_learned_positions_have_a_table_and_the_formula_counts_each_scheme() {
    let dev = Dev::seed_from_u64(2);
    for p in Positions::ALL {
        let model = Gpt::new(&dev, cfg(p));
        let names: Vec<String> = named_params(&model).into_iter().map(|p| p.name).collect();
        let has_table = names.iter().any(|n| n == "transformer.wpe.weight");
        assert_eq!(has_table, p == Positions::Learned, "{p:?}: {names:?}");
        assert_eq!(
            model.num_trainable_params() as u64,
            gpt_param_count(cfg(p).dims()),
            "{p:?}: the formula and the dfdx model disagree"
        );
    }
    // The table is all that differs: context × width parameters.
    let count = |p| gpt_param_count(cfg(p).dims());
    assert_eq!(count(Positions::Learned) - count(Positions::Rope), 8 * 12);
    assert_eq!(count(Positions::Rope), count(Positions::Alibi));
}

#[test]
fn every_scheme_saves_and_loads_its_own_tensors() {
    for p in Positions::ALL {
        let model = Gpt::new(&Dev::seed_from_u64(3), cfg(p));
        let file = std::env::temp_dir().join(format!(
            "gpt_{}_{}.safetensors",
            p.name(),
            std::process::id()
        ));
        model.save_safetensors(&file).unwrap();
        let mut other = Gpt::new(&Dev::seed_from_u64(4), cfg(p));
        other.load_safetensors(&file).unwrap();
        std::fs::remove_file(&file).ok();
        let x = Dev::default().tensor_from_vec(vec![1, 2, 3, 4, 5, 6], (2, 3));
        assert_eq!(model.forward(x.clone()).as_vec(), other.forward(x).as_vec(), "{p:?}");
    }
}

#[test]
fn rope_and_alibi_run_past_the_context_and_stay_causal() {
    let dev = Dev::seed_from_u64(5);
    let t = 20; // more than the context of 8
    for p in [Positions::Rope, Positions::Alibi] {
        let model = Gpt::new(&dev, cfg(p));
        let row: Vec<usize> = (0..t).map(|i| (3 * i + 1) % 11).collect();
        let mut changed = row.clone();
        changed[12] = (changed[12] + 1) % 11;
        let run = |r: &Vec<usize>| model.forward(dev.tensor_from_vec(r.clone(), (1, t))).as_vec();
        let (a, b) = (run(&row), run(&changed));
        for pos in 0..t {
            let same = a[pos * 11..(pos + 1) * 11] == b[pos * 11..(pos + 1) * 11];
            assert_eq!(same, pos < 12, "{p:?}: position {pos} after changing token 12");
        }
    }
}

#[test]
#[should_panic(expected = "exceed the 8 learned positions")]
fn learned_positions_stop_at_the_table() {
    let dev = Dev::seed_from_u64(6);
    let model = Gpt::new(&dev, cfg(Positions::Learned));
    model.forward(dev.tensor_from_vec(vec![0; 9], (1, 9)));
}

#[test]
fn configs_name_the_scheme_and_old_configs_are_learned() {
    let rope = serde_json::to_string(&cfg(Positions::Rope)).unwrap();
    assert!(rope.contains("\"positions\":\"rope\""), "{rope}");
    let old = r#"{"vocab": 11, "context": 8, "d_model": 12, "heads": 3, "layers": 2}"#;
    let parsed: GptConfig = serde_json::from_str(old).unwrap();
    assert_eq!(parsed, cfg(Positions::Learned), "a config saved before §3.4");
}

/// The fused attention kernel (learned positions and ALiBi) gives the values and the input
/// gradient of the general path it stands in for, under the model's causal mask.
#[test]
fn the_fused_attention_path_equals_the_general_one_for_every_scheme() {
    use crate::architectures::lm_masks::{additive, causal_mask};
    let dev = Dev::seed_from_u64(8);
    let (b, t, c) = (2, 7, 12);
    for p in [Positions::Learned, Positions::Rope, Positions::Alibi] {
        let model = Gpt::new(&dev, cfg(p));
        let attn = &model.h[0].attn;
        let mask = additive(&dev, &vec![causal_mask(t); b]);
        let x: Tensor<(usize, usize), f32, Dev> = dev.sample_normal_like(&(b * t, c));
        let w: Tensor<(usize, usize), f32, Dev> = dev.sample_normal_like(&(b * t, c));
        let run = |fused: bool| {
            let xt = x.leaky_trace();
            let y = if fused { attn.forward(xt, &mask) } else { attn.forward_reference(xt, &mask) };
            let values = y.retaped::<NoneTape>().as_vec();
            let grads = (y * w.clone()).sum().backward();
            (values, grads.get(&x).as_vec())
        };
        let ((fast, d_fast), (slow, d_slow)) = (run(true), run(false));
        assert_close(&format!("{p:?} attention"), &fast, &slow, Tol::abs(1e-5));
        assert_close(&format!("{p:?} d/dx"), &d_fast, &d_slow, Tol::abs(1e-5));
    }
}
