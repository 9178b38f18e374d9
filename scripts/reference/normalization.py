"""Reference values for §1.8 normalisation layers, from PyTorch.

Writes data/reference/normalization.json: one input batch (B, C) and the outputs of
nn.LayerNorm, nn.RMSNorm and nn.BatchNorm1d (two training steps, then evaluation),
with random affine parameters, plus BatchNorm's running statistics after the steps.

Run from the repository root:  python3 scripts/reference/normalization.py   (needs torch)
"""
import json
import pathlib

import torch

torch.manual_seed(0)
B, C, EPS = 6, 5, 1e-5
x1 = torch.randn(B, C) * 3 + 1
x2 = torch.randn(B, C) * 0.5 - 2
gamma, beta = torch.randn(C), torch.randn(C)

ln = torch.nn.LayerNorm(C, eps=EPS)
rms = torch.nn.RMSNorm(C, eps=EPS)
bn = torch.nn.BatchNorm1d(C, eps=EPS, momentum=0.1)
with torch.no_grad():
    for m in (ln, bn):
        m.weight.copy_(gamma)
        m.bias.copy_(beta)
    rms.weight.copy_(gamma)
    bn.train()
    bn_train1 = bn(x1)
    bn_train2 = bn(x2)
    bn.eval()
    bn_eval = bn(x1)
    ref = {
        "provenance": f"scripts/reference/normalization.py, torch {torch.__version__}, seed 0",
        "tolerance": 1e-5,
        "shape": [B, C],
        "eps": EPS,
        "momentum": 0.1,
        "x1": x1.flatten().tolist(),
        "x2": x2.flatten().tolist(),
        "gamma": gamma.tolist(),
        "beta": beta.tolist(),
        "layer_norm": ln(x1).flatten().tolist(),
        "rms_norm": rms(x1).flatten().tolist(),
        "bn_train1": bn_train1.flatten().tolist(),
        "bn_train2": bn_train2.flatten().tolist(),
        "bn_running_mean": bn.running_mean.tolist(),
        "bn_running_var": bn.running_var.tolist(),
        "bn_eval": bn_eval.flatten().tolist(),
    }
path = pathlib.Path(__file__).resolve().parents[2] / "data/reference/normalization.json"
path.write_text(json.dumps(ref) + "\n")
print(f"wrote {path}")
