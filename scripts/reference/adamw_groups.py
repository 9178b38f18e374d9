"""Reference values for §3.5 AdamW with nanoGPT's two weight-decay groups, from PyTorch.

The optimizer is built exactly as nanoGPT's `GPT.configure_optimizers` (karpathy/nanoGPT,
model.py): every parameter with dim() >= 2 in a group with weight_decay, every other one
in a group with weight_decay 0.0, torch.optim.AdamW over both. The learning rate is set on
both groups before each step, as nanoGPT's training loop does, from its get_lr schedule.

The parameters have the shapes of the tests' tiny bigram model (dfdx names: "0.weight"
embedding (V, C), "1.gamma" / "1.beta" LayerNorm (C), "2.weight" (V, C) / "2.bias" (V)).
The gradients are random and stored, so the test feeds the optimizer the very same ones;
row 3 of the embedding never gets a gradient (a token absent from every batch), so only
the weight decay moves it.

Writes data/reference/adamw_groups.json: the start values, the gradients and learning
rate of each of 10 steps, and every parameter after each step.

Run from the repository root:  python3 scripts/reference/adamw_groups.py   (needs torch)
"""
import json
import math
import pathlib

import torch

torch.manual_seed(1)
V, C, STEPS = 7, 6, 10
BETAS, EPS, WD = (0.9, 0.99), 1e-8, 0.1
SHAPES = {"0.weight": (V, C), "1.gamma": (C,), "1.beta": (C,), "2.weight": (V, C), "2.bias": (V,)}


def get_lr(it, warmup_iters=3, lr_decay_iters=STEPS, learning_rate=1e-2, min_lr=1e-3):
    # nanoGPT's schedule (see lr_schedule.py), short enough to cover warm-up and decay.
    if it < warmup_iters:
        return learning_rate * (it + 1) / (warmup_iters + 1)
    if it > lr_decay_iters:
        return min_lr
    decay_ratio = (it - warmup_iters) / (lr_decay_iters - warmup_iters)
    coeff = 0.5 * (1.0 + math.cos(math.pi * decay_ratio))
    return min_lr + coeff * (learning_rate - min_lr)


params = {name: torch.nn.Parameter(torch.randn(shape)) for name, shape in SHAPES.items()}
start = {name: p.detach().flatten().tolist() for name, p in params.items()}
decay = [p for p in params.values() if p.dim() >= 2]
no_decay = [p for p in params.values() if p.dim() < 2]
groups = [{"params": decay, "weight_decay": WD}, {"params": no_decay, "weight_decay": 0.0}]
opt = torch.optim.AdamW(groups, lr=1e-2, betas=BETAS, eps=EPS, foreach=False)

steps = []
for it in range(STEPS):
    lr = get_lr(it)
    for group in opt.param_groups:
        group["lr"] = lr
    grads = {}
    for i, (name, p) in enumerate(params.items()):
        g = torch.randn(SHAPES[name]) * 10.0 ** (i - 2)  # from 0.01 to 100: Adam is scale-free
        if name == "0.weight":
            g[3] = 0.0
        p.grad = g
        grads[name] = g.flatten().tolist()
    opt.step()
    steps.append({
        "lr": lr,
        "grads": grads,
        "params": {name: p.detach().flatten().tolist() for name, p in params.items()},
    })

ref = {
    "provenance": f"scripts/reference/adamw_groups.py, torch {torch.__version__}, seed 1",
    "tolerance": 1e-5,
    "betas": list(BETAS),
    "eps": EPS,
    "weight_decay": WD,
    "decayed": [n for n, p in params.items() if p.dim() >= 2],
    "shapes": {name: list(shape) for name, shape in SHAPES.items()},
    "start": start,
    "steps": steps,
}
path = pathlib.Path(__file__).resolve().parents[2] / "data/reference/adamw_groups.json"
path.write_text(json.dumps(ref) + "\n")
print(f"wrote {path}")
