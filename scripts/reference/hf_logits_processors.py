"""Reference values for chapter 5 (§5.1, §5.3, §5.4): Hugging Face's own logits processors.

Runs `transformers`' classes `TemperatureLogitsWarper`, `TopKLogitsWarper`,
`TopPLogitsWarper`, `RepetitionPenaltyLogitsProcessor` and `NoRepeatNGramLogitsProcessor`
on seeded random logits (float32) and token sequences, plus hand-made edge cases: ties at
the k-th value, cumulative sums that land exactly on 1 - p, negative logits, k or
min_tokens_to_keep beyond the vocabulary, n-gram sizes longer than the sequence.

Writes data/reference/hf_logits_processors.json: a list of cases, each with the processor's
name, its parameters, the input ids (one sequence), the input scores and the output scores
(-inf written as null), a `provenance` string and the `tolerance` the Rust tests use.

Run from the repository root:  python3 scripts/reference/hf_logits_processors.py
(needs `pip install torch transformers`; learners never need to run it).
"""
import json
import math
import pathlib

import torch
import transformers
from transformers.generation.logits_process import (
    NoRepeatNGramLogitsProcessor,
    RepetitionPenaltyLogitsProcessor,
    TemperatureLogitsWarper,
    TopKLogitsWarper,
    TopPLogitsWarper,
)

SEED, V = 0, 12
torch.manual_seed(SEED)
cases = []


def enc(t):
    return [None if math.isinf(x) and x < 0 else x for x in t.tolist()]


def run(name, proc, params, scores, ids):
    scores = torch.tensor([scores], dtype=torch.float32)
    ids_t = torch.tensor([ids], dtype=torch.long)
    out = proc(ids_t, scores.clone())
    cases.append(
        {"processor": name, "params": params, "ids": ids, "scores": enc(scores[0]), "out": enc(out[0])}
    )


def rand_logits(n=V, scale=3.0):
    return (scale * torch.randn(n)).tolist()


def rand_ids(n, v=V):
    return torch.randint(0, v, (n,)).tolist()


# Temperature: random logits at several T, and negative logits.
for t in [0.25, 0.7, 1.0, 1.5, 4.0]:
    run("temperature", TemperatureLogitsWarper(t), {"temperature": t}, rand_logits(), rand_ids(3))

# Top-k: random, ties at the k-th value, k beyond V, min_tokens_to_keep above k.
for k in [1, 3, 5, 11]:
    run("top_k", TopKLogitsWarper(k), {"top_k": k, "min_tokens_to_keep": 1}, rand_logits(), rand_ids(3))
tied = [1.0, 2.0, 2.0, 0.5, 2.0, -1.0, 3.0, 2.0, 0.0, -2.0, 1.0, 2.0]
for k in [2, 3, 4]:
    run("top_k", TopKLogitsWarper(k), {"top_k": k, "min_tokens_to_keep": 1}, tied, [0])
run("top_k", TopKLogitsWarper(20), {"top_k": 20, "min_tokens_to_keep": 1}, rand_logits(), [0])
run("top_k", TopKLogitsWarper(2, min_tokens_to_keep=4), {"top_k": 2, "min_tokens_to_keep": 4},
    rand_logits(), [0])

# Top-p: random at several p, equal logits whose cumulative sums hit 1 - p exactly, ties,
# min_tokens_to_keep, p = 1 and a tiny p.
for p in [0.1, 0.5, 0.8, 0.9, 0.95, 1.0]:
    run("top_p", TopPLogitsWarper(p), {"top_p": p, "min_tokens_to_keep": 1}, rand_logits(), [0])
for p in [0.25, 0.5, 0.75]:
    # Eight equal logits: cumulative sums 0.125, 0.25, ... are exact in float32.
    run("top_p", TopPLogitsWarper(p), {"top_p": p, "min_tokens_to_keep": 1}, [0.5] * 8, [0])
# Four tokens of 1/8 and two of 1/4 (log 2 apart are not exact, so use equal groups):
for p in [0.5, 0.625]:
    run("top_p", TopPLogitsWarper(p), {"top_p": p, "min_tokens_to_keep": 1}, [-1.0] * 4 + [2.0] * 4, [0])
run("top_p", TopPLogitsWarper(0.01, min_tokens_to_keep=3), {"top_p": 0.01, "min_tokens_to_keep": 3},
    rand_logits(), [0])
run("top_p", TopPLogitsWarper(0.3), {"top_p": 0.3, "min_tokens_to_keep": 1}, tied, [0])
run("top_p", TopPLogitsWarper(0.7), {"top_p": 0.7, "min_tokens_to_keep": 1},
    [-x for x in rand_logits()], [0])

# Repetition penalty: random logits of both signs, repeated ids, penalty below 1.
for penalty in [1.2, 1.5, 2.0, 0.8]:
    ids = rand_ids(6)
    run("repetition_penalty", RepetitionPenaltyLogitsProcessor(penalty), {"penalty": penalty},
        rand_logits(), ids)
run("repetition_penalty", RepetitionPenaltyLogitsProcessor(1.3), {"penalty": 1.3},
    [-2.0, -0.5, 0.0, 0.5, 2.0, 1.0, -1.0, 3.0, -3.0, 0.25, -0.25, 4.0], [0, 1, 2, 3, 4, 4, 1, 8, 8])

# No-repeat n-gram: random sequences over a small alphabet (repeats likely), every n.
for n in [1, 2, 3, 4]:
    for length in [0, 1, 2, 5, 12]:
        if length == 0:
            continue
        ids = rand_ids(length, v=4)
        run("no_repeat_ngram", NoRepeatNGramLogitsProcessor(n), {"ngram_size": n}, rand_logits(), ids)
run("no_repeat_ngram", NoRepeatNGramLogitsProcessor(2), {"ngram_size": 2}, rand_logits(),
    [1, 2, 1, 3, 1])
run("no_repeat_ngram", NoRepeatNGramLogitsProcessor(3), {"ngram_size": 3}, rand_logits(),
    [1, 2, 3, 1, 2])

out = {
    "provenance": (
        f"scripts/reference/hf_logits_processors.py, transformers {transformers.__version__}, "
        f"torch {torch.__version__}, seed {SEED}, float32"
    ),
    "tolerance": 1e-6,
    "cases": cases,
}
path = pathlib.Path("data/reference/hf_logits_processors.json")
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {path}: {len(cases)} cases")
