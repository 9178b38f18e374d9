"""Reference values for §1.4 RoPE, from PyTorch, written the way Meta's Llama code does it.

Meta's `apply_rotary_emb` views adjacent feature pairs (x[2i], x[2i+1]) as complex numbers
and multiplies them by exp(i·m·θ_i), with θ_i = base^(-2i/d) (RoFormer, arXiv 2104.09864).
Writes data/reference/rope.json with the input, the offset and the rotated output.

Run from the repository root:  python3 scripts/reference/rope.py   (needs torch)
"""
import json
import pathlib

import torch

torch.manual_seed(0)
B, H, S, D, BASE, OFFSET = 2, 3, 5, 8, 10000.0, 3


def precompute_freqs_cis(dim, end, theta):
    # As in Meta's llama/model.py, but in float64 so that the reference is exact to f32.
    freqs = 1.0 / (theta ** (torch.arange(0, dim, 2, dtype=torch.float64) / dim))
    t = torch.arange(end, dtype=torch.float64)
    return torch.polar(torch.ones(end, dim // 2, dtype=torch.float64), torch.outer(t, freqs))


x = torch.randn(B, H, S, D)
freqs = precompute_freqs_cis(D, OFFSET + S, BASE)[OFFSET:OFFSET + S]  # (S, D/2)
x_c = torch.view_as_complex(x.double().reshape(B, H, S, D // 2, 2))
out = torch.view_as_real(x_c * freqs).reshape(B, H, S, D).float()

ref = {
    "provenance": f"scripts/reference/rope.py, torch {torch.__version__}, seed 0, Meta Llama convention",
    "tolerance": 1e-6,
    "shape": [B, H, S, D],
    "base": BASE,
    "offset": OFFSET,
    "x": x.flatten().tolist(),
    "out": out.flatten().tolist(),
}
path = pathlib.Path(__file__).resolve().parents[2] / "data/reference/rope.json"
path.write_text(json.dumps(ref) + "\n")
print(f"wrote {path}")
