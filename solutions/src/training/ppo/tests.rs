use super::*;
use crate::close::{assert_close, Tol};
use serde::Deserialize;

fn flat(v: &[f32]) -> PerToken {
    Dev::default().tensor_from_vec(v.to_vec(), (v.len(),))
}

#[derive(Deserialize)]
struct Case {
    name: String,
    #[serde(rename = "B")]
    b: usize,
    #[serde(rename = "K")]
    k: usize,
    kl_coef: f32,
    gamma: f32,
    lam: f32,
    cliprange: f32,
    cliprange_value: f32,
    logprobs: Vec<f32>,
    ref_logprobs: Vec<f32>,
    scores: Vec<f32>,
    values: Vec<f32>,
    rewards: Vec<f32>,
    raw_advantages: Vec<f32>,
    advantages: Vec<f32>,
    returns: Vec<f32>,
    new_logprobs: Vec<f32>,
    vpred: Vec<f32>,
    pg_loss: f32,
    vf_loss: f32,
    pg_clipfrac: f64,
    pg_loss_grad: Vec<f32>,
    vf_loss_grad: Vec<f32>,
}

#[derive(Deserialize)]
struct Reference {
    provenance: String,
    tolerance: f32,
    cases: Vec<Case>,
}

fn reference() -> Reference {
    serde_json::from_str(include_str!("../../../../data/reference/ppo.json")).unwrap()
}

/// Row `i` of a (B, K) array stored flat.
fn row(v: &[f32], k: usize, i: usize) -> &[f32] {
    &v[i * k..(i + 1) * k]
}

// ANCHOR: trl_test
#[test]
fn rewards_advantages_returns_and_losses_equal_trls() {
    let r = reference();
    let tol = Tol::abs_rel(r.tolerance);
    for c in &r.cases {
        let what = |x: &str| format!("{}: {x} against TRL's ({})", c.name, r.provenance);
        let (b, k) = (c.b, c.k);
        let rewards: Vec<Vec<f32>> = (0..b)
            .map(|i| {
                let (lp, rl) = (row(&c.logprobs, k, i), row(&c.ref_logprobs, k, i));
                kl_penalized_rewards(lp, rl, c.scores[i], c.kl_coef)
            })
            .collect();
        assert_close(&what("KL-penalised rewards"), &rewards.concat(), &c.rewards, tol);
        let values: Vec<Vec<f32>> = (0..b).map(|i| row(&c.values, k, i).to_vec()).collect();
        let raw: Vec<f32> =
            (0..b).flat_map(|i| gae(&rewards[i], &values[i], c.gamma, c.lam).0).collect();
        assert_close(&what("GAE advantages before whitening"), &raw, &c.raw_advantages, tol);
        let (adv, ret) = advantages_and_returns(&rewards, &values, c.gamma, c.lam);
        assert_close(&what("whitened advantages"), &adv.concat(), &c.advantages, tol);
        assert_close(&what("returns"), &ret.concat(), &c.returns, tol);

        let (new, vpred) = (flat(&c.new_logprobs), flat(&c.vpred));
        let (old, a) = (flat(&c.logprobs), flat(&c.advantages));
        let pg = ppo_clip_loss(new.leaky_trace(), &old, &a, c.cliprange);
        approx::assert_relative_eq!(pg.array(), c.pg_loss, epsilon = r.tolerance);
        let grad = pg.backward().get(&new).as_vec();
        assert_close(&what("∂pg_loss/∂logprobs"), &grad, &c.pg_loss_grad, tol);
        let (old_v, returns) = (flat(&c.values), flat(&c.returns));
        let vf = ppo_value_loss(vpred.leaky_trace(), &old_v, &returns, c.cliprange_value);
        approx::assert_relative_eq!(vf.array(), c.vf_loss, epsilon = r.tolerance);
        let grad = vf.backward().get(&vpred).as_vec();
        assert_close(&what("∂vf_loss/∂values"), &grad, &c.vf_loss_grad, tol);
        let frac = clip_fraction(&c.new_logprobs, &c.logprobs, &c.advantages, c.cliprange);
        assert_eq!(frac, c.pg_clipfrac, "{}", what("pg_clipfrac"));
    }
}
// ANCHOR_END: trl_test

#[test]
fn worked_examples_of_the_doc_comments() {
    let r = kl_penalized_rewards(&[-1.0, -2.0, -0.5], &[-1.5, -1.0, -0.5], 2.0, 0.1);
    assert_close("rewards", &r, &[-0.05, 0.1, 2.0], Tol::abs(1e-6));
    let (a, ret) = gae(&[0.0, 1.0], &[0.5, 0.5], 1.0, 0.5);
    assert_close("advantages", &a, &[0.25, 0.5], Tol::abs(1e-6));
    assert_close("returns", &ret, &[0.75, 1.0], Tol::abs(1e-6));
    let e = std::f32::consts::E;
    let loss = |adv: f32| {
        let x = flat(&[-0.5]);
        let l = ppo_clip_loss(x.leaky_trace(), &flat(&[-1.0]), &flat(&[adv]), 0.2);
        (l.array(), l.backward().get(&x).as_vec()[0])
    };
    let (up, g_up) = loss(2.0);
    approx::assert_abs_diff_eq!(up, -2.4, epsilon = 1e-6);
    assert_eq!(g_up, 0.0, "a clipped term must give no gradient");
    let (down, g_down) = loss(-2.0);
    approx::assert_abs_diff_eq!(down, 2.0 * e.sqrt(), epsilon = 1e-5);
    // d/dlogπ of −A·e^{logπ − logπ_old} is −A·ρ = 2√e.
    approx::assert_abs_diff_eq!(g_down, 2.0 * e.sqrt(), epsilon = 1e-5);
}

#[test]
fn gae_with_lambda_one_is_the_discounted_return_and_with_lambda_zero_the_td_error() {
    // Two limits GAE interpolates between (the paper's eq. 17 and 18).
    let rewards = [0.3f32, -0.2, 0.0, 1.5];
    let values = [0.1f32, 0.4, -0.3, 0.2];
    let gamma = 0.9f32;
    let (a1, ret1) = gae(&rewards, &values, gamma, 1.0);
    let discounted: Vec<f32> = (0..4)
        .map(|t| (t..4).map(|u| gamma.powi((u - t) as i32) * rewards[u]).sum::<f32>())
        .collect();
    assert_close("λ = 1 returns against Σ γ^l r", &ret1, &discounted, Tol::abs(1e-5));
    let want: Vec<f32> = discounted.iter().zip(&values).map(|(g, v)| g - v).collect();
    assert_close("λ = 1 advantages", &a1, &want, Tol::abs(1e-5));
    let (a0, _) = gae(&rewards, &values, gamma, 0.0);
    let td: Vec<f32> = (0..4)
        .map(|t| rewards[t] + gamma * values.get(t + 1).copied().unwrap_or(0.0) - values[t])
        .collect();
    assert_close("λ = 0 advantages against one-step TD errors", &a0, &td, Tol::abs(1e-6));
}

#[test]
fn whitening_gives_mean_zero_and_unbiased_variance_one() {
    let v = [1.0f32, 2.0, 4.0, 7.0, -3.0];
    let w = whiten(&v, true);
    let mean = w.iter().map(|&x| x as f64).sum::<f64>() / 5.0;
    let var = w.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / 4.0;
    approx::assert_abs_diff_eq!(mean, 0.0, epsilon = 1e-6);
    approx::assert_abs_diff_eq!(var, 1.0, epsilon = 1e-5);
    let shifted = whiten(&v, false);
    let back = shifted.iter().map(|&x| x as f64).sum::<f64>() / 5.0;
    approx::assert_abs_diff_eq!(back, 2.2, epsilon = 1e-5);
}

#[test]
fn at_the_first_minibatch_the_losses_are_the_plain_policy_gradient_and_regression() {
    // Policy = the sampling policy (ratio 1) and values = the recorded ones: no clip is
    // active, the policy loss is −mean(A) and its gradient −A/N; the value loss is the
    // plain ½ mean squared error.
    let a = [0.5f32, -1.0, 2.0, 0.25];
    let logprobs = [-1.0f32, -2.0, -0.3, -4.0];
    // Subtle: `old` must be its own tensor; the same id as the traced input would make
    // dfdx write the input's gradient into the constant too.
    let (lp, old) = (flat(&logprobs), flat(&logprobs));
    let loss = ppo_clip_loss(lp.leaky_trace(), &old, &flat(&a), 0.2);
    approx::assert_abs_diff_eq!(loss.array(), -0.4375, epsilon = 1e-6);
    let want: Vec<f32> = a.iter().map(|x| -x / 4.0).collect();
    assert_close("∂/∂logπ at ratio 1", &loss.backward().get(&lp).as_vec(), &want, Tol::abs(1e-6));
    assert_eq!(clip_fraction(&[-1.0, -2.0], &[-1.0, -2.0], &[1.0, -1.0], 0.2), 0.0);
    let v = flat(&[0.0, 1.0]);
    let vf = ppo_value_loss(v.leaky_trace(), &flat(&[0.0, 1.0]), &flat(&[1.0, 3.0]), 0.2);
    approx::assert_abs_diff_eq!(vf.array(), 0.5 * (1.0 + 4.0) / 2.0, epsilon = 1e-6);
}
