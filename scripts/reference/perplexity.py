"""Reference values for §2.6 perplexity, from PyTorch.

Writes data/reference/perplexity.json: seeded logits (T, V) with a wide spread (one row
shifted by +50, one target far below its row's maximum, to exercise numerical stability),
random targets, the per-token losses of F.cross_entropy(reduction="none"), their mean,
and the perplexity exp(mean).

Run from the repository root:  python3 scripts/reference/perplexity.py   (needs torch)
"""
import json
import math
import pathlib

import torch
import torch.nn.functional as F

torch.manual_seed(0)
T, V = 12, 17
logits = torch.randn(T, V) * 3.0
logits[3] += 50.0  # softmax is shift-invariant; a naive exp would still be fine in f32 here
logits[5, 0] = -40.0  # a target whose probability is about e^-45
targets = torch.randint(0, V, (T,))
targets[5] = 0
nll = F.cross_entropy(logits, targets, reduction="none")
loss = F.cross_entropy(logits, targets)
ref = {
    "provenance": f"scripts/reference/perplexity.py, torch {torch.__version__}, seed 0",
    "tolerance": 1e-5,
    "T": T,
    "V": V,
    "logits": logits.flatten().tolist(),
    "targets": targets.tolist(),
    "nll": nll.tolist(),
    "mean_nll": loss.item(),
    "perplexity": math.exp(loss.item()),
}
path = pathlib.Path(__file__).resolve().parents[2] / "data/reference/perplexity.json"
path.write_text(json.dumps(ref) + "\n")
print(f"wrote {path}")
