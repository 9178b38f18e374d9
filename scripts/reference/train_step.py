"""Reference values for §3.5's whole training step, from PyTorch: nanoGPT's loop body.

A tiny bigram language model (nn.Embedding(V, C) -> nn.LayerNorm(C) -> nn.Linear(C, V),
the tests' dfdx model with the same names "0.weight", "1.gamma", "1.beta", "2.weight",
"2.bias") is trained for 6 steps exactly as nanoGPT's train.py does it: the learning rate
from get_lr set on both groups, forward, F.cross_entropy over (B*T, V), backward,
torch.nn.utils.clip_grad_norm_(grad_clip), AdamW with nanoGPT's two decay groups
(configure_optimizers), zero_grad. The batches are stored, so the test feeds the same ones.

Writes data/reference/train_step.json: the start weights, each step's batch, learning rate,
loss, gradient norm (before clipping) and the weights after the step.

Run from the repository root:  python3 scripts/reference/train_step.py   (needs torch)
"""
import json
import math
import pathlib

import torch
import torch.nn.functional as F

torch.manual_seed(2)
V, C, B, T, STEPS = 7, 6, 3, 5, 6
WARMUP, MAX_LR, MIN_LR, GRAD_CLIP = 2, 3e-2, 3e-3, 1.0  # clips some steps, not all
BETAS, EPS, WD = (0.9, 0.99), 1e-8, 0.1


def get_lr(it):
    # nanoGPT's schedule (see lr_schedule.py), with lr_decay_iters = STEPS.
    if it < WARMUP:
        return MAX_LR * (it + 1) / (WARMUP + 1)
    if it > STEPS:
        return MIN_LR
    decay_ratio = (it - WARMUP) / (STEPS - WARMUP)
    coeff = 0.5 * (1.0 + math.cos(math.pi * decay_ratio))
    return MIN_LR + coeff * (MAX_LR - MIN_LR)


model = torch.nn.Sequential(torch.nn.Embedding(V, C), torch.nn.LayerNorm(C), torch.nn.Linear(C, V))
with torch.no_grad():  # a non-trivial LayerNorm, so its gradients matter
    model[1].weight.copy_(1.0 + 0.3 * torch.randn(C))
    model[1].bias.copy_(0.1 * torch.randn(C))
# dfdx's names for the same tensors (LayerNorm1D calls weight/bias gamma/beta).
NAMES = {"0.weight": model[0].weight, "1.gamma": model[1].weight, "1.beta": model[1].bias,
         "2.weight": model[2].weight, "2.bias": model[2].bias}
flat = lambda t: t.detach().flatten().tolist()
start = {n: flat(p) for n, p in NAMES.items()}

decay = [p for p in model.parameters() if p.dim() >= 2]
no_decay = [p for p in model.parameters() if p.dim() < 2]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": WD},
                         {"params": no_decay, "weight_decay": 0.0}],
                        lr=MAX_LR, betas=BETAS, eps=EPS, foreach=False)

stream = torch.randint(0, V, (60,))
steps = []
for it in range(STEPS):
    ix = torch.randint(len(stream) - T, (B,))
    x = torch.stack([stream[i:i + T] for i in ix])
    y = torch.stack([stream[i + 1:i + 1 + T] for i in ix])
    lr = get_lr(it)
    for group in opt.param_groups:
        group["lr"] = lr
    logits = model(x)
    loss = F.cross_entropy(logits.view(-1, V), y.view(-1))
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), GRAD_CLIP, foreach=False)
    opt.step()
    opt.zero_grad(set_to_none=True)
    steps.append({"x": x.tolist(), "y": y.tolist(), "lr": lr, "loss": loss.item(),
                  "grad_norm": norm.item(), "params": {n: flat(p) for n, p in NAMES.items()}})

ref = {
    "provenance": f"scripts/reference/train_step.py, torch {torch.__version__}, seed 2",
    "tolerance": 1e-5,
    "warmup": WARMUP, "max_steps": STEPS, "max_lr": MAX_LR, "min_lr": MIN_LR,
    "grad_clip": GRAD_CLIP, "betas": list(BETAS), "eps": EPS, "weight_decay": WD,
    "start": start,
    "steps": steps,
}
path = pathlib.Path(__file__).resolve().parents[2] / "data/reference/train_step.json"
path.write_text(json.dumps(ref) + "\n")
print(f"wrote {path}: losses {[round(s['loss'], 4) for s in steps]}, "
      f"norms {[round(s['grad_norm'], 3) for s in steps]}")
