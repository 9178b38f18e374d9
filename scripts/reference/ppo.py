"""Reference values for §4.8 RLHF with PPO, from TRL's PPO trainer code.

Writes data/reference/ppo.json. TRL 1.16 (installed) no longer ships a PPO trainer; its
last home was `trl/experimental/ppo/ppo_trainer.py` (see TRL_PPO_SOURCE below), where the
formulas are inline in `PPOTrainer.train()` and in three module-level helpers. This script
restates that code line for line in PyTorch (float64), on seeded inputs without padding
(no stop token, so every completion has its full length and TRL's masks are all ones):

- the helpers `masked_mean`, `masked_var(unbiased=True)`, `masked_whiten` (copied);
- step 4, "compute rewards": `logr = ref_logprobs - logprobs`, `kl = -logr` (k1, the
  default `kl_estimator`), `non_score_reward = -kl_coef * kl`, the score added at
  `actual_end`, which without padding is the last token;
- step 6, "compute advantages and returns": the reversed GAE loop with `nextvalues = 0`
  after the last token, `returns = advantages + values`, then `masked_whiten(advantages)`;
- the losses of one minibatch: `pg_loss` (max of `-A * ratio` and `-A * clamp(ratio)`,
  mean), `vf_loss` (0.5 * mean of the max of the unclipped and `cliprange_value`-clipped
  squared errors), `pg_clipfrac`, and autograd's gradients of both losses with respect to
  the new log-probabilities and the predicted values.

Run from the repository root:  python3 scripts/reference/ppo.py   (needs torch)
"""
import json
import pathlib

import torch

# Where the restated code lives: the file, and the TRL release it was read from.
TRL_PPO_SOURCE = "trl/experimental/ppo/ppo_trainer.py in trl 0.29.1 (PPOTrainer.train)"

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)


# --- TRL's helpers, copied -------------------------------------------------------------
def masked_mean(values, mask, axis=None):
    if axis is not None:
        return (values * mask).sum(axis=axis) / mask.sum(axis=axis)
    return (values * mask).sum() / mask.sum()


def masked_var(values, mask, unbiased=True):
    mean = masked_mean(values, mask)
    centered_values = values - mean
    variance = masked_mean(centered_values**2, mask)
    if unbiased:
        mask_sum = mask.sum()
        bessel_correction = mask_sum / (mask_sum - 1)
        variance = variance * bessel_correction
    return variance


def masked_whiten(values, mask, shift_mean=True):
    mean, var = masked_mean(values, mask), masked_var(values, mask)
    whitened = (values - mean) * torch.rsqrt(var + 1e-8)
    if not shift_mean:
        whitened += mean
    return whitened


# --- steps 4 and 6 of PPOTrainer.train(), restated without padding ----------------------
def rewards_advantages_returns(logprobs, ref_logprobs, scores, values, kl_coef, gamma, lam):
    logr = ref_logprobs - logprobs
    kl = -logr  # kl_estimator == "k1"
    non_score_reward = -kl_coef * kl
    rewards = non_score_reward.clone()
    actual_start = torch.arange(rewards.size(0))
    actual_end = torch.full_like(actual_start, rewards.size(1) - 1)  # no padding: last token
    rewards[actual_start, actual_end] += scores

    lastgaelam = 0
    advantages_reversed = []
    gen_length = logprobs.shape[1]
    for t in reversed(range(gen_length)):
        nextvalues = values[:, t + 1] if t < gen_length - 1 else 0.0
        delta = rewards[:, t] + gamma * nextvalues - values[:, t]
        lastgaelam = delta + gamma * lam * lastgaelam
        advantages_reversed.append(lastgaelam)
    raw = torch.stack(advantages_reversed[::-1], axis=1)
    returns = raw + values
    ones = torch.ones_like(raw)
    advantages = masked_whiten(raw, ones)
    return rewards, raw, advantages, returns


def losses(new_logprobs, mb_logprobs, mb_advantage, vpred, mb_values, mb_return, cliprange,
           cliprange_value):
    ones = torch.ones_like(new_logprobs)
    vpredclipped = torch.clamp(vpred, mb_values - cliprange_value, mb_values + cliprange_value)
    vf_losses1 = torch.square(vpred - mb_return)
    vf_losses2 = torch.square(vpredclipped - mb_return)
    vf_loss_max = torch.max(vf_losses1, vf_losses2)
    vf_loss = 0.5 * masked_mean(vf_loss_max, ones)
    logprobs_diff = new_logprobs - mb_logprobs
    ratio = torch.exp(logprobs_diff)
    pg_losses = -mb_advantage * ratio
    pg_losses2 = -mb_advantage * torch.clamp(ratio, 1.0 - cliprange, 1.0 + cliprange)
    pg_loss_max = torch.max(pg_losses, pg_losses2)
    pg_loss = masked_mean(pg_loss_max, ones)
    pg_clipfrac = masked_mean((pg_losses2 > pg_losses).double(), ones)
    return pg_loss, vf_loss, pg_clipfrac


def case(name, b, k, kl_coef, gamma, lam, cliprange, cliprange_value):
    logprobs = -torch.rand(b, k) * 4.0 - 0.05
    ref_logprobs = logprobs + torch.randn(b, k) * 0.5
    scores = torch.randn(b) * 2.0
    values = torch.randn(b, k)
    rewards, raw, advantages, returns = rewards_advantages_returns(
        logprobs, ref_logprobs, scores, values, kl_coef, gamma, lam)
    # A later minibatch pass: the policy and the value head have moved, some tokens beyond
    # the clip ranges (ratios from about e^-0.6 to e^0.6, values up to 0.6 away).
    new_logprobs = (logprobs + torch.randn(b, k) * 0.3).requires_grad_()
    vpred = (values + torch.randn(b, k) * 0.3).requires_grad_()
    pg_loss, vf_loss, clipfrac = losses(new_logprobs, logprobs, advantages, vpred, values,
                                        returns, cliprange, cliprange_value)
    (pg_grad,) = torch.autograd.grad(pg_loss, new_logprobs)
    (vf_grad,) = torch.autograd.grad(vf_loss, vpred)
    flat = lambda x: x.detach().flatten().tolist()
    return {
        "name": name, "B": b, "K": k, "kl_coef": kl_coef, "gamma": gamma, "lam": lam,
        "cliprange": cliprange, "cliprange_value": cliprange_value,
        "logprobs": flat(logprobs), "ref_logprobs": flat(ref_logprobs),
        "scores": flat(scores), "values": flat(values),
        "rewards": flat(rewards), "raw_advantages": flat(raw),
        "advantages": flat(advantages), "returns": flat(returns),
        "new_logprobs": flat(new_logprobs), "vpred": flat(vpred),
        "pg_loss": pg_loss.item(), "vf_loss": vf_loss.item(), "pg_clipfrac": clipfrac.item(),
        "pg_loss_grad": flat(pg_grad), "vf_loss_grad": flat(vf_grad),
    }


cases = [
    case("TRL's defaults: kl_coef 0.05, gamma 1, lam 0.95, clip 0.2 and 0.2", 4, 6, 0.05, 1.0,
         0.95, 0.2, 0.2),
    case("gamma 0.9, lam 0.8, kl_coef 0.2, clip 0.1 and 0.5", 3, 5, 0.2, 0.9, 0.8, 0.1, 0.5),
    case("one-token completions, gamma 0.99, lam 0.5", 8, 1, 0.1, 0.99, 0.5, 0.2, 0.2),
]

ref = {
    "provenance": (f"scripts/reference/ppo.py, restating {TRL_PPO_SOURCE}, "
                   f"torch {torch.__version__} in float64, seed 0"),
    "tolerance": 1e-5,
    "cases": cases,
}
path = pathlib.Path(__file__).resolve().parents[2] / "data/reference/ppo.json"
path.write_text(json.dumps(ref) + "\n")
print(f"wrote {path}")
for c in cases:
    print(c["name"], c["pg_loss"], c["vf_loss"], c["pg_clipfrac"])
