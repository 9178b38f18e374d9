"""Reference values for §3.3: a tiny seeded Llama from Hugging Face, with grouped-query attention.

Builds `transformers.LlamaForCausalLM` from a config (no download): vocab 96, hidden 32,
2 layers, 4 query heads and 2 key/value heads (head_dim 8, so GQA with groups of 2),
SwiGLU width 64, RMSNorm eps 1e-6, RoPE base 10000, 64 positions, no biases, untied head.
Its weights are Hugging Face's initialisation, then perturbed (every parameter plus
N(0, 0.1)), so that the RMSNorm gains are not all 1.

Subtle: Hugging Face's q_proj and k_proj rows are in the `rotate_half` layout (per head,
the first half of the features pairs with the second half), not Meta's interleaved
layout; see solutions/src/architectures/llama/rope_half.rs.

Writes, in data/reference/:
  llama_tiny.safetensors  the weights under Hugging Face's names
                          (model.layers.0.self_attn.q_proj.weight, ...), nn.Linear
                          weights as (out, in).
  llama_tiny.json         config, versions, seed, a batch of token ids (B=2, T=16), the
                          logits (B, T, V) flattened row-major, and the loss with
                          labels = input_ids (shifted inside, as for GPT-2).

Run from the repository root:  python3 scripts/reference/llama_tiny.py
(needs `pip install torch transformers safetensors`; learners never need to run it).
"""
import json
import pathlib

import torch
import transformers
from safetensors.torch import save_file
from transformers import LlamaConfig, LlamaForCausalLM

SEED, B, T = 0, 2, 16
torch.manual_seed(SEED)
config = LlamaConfig(
    vocab_size=96,
    hidden_size=32,
    intermediate_size=64,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=2,
    max_position_embeddings=64,
    rms_norm_eps=1e-6,
    rope_theta=10000.0,
    tie_word_embeddings=False,
    attention_bias=False,
    mlp_bias=False,
    hidden_act="silu",
)
model = LlamaForCausalLM(config).eval()
with torch.no_grad():
    for p in model.parameters():
        p.add_(0.1 * torch.randn_like(p))
tokens = torch.randint(0, config.vocab_size, (B, T))
with torch.no_grad():
    out = model(tokens, labels=tokens)

here = pathlib.Path("data/reference")
params = {n: p.detach().contiguous() for n, p in model.named_parameters()}
save_file(params, here / "llama_tiny.safetensors")
ref = {
    "provenance": "scripts/reference/llama_tiny.py, "
    f"torch {torch.__version__}, transformers {transformers.__version__}, seed {SEED}",
    "config": {
        "vocab": config.vocab_size,
        "d_model": config.hidden_size,
        "layers": config.num_hidden_layers,
        "heads": config.num_attention_heads,
        "kv_heads": config.num_key_value_heads,
        "d_ff": config.intermediate_size,
        "rms_norm_eps": config.rms_norm_eps,
        "rope_base": 10000.0,
        "context": config.max_position_embeddings,
    },
    "tolerance_logits": 1e-5,
    "shape": [B, T, config.vocab_size],
    "tokens": tokens.tolist(),
    "logits": out.logits.flatten().tolist(),
    "loss": out.loss.item(),
    "num_parameters": model.num_parameters(),
}
(here / "llama_tiny.json").write_text(json.dumps(ref) + "\n")
print(f"loss {out.loss.item():.6f}, {model.num_parameters()} parameters")
