use super::*;
use crate::architectures::gpt::Positions;
use crate::close::{assert_close, Tol};
use crate::training::ddp::{flat_params, local_gradients, sgd_step};
use crate::training::pipeline::{gpipe_schedule, one_f_one_b_schedule};
use crate::training::test_model::random_batches;

/// Four blocks, so that 2, 3 and 4 stages each get a share (3 stages: 1, 1, 2 blocks).
const CONFIG: GptConfig = GptConfig {
    vocab: 11,
    context: 8,
    d_model: 16,
    heads: 2,
    layers: 4,
    positions: Positions::Learned,
};

fn batches() -> Vec<Batch> {
    random_batches(44, 3, CONFIG.vocab)
}

/// One process with gradient accumulation: the mean of the micro-batches' gradients, then
/// one SGD step per batch.
fn accumulated(batches: &[Batch], micro_batches: usize, lr: f32) -> Vec<f32> {
    let mut model = Gpt::new(&Dev::seed_from_u64(7), CONFIG);
    let mut grads = model.alloc_grads();
    for (x, y) in batches {
        let mut sum = vec![];
        for i in 0..micro_batches {
            let rows = chunk(x.len(), micro_batches, i);
            model.zero_grads(&mut grads);
            let g = local_gradients(&model, &mut grads, (&x[rows.clone()], &y[rows]));
            sum.resize(g.len(), 0.0);
            sum.iter_mut().zip(&g).for_each(|(s, g)| *s += g / micro_batches as f32);
        }
        model.zero_grads(&mut grads);
        sgd_step(&mut model, &mut grads, &sum, lr);
    }
    flat_params(&mut model)
}

/// GPipe and 1F1B on 1 to 4 stages, with 2 and 4 micro-batches, equal one process with
/// gradient accumulation after K = 3 steps, within 1e-5; the tied embedding's two copies
/// stay equal.
#[test]
fn pipelined_training_equals_gradient_accumulation() {
    let (data, lr) = (batches(), 0.5);
    let start = flat_params(&mut Gpt::new(&Dev::seed_from_u64(7), CONFIG));
    for m in [2, 4] {
        let want = accumulated(&data, m, lr);
        let moved = want.iter().zip(&start).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
        assert!(moved > 1e-3, "training barely moved the parameters ({moved})");
        for p in [1, 2, 3, 4] {
            for (name, schedule) in
                [("GPipe", gpipe_schedule as Schedule), ("1F1B", one_f_one_b_schedule)]
            {
                let out = pipeline_train(CONFIG, 7, &data, (p, m), schedule, lr).unwrap();
                let what = format!("{name} on {p} stages, {m} micro-batches, after 3 steps");
                assert_close(&what, &out.params, &want, Tol::abs(1e-5));
                assert_eq!(out.tied_copies_differ_by, 0.0, "{what}: wte copies");
            }
        }
    }
}

/// Without the flush's exchange of wte's gradients, the two copies drift apart: the test
/// above would see it (here: summed gradients on one end only differ from the other).
#[test]
fn the_tied_embedding_gets_gradients_on_both_ends() {
    let data = batches();
    let mut ends = [GptStage::new(CONFIG, 7, 0, 2), GptStage::new(CONFIG, 7, 1, 2)];
    for stage in &mut ends {
        stage.begin_step(&data[0], 1);
    }
    let (act, saved0) = ends[0].forward(0, vec![]);
    let (_, saved1) = ends[1].forward(0, act);
    let grad = ends[1].backward(0, saved1, vec![]);
    ends[0].backward(0, saved0, grad);
    let [a, b] = &mut ends;
    let (ga, gb) = (a.wte_grad().unwrap().clone(), b.wte_grad().unwrap().clone());
    let norm = |g: &[f32]| g.iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!(norm(&ga) > 1e-4 && norm(&gb) > 1e-4, "{} {}", norm(&ga), norm(&gb));
    let diff = ga.iter().zip(&gb).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max);
    assert!(diff > 1e-4, "the input and head gradients of wte should differ ({diff})");
}

/// Only activations and their gradients cross between stages: per step, each boundary
/// carries m · (B/m · T · C) values each way, plus the 8-byte header per message; the ends
/// add wte's gradient exchange.
#[test]
fn stages_send_activations_point_to_point() {
    let (data, m, p) = (batches(), 2, 3);
    let out = pipeline_train(CONFIG, 7, &data, (p, m), one_f_one_b_schedule, 0.1).unwrap();
    let act = 4 * 6 * CONFIG.d_model * 4; // B·T·C f32 per step and direction
    let wte = CONFIG.vocab * CONFIG.d_model * 4;
    for (s, (_, traffic)) in out.stages.iter().enumerate() {
        let sends = (s + 1 < p) as usize + (s > 0) as usize;
        let end = if s == 0 || s + 1 == p { wte } else { 0 };
        let want = 3 * (sends * (act + m * 8) + end);
        assert_eq!(traffic.bytes_sent, want, "stage {s}");
        // Peak activation bytes, counted by the cluster: min(p − s, m) micro-batches of
        // (B/m · T, C) f32 under 1F1B.
        let micro_act = act / m;
        assert_eq!(out.stages[s].0.peak_bytes_held, (p - s).min(m) * micro_act, "stage {s}");
    }
}
