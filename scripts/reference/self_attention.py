"""Reference values for §1.1 multi-head self-attention, from PyTorch.

Writes data/reference/self_attention.json: the inputs, the weights of a
torch.nn.MultiheadAttention (8 wide, 2 heads, with biases), and its outputs and
per-head attention weights without a mask, with the causal mask, and with a key
padding mask. The Rust tests load the same weights into the course's
MultiHeadSelfAttention and compare within the tolerance stored in the file.

Run from the repository root:  python3 scripts/reference/self_attention.py
(needs `pip install torch`; learners never need to run it).
"""
import json
import pathlib

import torch

torch.manual_seed(0)
M, H, B, S = 8, 2, 2, 5
mha = torch.nn.MultiheadAttention(M, H, bias=True, batch_first=True)
# PyTorch initialises the in/out biases to zero; random biases test their placement too.
with torch.no_grad():
    mha.in_proj_bias.normal_()
    mha.out_proj.bias.normal_()
x = torch.randn(B, S, M)

causal = torch.triu(torch.full((S, S), float("-inf")), diagonal=1)
lengths = [5, 3]
key_padding = torch.tensor([[j >= n for j in range(S)] for n in lengths])


def run(**kw):
    with torch.no_grad():
        out, w = mha(x, x, x, need_weights=True, average_attn_weights=False, **kw)
    return out.flatten().tolist(), w.flatten().tolist()


w_in, b_in = mha.in_proj_weight.detach(), mha.in_proj_bias.detach()
flat = lambda t: t.flatten().tolist()  # noqa: E731
out_plain, w_plain = run()
out_causal, w_causal = run(attn_mask=causal)
out_padded, w_padded = run(key_padding_mask=key_padding)
ref = {
    "provenance": f"scripts/reference/self_attention.py, torch {torch.__version__}, seed 0",
    "tolerance": 1e-5,
    "model_dim": M,
    "heads": H,
    "batch": B,
    "seq": S,
    "lengths": lengths,
    "x": flat(x),
    # Linear weights are (out, in) in both PyTorch and dfdx: y = x Wᵀ + b.
    "w_q": flat(w_in[:M]), "b_q": flat(b_in[:M]),
    "w_k": flat(w_in[M:2 * M]), "b_k": flat(b_in[M:2 * M]),
    "w_v": flat(w_in[2 * M:]), "b_v": flat(b_in[2 * M:]),
    "w_o": flat(mha.out_proj.weight.detach()), "b_o": flat(mha.out_proj.bias.detach()),
    "out_plain": out_plain, "weights_plain": w_plain,
    "out_causal": out_causal, "weights_causal": w_causal,
    "out_padded": out_padded, "weights_padded": w_padded,
}
path = pathlib.Path(__file__).resolve().parents[2] / "data/reference/self_attention.json"
path.write_text(json.dumps(ref, indent=1) + "\n")
print(f"wrote {path}")
