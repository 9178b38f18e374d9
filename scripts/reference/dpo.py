"""Reference values for §4.9 DPO, from TRL's own loss code.

Writes data/reference/dpo.json. TRL 1.16 has no free-standing `dpo_loss` function any more:
the loss, the implicit rewards and the logged metrics are computed inside
`DPOTrainer._compute_loss(model, inputs)`. This script calls that method, unmodified, on a
stand-in trainer (the attributes it reads: beta, loss type, label smoothing, an identity
`accelerator`) and a stand-in model that returns the per-token log-probabilities TRL's fused
LM head would return: log_softmax of seeded logits at each next token, 0 where the label is
-100 (the prompt). Those per-token values are computed here in plain PyTorch from the stored
logits, exactly as TRL's `add_fused_lm_head` defines them (labels shifted by one, masked
positions filled with 0); the reference log-probabilities are precomputed the same way
(`precompute_ref_log_probs=True`).

Cases:
- "sigmoid": TRL's default `loss_type="sigmoid"` (no label smoothing: TRL 1.16's sigmoid loss
  takes none, i.e. label smoothing 0), at beta = 0.1 and beta = 0.5, on random summed
  log-probabilities, and one case from logits (B = 3 pairs, T = 7, V = 6, prompts of 2 to 4
  tokens) that also fixes the summed completion log-probabilities.
- "aot" with one pair per call: TRL 1.16 keeps the conservative-DPO formula with label
  smoothing eps (what its sigmoid loss computed before 1.0) as `loss_type="aot"`, which on a
  single pair (nothing to sort) is -(1-eps) log sigma(beta d) - eps log sigma(-beta d).

Run from the repository root:  python3 scripts/reference/dpo.py   (needs torch, trl)
"""
import json
import pathlib
from collections import defaultdict
from types import SimpleNamespace

import torch
import trl
from trl import DPOTrainer

torch.manual_seed(0)


class Identity:
    device = torch.device("cpu")

    def gather(self, x):
        return x

    def gather_for_metrics(self, x):
        return x


class StandIn:
    """Returns fixed per-token log-probabilities, as TRL's fused LM head would."""

    training = False

    def __init__(self, per_token):
        self.per_token = per_token

    def __call__(self, **kwargs):
        p = self.per_token
        zeros = torch.zeros_like(p)
        return SimpleNamespace(log_probs=p, entropy=zeros, mean_logits=zeros,
                               is_top1=torch.zeros_like(p, dtype=torch.bool))


def per_token_log_probs(logits, input_ids, completion_mask):
    """TRL's fused head: labels = input_ids with -100 on the prompt, shifted by one."""
    labels = input_ids.masked_fill(completion_mask == 0, -100)[:, 1:]
    logp = torch.log_softmax(logits[:, :-1].double(), dim=-1)
    mask = labels != -100
    picked = logp.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    return picked.masked_fill(~mask, 0.0)


def trl_loss(per_token, input_ids, completion_mask, ref_c, ref_r, beta, loss_type, eps):
    model = StandIn(per_token)
    trainer = SimpleNamespace(
        model=model, accelerator=Identity(), aux_loss_enabled=False, ld_alpha=None,
        precompute_ref_logps=True, f_divergence_type="reverse_kl", loss_types=[loss_type],
        loss_weights=[1.0], beta=beta, label_smoothing=eps, use_weighting=False,
        _metrics={"train": defaultdict(list), "eval": defaultdict(list)}, _total_train_tokens=0,
        _tp_size=1,
    )
    inputs = {"input_ids": input_ids, "attention_mask": torch.ones_like(input_ids),
              "completion_mask": completion_mask, "ref_chosen_logps": ref_c,
              "ref_rejected_logps": ref_r}
    loss = DPOTrainer._compute_loss(trainer, model, inputs, return_outputs=False)
    m = trainer._metrics["eval"]
    return {
        "loss": loss.item(),
        "chosen_reward": m["rewards/chosen"][-1],
        "rejected_reward": m["rewards/rejected"][-1],
        "accuracy": m["rewards/accuracies"][-1],
        "margin": m["rewards/margins"][-1],
    }


def from_summed(pc, pr, rc, rr, beta, loss_type="sigmoid", eps=0.0):
    """A case given summed log-probabilities: one completion token per row carries them."""
    b = pc.numel()
    per_token = torch.cat([pc, pr]).double().unsqueeze(1)  # (2B, 1): the whole sum
    input_ids = torch.zeros(2 * b, 2, dtype=torch.long)
    completion_mask = torch.tensor([[0, 1]] * (2 * b))
    return trl_loss(per_token, input_ids, completion_mask, rc.double(),
                    rr.double(), beta, loss_type, eps)


def summed_case(name, b, beta, scale):
    pc, pr, rc, rr = (torch.randn(b) * scale - 3 * scale for _ in range(4))
    out = from_summed(pc, pr, rc, rr, beta)
    return {"name": name, "beta": beta, "label_smoothing": 0.0,
            "policy_chosen": pc.tolist(), "policy_rejected": pr.tolist(),
            "ref_chosen": rc.tolist(), "ref_rejected": rr.tolist(), **out}


cases = [
    summed_case("8 random pairs, beta 0.1", 8, 0.1, 2.0),
    summed_case("8 random pairs, beta 0.5", 8, 0.5, 2.0),
    summed_case("16 pairs with log-ratios up to about 60, beta 0.5", 16, 0.5, 20.0),
]

# Label smoothing: TRL's "aot" loss on one pair at a time, eps = 0.2 and eps = 0 (which
# must equal the sigmoid loss), beta = 0.3.
smoothed = []
for eps in (0.0, 0.2):
    pc, pr, rc, rr = (torch.randn(5) * 2.0 - 6.0 for _ in range(4))
    losses = [from_summed(pc[i:i + 1], pr[i:i + 1], rc[i:i + 1], rr[i:i + 1], 0.3, "aot", eps)
              ["loss"] for i in range(5)]
    smoothed.append({"name": f"5 pairs, beta 0.3, label smoothing {eps}", "beta": 0.3,
                     "label_smoothing": eps, "policy_chosen": pc.tolist(),
                     "policy_rejected": pr.tolist(), "ref_chosen": rc.tolist(),
                     "ref_rejected": rr.tolist(), "loss": sum(losses) / len(losses)})

# From logits: B = 3 pairs, rows of T = 7 tokens, vocabulary 6; chosen rows first.
B, T, V = 3, 7, 6
prompt_lens = [2, 3, 4, 2, 3, 4]  # a pair's two rows share the prompt
input_ids = torch.randint(0, V, (2 * B, T))
for i in range(B):
    input_ids[B + i, :prompt_lens[i]] = input_ids[i, :prompt_lens[i]]
completion_mask = torch.tensor([[1 if j >= p else 0 for j in range(T)] for p in prompt_lens])
policy_logits = torch.randn(2 * B, T, V) * 2.0
ref_logits = policy_logits + torch.randn(2 * B, T, V) * 0.5
policy_tok = per_token_log_probs(policy_logits, input_ids, completion_mask)
ref_sum = per_token_log_probs(ref_logits, input_ids, completion_mask).sum(1)
beta = 0.2
out = trl_loss(policy_tok, input_ids, completion_mask, ref_sum[:B], ref_sum[B:], beta,
               "sigmoid", 0.0)
logits_case = {
    "beta": beta, "B": B, "T": T, "V": V, "tokens": input_ids.tolist(),
    "prompt_lens": prompt_lens, "policy_logits": policy_logits.flatten().tolist(),
    "ref_logits": ref_logits.flatten().tolist(),
    "policy_logps": policy_tok.sum(1).tolist(), "ref_logps": ref_sum.tolist(), **out,
}

ref = {
    "provenance": (f"scripts/reference/dpo.py, trl {trl.__version__} "
                   f"(DPOTrainer._compute_loss, loss_type sigmoid; aot for label smoothing), "
                   f"torch {torch.__version__}, seed 0"),
    "tolerance": 1e-5,
    "sigmoid": cases,
    "label_smoothing": smoothed,
    "from_logits": logits_case,
}
path = pathlib.Path(__file__).resolve().parents[2] / "data/reference/dpo.json"
path.write_text(json.dumps(ref) + "\n")
print(f"wrote {path}")
for c in cases + smoothed:
    print(c["name"], c["loss"])
print("from logits", out)
