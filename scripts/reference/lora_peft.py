"""Reference values for §4.5 LoRA, from Hugging Face PEFT's own LoRA layer.

Writes data/reference/lora_peft.json. A one-layer module holding GPT-2's `Conv1D` (weight
(in, out), as our `Conv1D`) named `c_attn` is wrapped by `peft.get_peft_model` with
`LoraConfig(r=4, lora_alpha=8, target_modules=["c_attn"], fan_in_fan_out=True)`, PEFT's
setting for GPT-2. Stored:
- PEFT's initialisation: lora_B all zeros, lora_A within Kaiming-uniform's bound 1/sqrt(k),
  and the wrapped layer's output equal to the base layer's;
- then lora_B set to seeded values (so the update is not zero) and, for a seeded input x
  (N, k) and weight w (N, d): the output, and the gradients of L = sum(out * w) with respect
  to x, lora_A and lora_B;
- the weight after `merge_and_unload()`, (k, d).

Run from the repository root:  python3 scripts/reference/lora_peft.py   (needs torch,
transformers, peft)
"""
import json
import pathlib

import peft
import torch
import transformers
from peft import LoraConfig, get_peft_model
from transformers.pytorch_utils import Conv1D

torch.manual_seed(0)
K, D, R, ALPHA, N = 6, 9, 4, 8.0, 5


class One(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c_attn = Conv1D(D, K)  # nf = out, nx = in; weight (in, out)
        torch.nn.init.normal_(self.c_attn.weight, std=0.3)
        torch.nn.init.normal_(self.c_attn.bias, std=0.1)

    def forward(self, x):
        return self.c_attn(x)


base = One()
x = torch.randn(N, K)
with torch.no_grad():
    base_out = base(x).clone()
cfg = LoraConfig(r=R, lora_alpha=ALPHA, target_modules=["c_attn"], fan_in_fan_out=True,
                 lora_dropout=0.0)
model = get_peft_model(base, cfg)
layer = model.base_model.model.c_attn
a = layer.lora_A["default"].weight  # (r, k)
b = layer.lora_B["default"].weight  # (d, r)
with torch.no_grad():
    init_out = model(x)
init = {
    "b_all_zero": bool((b == 0).all()),
    "a_max_abs": float(a.detach().abs().max()),
    "a_bound": 1.0 / K ** 0.5,
    "output_equals_base": bool(torch.equal(init_out, base_out)),
}
with torch.no_grad():
    b.copy_(torch.randn(D, R) * 0.5)
xg = x.clone().requires_grad_(True)
w = torch.randn(N, D)
out = model(xg)
(out * w).sum().backward()
record = {
    "provenance": f"scripts/reference/lora_peft.py, peft {peft.__version__}, transformers "
                  f"{transformers.__version__}, torch {torch.__version__}, seed 0",
    "tolerance": 1e-5,
    "k": K, "d": D, "r": R, "alpha": ALPHA, "n": N,
    "init": init,
    "base_weight": layer.base_layer.weight.detach().flatten().tolist(),  # (k, d)
    "base_bias": layer.base_layer.bias.detach().tolist(),
    "lora_a": a.detach().flatten().tolist(),
    "lora_b": b.detach().flatten().tolist(),
    "x": x.flatten().tolist(),
    "w": w.flatten().tolist(),
    "output": out.detach().flatten().tolist(),
    "grad_x": xg.grad.flatten().tolist(),
    "grad_a": a.grad.flatten().tolist(),
    "grad_b": b.grad.flatten().tolist(),
}
merged = model.merge_and_unload()
record["merged_weight"] = merged.c_attn.weight.detach().flatten().tolist()
path = pathlib.Path("data/reference/lora_peft.json")
path.write_text(json.dumps(record) + "\n")
print("wrote", path, {k: v for k, v in init.items()})
