use super::*;
use crate::close::{assert_close, Tol};
use crate::nlp::perplexity::token_log_probs;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Deserialize;

fn per_seq(v: &[f32]) -> PerSeq {
    Dev::default().tensor_from_vec(v.to_vec(), (v.len(),))
}

fn random_log_probs(rng: &mut StdRng, n: usize) -> Vec<f32> {
    (0..n).map(|_| rng.gen_range(-30.0f32..-1.0)).collect()
}

/// The loss of plain values through the taped function.
fn loss_of(pc: &[f32], pr: &[f32], rc: &[f32], rr: &[f32], beta: f32) -> f32 {
    dpo_loss(per_seq(pc), per_seq(pr), &per_seq(rc), &per_seq(rr), beta).array()
}

#[test]
fn the_initial_loss_is_ln_2_whatever_beta() {
    // Policy = reference: every log-ratio is 0 and every pair costs −log σ(0) = ln 2.
    let mut rng = StdRng::seed_from_u64(0);
    for beta in [0.01f32, 0.1, 0.5, 5.0] {
        let (c, r) = (random_log_probs(&mut rng, 9), random_log_probs(&mut rng, 9));
        let loss = loss_of(&c, &r, &c, &r, beta);
        assert!(
            approx::abs_diff_eq!(loss, std::f32::consts::LN_2, epsilon = 1e-6),
            "β = {beta}: the loss at policy = reference is {loss}, not ln 2 = 0.693147"
        );
        let stats = dpo_stats(&c, &r, &c, &r, beta as f64);
        approx::assert_abs_diff_eq!(stats.loss, std::f64::consts::LN_2, epsilon = 1e-12);
        // TRL's accuracy counts r̂_w > r̂_l strictly: ties (all of them here) count as wrong.
        assert_eq!((stats.accuracy, stats.margin), (0.0, 0.0));
    }
}

#[test]
fn hand_worked_pair() {
    // β = 0.1, policy (−1, −3), reference (−2, −2): −log σ(0.2) = ln(1 + e^−0.2).
    let loss = loss_of(&[-1.0], &[-3.0], &[-2.0], &[-2.0], 0.1);
    approx::assert_abs_diff_eq!(loss as f64, (1.0 + (-0.2f64).exp()).ln(), epsilon = 1e-6);
    let s = dpo_stats(&[-1.0], &[-3.0], &[-2.0], &[-2.0], 0.1);
    approx::assert_abs_diff_eq!(s.chosen_reward, 0.1, epsilon = 1e-9);
    approx::assert_abs_diff_eq!(s.rejected_reward, -0.1, epsilon = 1e-9);
    approx::assert_abs_diff_eq!(s.margin, 0.2, epsilon = 1e-9);
    assert_eq!(s.accuracy, 1.0);
}

#[test]
fn far_from_the_reference_the_loss_stays_finite() {
    // β·δ = −500: σ underflows f32, but −log σ(−500) = 500 + ln(1 + e^−500) = 500.
    let loss = loss_of(&[-1000.0], &[0.0], &[0.0], &[0.0], 0.5);
    approx::assert_abs_diff_eq!(loss, 500.0, epsilon = 1e-3);
    approx::assert_abs_diff_eq!(loss_of(&[0.0], &[-1000.0], &[0.0], &[0.0], 0.5), 0.0);
}

#[derive(Deserialize)]
struct Case {
    name: String,
    beta: f32,
    label_smoothing: f32,
    policy_chosen: Vec<f32>,
    policy_rejected: Vec<f32>,
    ref_chosen: Vec<f32>,
    ref_rejected: Vec<f32>,
    loss: f64,
    chosen_reward: Option<f64>,
    rejected_reward: Option<f64>,
    accuracy: Option<f64>,
    margin: Option<f64>,
}

#[derive(Deserialize)]
struct FromLogits {
    beta: f32,
    #[serde(rename = "B")]
    b: usize,
    #[serde(rename = "T")]
    t: usize,
    #[serde(rename = "V")]
    v: usize,
    tokens: Vec<Vec<u32>>,
    prompt_lens: Vec<usize>,
    policy_logits: Vec<f32>,
    ref_logits: Vec<f32>,
    policy_logps: Vec<f32>,
    ref_logps: Vec<f32>,
    loss: f64,
    accuracy: f64,
    margin: f64,
}

#[derive(Deserialize)]
struct Reference {
    provenance: String,
    tolerance: f64,
    sigmoid: Vec<Case>,
    label_smoothing: Vec<Case>,
    from_logits: FromLogits,
}

fn reference() -> Reference {
    serde_json::from_str(include_str!("../../../../data/reference/dpo.json")).unwrap()
}

/// `got` within the stored tolerance of TRL's `want`, absolutely or relatively.
fn assert_trl(what: &str, got: f64, want: f64, r: &Reference) {
    let tol = r.tolerance;
    assert!(
        approx::relative_eq!(got, want, epsilon = tol, max_relative = tol),
        "{what}: ours {got:.8}, TRL's {want:.8} (differ by {:.2e}, tolerance {tol}; {})",
        (got - want).abs(),
        r.provenance
    );
}

#[test]
fn loss_rewards_accuracy_and_margin_equal_trls() {
    let r = reference();
    for c in &r.sigmoid {
        let args = (&c.policy_chosen, &c.policy_rejected, &c.ref_chosen, &c.ref_rejected);
        let loss = loss_of(args.0, args.1, args.2, args.3, c.beta) as f64;
        assert_trl(&format!("{}: loss", c.name), loss, c.loss, &r);
        let s = dpo_stats(args.0, args.1, args.2, args.3, c.beta as f64);
        assert_trl(&format!("{}: loss in f64", c.name), s.loss, c.loss, &r);
        assert_trl(&format!("{}: chosen", c.name), s.chosen_reward, c.chosen_reward.unwrap(), &r);
        let rejected = c.rejected_reward.unwrap();
        assert_trl(&format!("{}: rejected", c.name), s.rejected_reward, rejected, &r);
        assert_trl(&format!("{}: accuracy", c.name), s.accuracy, c.accuracy.unwrap(), &r);
        assert_trl(&format!("{}: margin", c.name), s.margin, c.margin.unwrap(), &r);
    }
}

#[test]
fn label_smoothing_equals_trls_conservative_formula_and_zero_is_plain_dpo() {
    let r = reference();
    assert!(r.label_smoothing.iter().any(|c| c.label_smoothing == 0.0));
    for c in &r.label_smoothing {
        let loss = conservative_dpo_loss(
            per_seq(&c.policy_chosen),
            per_seq(&c.policy_rejected),
            &per_seq(&c.ref_chosen),
            &per_seq(&c.ref_rejected),
            c.beta,
            c.label_smoothing,
        );
        assert_trl(&c.name, loss.array() as f64, c.loss, &r);
        if c.label_smoothing == 0.0 {
            let plain = loss_of(
                &c.policy_chosen,
                &c.policy_rejected,
                &c.ref_chosen,
                &c.ref_rejected,
                c.beta,
            );
            assert_trl(&format!("{}: dpo_loss", c.name), plain as f64, c.loss, &r);
        }
    }
}

#[test]
fn completion_log_probs_from_logits_equal_trls() {
    let r = reference();
    let f = &r.from_logits;
    let dev = Dev::default();
    let shape = (2 * f.b, f.t, f.v);
    let logps = |z: &[f32]| {
        completion_log_probs(dev.tensor_from_vec(z.to_vec(), shape), &f.tokens, &f.prompt_lens)
            .as_vec()
    };
    let (policy, reference) = (logps(&f.policy_logits), logps(&f.ref_logits));
    let tol = Tol::abs_rel(r.tolerance as f32);
    assert_close("policy completion log-probs against TRL's", &policy, &f.policy_logps, tol);
    assert_close("reference completion log-probs against TRL's", &reference, &f.ref_logps, tol);
    let (pc, pr) = policy.split_at(f.b);
    let (rc, rr) = reference.split_at(f.b);
    assert_trl("loss from logits", loss_of(pc, pr, rc, rr, f.beta) as f64, f.loss, &r);
    let s = dpo_stats(pc, pr, rc, rr, f.beta as f64);
    assert_trl("accuracy from logits", s.accuracy, f.accuracy, &r);
    assert_trl("margin from logits", s.margin, f.margin, &r);
}

#[test]
fn completion_log_probs_mask_the_prompt_and_sum_section_2_6s_token_log_probs() {
    // Worked example: all-zero logits, V = 2, row [0, 1, 1], prompt of 2: only ln ½.
    let dev = Dev::default();
    let zeros = dev.tensor_from_vec(vec![0.0f32; 6], (1, 3, 2));
    let got = completion_log_probs(zeros, &[vec![0, 1, 1]], &[2]).as_vec();
    approx::assert_abs_diff_eq!(got[0], 0.5f32.ln(), epsilon = 1e-6);
    // Random rows: the sum of §2.6's per-position log-probabilities from the prompt on.
    let (b, t, v) = (3, 6, 5);
    let logits: Tensor<(usize, usize, usize), f32, Dev> =
        Dev::seed_from_u64(1).sample_normal_like(&(b, t, v));
    let mut rng = StdRng::seed_from_u64(2);
    let tokens: Vec<Vec<u32>> =
        (0..b).map(|_| (0..t).map(|_| rng.gen_range(0..v as u32)).collect()).collect();
    let prompts = [1, 3, 5];
    let got = completion_log_probs(logits.clone(), &tokens, &prompts).as_vec();
    let z = logits.as_vec();
    for row in 0..b {
        let rows = dev.tensor_from_vec(z[row * t * v..(row * t + t - 1) * v].to_vec(), (t - 1, v));
        let targets: Vec<usize> = tokens[row][1..].iter().map(|&i| i as usize).collect();
        let each = token_log_probs(rows, &targets).as_vec();
        let want: f32 = each[prompts[row] - 1..].iter().sum();
        approx::assert_abs_diff_eq!(got[row], want, epsilon = 1e-5);
    }
}

// ANCHOR: gradient_test
#[test]
fn the_gradient_weight_is_beta_sigma_of_the_reward_gap_as_autodiff_says() {
    // dfdx differentiates the mean loss; one pair's own loss has ∂/∂log π_w = −β σ(r̂_l − r̂_w)
    // and ∂/∂log π_l = +β σ(r̂_l − r̂_w), so autodiff's values times B must be exactly these.
    let mut rng = StdRng::seed_from_u64(7);
    for (b, beta) in [(5usize, 0.1f32), (12, 0.5), (3, 2.0)] {
        let pc = random_log_probs(&mut rng, b);
        let pr = random_log_probs(&mut rng, b);
        let rc: Vec<f32> = pc.iter().map(|x| x + rng.gen_range(-4.0..4.0)).collect();
        let rr: Vec<f32> = pr.iter().map(|x| x + rng.gen_range(-4.0..4.0)).collect();
        let (c, r) = (per_seq(&pc), per_seq(&pr));
        let loss = dpo_loss(c.leaky_trace(), r.leaky_trace(), &per_seq(&rc), &per_seq(&rr), beta);
        let grads = loss.backward();
        let scale = |g: Vec<f32>| -> Vec<f32> { g.iter().map(|x| x * b as f32).collect() };
        let (dc, dr) = (scale(grads.get(&c).as_vec()), scale(grads.get(&r).as_vec()));
        let weight = dpo_gradient_weight(&pc, &pr, &rc, &rr, beta as f64);
        let want_c: Vec<f32> = weight.iter().map(|w| (-(beta as f64) * w) as f32).collect();
        let want_r: Vec<f32> = want_c.iter().map(|w| -w).collect();
        let what = format!("B = {b}, β = {beta}: ∂L/∂log π_w against −β σ(r̂_l − r̂_w)");
        assert_close(&what, &dc, &want_c, Tol::abs(1e-6));
        assert_close(&what.replace("π_w", "π_l"), &dr, &want_r, Tol::abs(1e-6));
    }
    // At policy = reference every pair is weighted ½: the gradient is −β/2 per pair.
    let z = [-3.0f32, -7.0];
    approx::assert_abs_diff_eq!(dpo_gradient_weight(&z, &z, &z, &z, 0.1)[1], 0.5);
}
// ANCHOR_END: gradient_test

#[test]
fn conservative_dpo_at_zero_smoothing_is_dpo_and_its_gradient_matches() {
    let mut rng = StdRng::seed_from_u64(3);
    let v: Vec<Vec<f32>> = (0..4).map(|_| random_log_probs(&mut rng, 6)).collect();
    let (c, r) = (per_seq(&v[0]), per_seq(&v[1]));
    let plain = dpo_loss(c.leaky_trace(), r.leaky_trace(), &per_seq(&v[2]), &per_seq(&v[3]), 0.3);
    let cons = conservative_dpo_loss(
        c.leaky_trace(),
        r.leaky_trace(),
        &per_seq(&v[2]),
        &per_seq(&v[3]),
        0.3,
        0.0,
    );
    approx::assert_abs_diff_eq!(plain.array(), cons.array(), epsilon = 1e-6);
    let (g1, g2) = (plain.backward(), cons.backward());
    assert_close("∂/∂log π_w, ε = 0", &g2.get(&c).as_vec(), &g1.get(&c).as_vec(), Tol::abs(1e-6));
}
