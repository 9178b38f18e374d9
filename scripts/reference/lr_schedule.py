"""Reference values for §3.5 learning-rate schedule: nanoGPT's `get_lr`, copied verbatim.

Provenance: karpathy/nanoGPT, train.py, "learning rate decay scheduler (cosine with
warmup)" (the version with `(it + 1) / (warmup_iters + 1)`). The function body below is
that code; only the globals became arguments. Pure Python `math`, no torch needed.

Writes data/reference/lr_schedule.json: for three recipes, the warm-up step by step, a
sweep of the decay, and the steps around lr_decay_iters, each with its learning rate.
The recipes are nanoGPT's CPU benchmark recipe (2000 iterations, warm-up 100,
1e-3 -> 1e-4), config/train_shakespeare_char.py (5000 iterations, warm-up 100,
1e-3 -> 1e-4), and a short one whose warm-up is most of the run.

Run from the repository root:  python3 scripts/reference/lr_schedule.py
"""
import json
import math
import pathlib


def get_lr(it, warmup_iters, lr_decay_iters, learning_rate, min_lr):
    # 1) linear warmup for warmup_iters steps
    if it < warmup_iters:
        return learning_rate * (it + 1) / (warmup_iters + 1)
    # 2) if it > lr_decay_iters, return min learning rate
    if it > lr_decay_iters:
        return min_lr
    # 3) in between, use cosine decay down to min learning rate
    decay_ratio = (it - warmup_iters) / (lr_decay_iters - warmup_iters)
    assert 0 <= decay_ratio <= 1
    coeff = 0.5 * (1.0 + math.cos(math.pi * decay_ratio))  # coeff ranges 0..1
    return min_lr + coeff * (learning_rate - min_lr)


recipes = [
    {"name": "bench_cpu", "warmup": 100, "max_steps": 2000, "max_lr": 1e-3, "min_lr": 1e-4},
    {"name": "shakespeare_char", "warmup": 100, "max_steps": 5000, "max_lr": 1e-3, "min_lr": 1e-4},
    {"name": "long_warmup", "warmup": 7, "max_steps": 10, "max_lr": 6e-4, "min_lr": 6e-5},
]
for r in recipes:
    # Every step of the warm-up and its edge, then a sparse sweep of the decay, then the end.
    w, n = r["warmup"], r["max_steps"]
    steps = sorted(set(range(w + 11)) | set(range(w, n, 37)) | set(range(n - 2, n + 3)))
    r["steps"] = steps
    r["lrs"] = [get_lr(s, r["warmup"], r["max_steps"], r["max_lr"], r["min_lr"]) for s in steps]

ref = {
    "provenance": "scripts/reference/lr_schedule.py: nanoGPT train.py get_lr, copied verbatim",
    "tolerance": 1e-12,
    "recipes": recipes,
}
path = pathlib.Path(__file__).resolve().parents[2] / "data/reference/lr_schedule.json"
path.write_text(json.dumps(ref) + "\n")
print(f"wrote {path}")
