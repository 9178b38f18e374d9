"""Reference values for §3.2 (and chapter 5): a tiny seeded GPT-2 from Hugging Face.

Builds `transformers.GPT2LMHeadModel` from a config (no download): vocab 96, context 64,
width 32, 2 layers, 2 heads, dropout 0, GELU `gelu_new` (tanh), LayerNorm eps 1e-5.
Its weights are Hugging Face's initialisation, then perturbed (every parameter plus
N(0, 0.1)) so that biases and LayerNorm gains are not 0 and 1 and a misplaced one shows.

Writes, in data/reference/:
  gpt2_tiny.safetensors        the weights under Hugging Face's names
                               (transformer.h.0.attn.c_attn.weight, ...). Conv1D weights
                               are (in, out), as Hugging Face stores them. The LM head is
                               tied to transformer.wte.weight, so there is no lm_head.weight.
  gpt2_tiny_grads.safetensors  d loss / d parameter for every parameter, same names
                               (wte's gradient includes the tied LM head's share).
  gpt2_tiny.json               config, versions, seed, the batch of token ids (B=2, T=16),
                               the logits (B, T, V) flattened row-major, the loss
                               (labels = input_ids: Hugging Face shifts them inside, so the
                               loss is the mean cross-entropy of predicting token t+1 from
                               tokens 0..=t over B·(T-1) positions), and, for chapter 5,
                               greedy continuations: `generate(prompt, max_new_tokens=8,
                               do_sample=False)` for each row's first 4 tokens.

Run from the repository root:  python3 scripts/reference/gpt2_tiny.py
(needs `pip install torch transformers safetensors`; learners never need to run it).
"""
import json
import pathlib

import torch
import transformers
from safetensors.torch import save_file
from transformers import GPT2Config, GPT2LMHeadModel

SEED, B, T, PROMPT, NEW = 0, 2, 16, 4, 8
torch.manual_seed(SEED)
config = GPT2Config(
    vocab_size=96,
    n_positions=64,
    n_embd=32,
    n_layer=2,
    n_head=2,
    activation_function="gelu_new",
    resid_pdrop=0.0,
    embd_pdrop=0.0,
    attn_pdrop=0.0,
    layer_norm_epsilon=1e-5,
    bos_token_id=0,
    eos_token_id=0,
    pad_token_id=0,
)
model = GPT2LMHeadModel(config).eval()
with torch.no_grad():
    for p in model.parameters():
        p.add_(0.1 * torch.randn_like(p))
tokens = torch.randint(0, config.vocab_size, (B, T))

out = model(tokens, labels=tokens)
out.loss.backward()
params = dict(model.named_parameters())  # deduplicated: the tied lm_head is not listed
assert "lm_head.weight" not in params
with torch.no_grad():
    greedy = model.generate(
        tokens[:, :PROMPT],
        attention_mask=torch.ones(B, PROMPT, dtype=torch.long),
        max_new_tokens=NEW,
        do_sample=False,
    )

here = pathlib.Path("data/reference")
save_file({n: p.detach().contiguous() for n, p in params.items()}, here / "gpt2_tiny.safetensors")
save_file({n: p.grad.contiguous() for n, p in params.items()}, here / "gpt2_tiny_grads.safetensors")
ref = {
    "provenance": "scripts/reference/gpt2_tiny.py, "
    f"torch {torch.__version__}, transformers {transformers.__version__}, seed {SEED}",
    "config": {
        "vocab": config.vocab_size,
        "context": config.n_positions,
        "d_model": config.n_embd,
        "heads": config.n_head,
        "layers": config.n_layer,
        "layer_norm_eps": config.layer_norm_epsilon,
    },
    "tolerance_logits": 1e-5,
    "tolerance_grads": 1e-4,
    "shape": [B, T, config.vocab_size],
    "tokens": tokens.tolist(),
    "logits": out.logits.detach().flatten().tolist(),
    "loss": out.loss.item(),
    "prompt_len": PROMPT,
    "greedy": greedy.tolist(),
    "num_parameters": model.num_parameters(),
}
(here / "gpt2_tiny.json").write_text(json.dumps(ref) + "\n")
print(f"loss {out.loss.item():.6f}, {model.num_parameters()} parameters, greedy {greedy.tolist()}")
