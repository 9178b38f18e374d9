"""Reference values for §3.5 gradient clipping by global norm, from PyTorch.

Writes data/reference/grad_clip.json: gradients for the five parameter tensors of the
tests' tiny bigram model (dfdx names "0.weight" embedding (V, C), "1.gamma" and "1.beta"
LayerNorm (C), "2.weight" (V, C) and "2.bias" (V) of the LM head), then for two max_norm
values what torch.nn.utils.clip_grad_norm_ returns (the total norm before clipping) and
the gradients it leaves behind. With max_norm 1.0 the gradients are scaled down; with
max_norm 100.0 they are left as they are.

Run from the repository root:  python3 scripts/reference/grad_clip.py   (needs torch)
"""
import json
import pathlib

import torch

torch.manual_seed(0)
V, C = 7, 6
SHAPES = {"0.weight": (V, C), "1.gamma": (C,), "1.beta": (C,), "2.weight": (V, C), "2.bias": (V,)}
grads = {name: torch.randn(shape) * (0.5 + i) for i, (name, shape) in enumerate(SHAPES.items())}

cases = []
for max_norm in (1.0, 100.0):
    params = {name: torch.nn.Parameter(torch.zeros(shape)) for name, shape in SHAPES.items()}
    for name, p in params.items():
        p.grad = grads[name].clone()
    total = torch.nn.utils.clip_grad_norm_(list(params.values()), max_norm, foreach=False)
    cases.append({
        "max_norm": max_norm,
        "total_norm": total.item(),
        "clipped": {name: p.grad.flatten().tolist() for name, p in params.items()},
    })

ref = {
    "provenance": f"scripts/reference/grad_clip.py, torch {torch.__version__}, seed 0",
    "tolerance": 1e-5,
    "shapes": {name: list(shape) for name, shape in SHAPES.items()},
    "grads": {name: g.flatten().tolist() for name, g in grads.items()},
    "cases": cases,
}
path = pathlib.Path(__file__).resolve().parents[2] / "data/reference/grad_clip.json"
path.write_text(json.dumps(ref) + "\n")
print(f"wrote {path}: total norm {cases[0]['total_norm']:.4f}")
