"""Reference values for §5.2 and §5.4: Hugging Face `generate()` on the tiny GPT-2 fixture.

Loads the weights that scripts/reference/gpt2_tiny.py wrote (data/reference/
gpt2_tiny.safetensors) into `transformers.GPT2LMHeadModel` and stores, for fixed prompts,
the token ids that `generate()` returns: greedy; beam search with num_beams 2, 3 and 5 and
length_penalty 0, 1 and 2 (and -1), with and without an end token; greedy with a
repetition penalty and with no_repeat_ngram_size; beam search with both.

With an end token, the end token is a token that greedy decoding produces within the
budget (found here), so that hypotheses really finish early.

Writes data/reference/hf_generate.json with `provenance` (script, transformers and torch
versions) and the length convention of the installed version's beam scorer.

Run from the repository root:  python3 scripts/reference/hf_generate.py
(needs `pip install torch transformers safetensors`; learners never need to run it).
"""
import json
import pathlib

import torch
import transformers
from safetensors.torch import load_file
from transformers import GPT2Config, GPT2LMHeadModel

ref = json.loads(pathlib.Path("data/reference/gpt2_tiny.json").read_text())
c = ref["config"]
config = GPT2Config(
    vocab_size=c["vocab"], n_positions=c["context"], n_embd=c["d_model"], n_layer=c["layers"],
    n_head=c["heads"], activation_function="gelu_new", resid_pdrop=0.0, embd_pdrop=0.0,
    attn_pdrop=0.0, layer_norm_epsilon=1e-5,
)
model = GPT2LMHeadModel(config).eval()
state = load_file("data/reference/gpt2_tiny.safetensors")
state["lm_head.weight"] = state["transformer.wte.weight"]
missing, unexpected = model.load_state_dict(state, strict=False)
assert not unexpected and all("attn.bias" in m or "masked_bias" in m for m in missing), missing

PROMPTS = [ref["tokens"][0][:4], ref["tokens"][1][:6]]
NEW = 10


def generate(prompt, eos, **kw):
    # No end token at all: the generation config's eos/pad are cleared.
    model.generation_config.eos_token_id = eos
    model.generation_config.pad_token_id = eos if eos is not None else 0
    model.generation_config.bos_token_id = None
    ids = torch.tensor([prompt])
    with torch.no_grad():
        out = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=NEW,
                             do_sample=False, **kw)
    return out[0, len(prompt):].tolist()


cases = []
for prompt in PROMPTS:
    greedy = generate(prompt, None)
    # An end token that greedy reaches mid-way, so hypotheses can end early.
    eos = greedy[NEW // 2]
    settings = [dict(num_beams=1)]
    for beams in [2, 3, 5]:
        for lp in [0.0, 1.0, 2.0, -1.0]:
            settings.append(dict(num_beams=beams, length_penalty=lp))
    settings += [
        dict(num_beams=1, repetition_penalty=1.5),
        dict(num_beams=1, no_repeat_ngram_size=2),
        dict(num_beams=1, repetition_penalty=1.3, no_repeat_ngram_size=3),
        dict(num_beams=3, length_penalty=2.0, repetition_penalty=1.5),
        dict(num_beams=3, length_penalty=1.0, no_repeat_ngram_size=2),
    ]
    for end in [None, eos]:
        for s in settings:
            kw = dict(s)
            out = generate(prompt, end, **kw)
            cases.append({
                "prompt": prompt,
                "eos": end,
                "num_beams": s.get("num_beams", 1),
                "length_penalty": s.get("length_penalty", 1.0),
                "repetition_penalty": s.get("repetition_penalty", 1.0),
                "no_repeat_ngram_size": s.get("no_repeat_ngram_size", 0),
                "max_new_tokens": NEW,
                "generated": out,
            })

out = {
    "provenance": (
        f"scripts/reference/hf_generate.py, transformers {transformers.__version__}, "
        f"torch {torch.__version__}, weights data/reference/gpt2_tiny.safetensors"
    ),
    "length_convention": (
        "finished score = sum log p / (cur_len + 1 - decoder_prompt_len) ** length_penalty: "
        "generated tokens only, the end token included, the prompt excluded "
        "(GenerationMixin._update_finished_beams)"
    ),
    "cases": cases,
}
path = pathlib.Path("data/reference/hf_generate.json")
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {path}: {len(cases)} cases")
for cs in cases:
    print(cs["eos"], cs["num_beams"], cs["length_penalty"], cs["repetition_penalty"],
          cs["no_repeat_ngram_size"], cs["generated"])
