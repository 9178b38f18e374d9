#!/usr/bin/env python3
"""§3.5 benchmark peer: nanoGPT's CPU recipe for character-level Shakespeare, in PyTorch.

`cargo course bench train` runs this beside the course's dfdx GPT, on the same text and the
same recipe, and prints the two validation losses and the time per iteration as a ratio.
It is a peer, not a dependency: nothing in the library needs Python.

The model is nanoGPT's `model.py` (Karpathy, MIT licence) reduced to what the recipe uses:
learned token and position embeddings, pre-norm blocks with LayerNorm (with bias), fused
QKV, GELU with the tanh approximation (GPT-2's `gelu_new`, which our GPT uses too; nanoGPT
uses the exact erf form, a difference far below the noise of training), a final LayerNorm
and an LM head tied to the token embedding, GPT-2's initialisation. The training loop is
nanoGPT's `train.py` with its recipe flags:

    python train.py config/train_shakespeare_char.py --device=cpu --compile=False
        --eval_iters=20 --log_interval=1 --block_size=64 --batch_size=12 --n_layer=4
        --n_head=4 --n_embd=128 --max_iters=2000 --lr_decay_iters=2000 --dropout=0.0

Output: one JSON line on stdout (val_loss, seconds_per_iter, peak_rss_mb, ...); progress on
stderr.

With `--blocks` the iterations come in blocks, as the benchmark interleaves the two sides
(so that both see the same phases of a shared machine's speed): each line on stdin is a
number n; the peer trains its next n iterations and answers with one JSON line of their
times and CPU seconds. At the end of its input it evaluates and prints the summary line.
"""

import argparse
import json
import math
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(d)
        self.c_attn = nn.Linear(d, 3 * d)
        self.attn_proj = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d)
        self.c_fc = nn.Linear(d, 4 * d)
        self.mlp_proj = nn.Linear(4 * d, d)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.attn_proj(y.transpose(1, 2).contiguous().view(b, t, c))
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class GPT(nn.Module):
    def __init__(self, vocab, context, d, heads, layers):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(context, d)
        self.h = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)
        self.lm_head.weight = self.wte.weight  # tied
        for name, p in self.named_parameters():
            if p.dim() >= 2:
                # GPT-2: N(0, 0.02), residual projections scaled by 1/sqrt(2·layers).
                std = 0.02 / math.sqrt(2 * layers) if name.endswith("proj.weight") else 0.02
                nn.init.normal_(p, 0.0, std)
            elif name.endswith("bias"):
                nn.init.zeros_(p)

    def forward(self, idx, targets):
        t = idx.shape[1]
        x = self.wte(idx) + self.wpe(torch.arange(t))
        for block in self.h:
            x = block(x)
        logits = self.lm_head(self.ln_f(x))
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def get_lr(it, warmup, decay_iters, lr, min_lr):
    """nanoGPT's `get_lr`: linear warm-up, cosine decay, then the floor."""
    if it < warmup:
        return lr * (it + 1) / (warmup + 1)
    if it > decay_iters:
        return min_lr
    ratio = (it - warmup) / (decay_iters - warmup)
    return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (lr - min_lr)


def peak_rss_mb():
    """This process's peak resident set in MiB: VmHWM from /proc (Linux), else ru_maxrss.

    Subtle: ru_maxrss survives exec, so a peer started by a larger process would report
    its parent's peak; VmHWM belongs to the new address space only."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--corpus", required=True)
    p.add_argument("--iters", type=int, default=2000)
    p.add_argument("--eval-iters", type=int, default=20)
    p.add_argument("--seed", type=int, default=1337)
    p.add_argument("--blocks", action="store_true", help="read block sizes from stdin")
    a = p.parse_args()

    torch.manual_seed(a.seed)
    text = open(a.corpus, encoding="utf-8").read()
    chars = sorted(set(text))
    stoi = {ch: i for i, ch in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    n = int(0.9 * len(data))
    splits = {"train": data[:n], "val": data[n:]}
    block, batch = 64, 12

    def get_batch(split):
        d = splits[split]
        ix = torch.randint(len(d) - block, (batch,))
        return torch.stack([d[i : i + block] for i in ix]), torch.stack([d[i + 1 : i + 1 + block] for i in ix])

    model = GPT(len(chars), block, 128, 4, 4)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
        lr=1e-3,
        betas=(0.9, 0.99),
    )

    @torch.no_grad()
    def evaluate():
        model.eval()
        losses = [model(*get_batch("val")).item() for _ in range(a.eval_iters)]
        model.train()
        return sum(losses) / len(losses)

    times = []

    def train(n):
        """The next n iterations; returns their CPU seconds."""
        cpu_start = time.process_time()
        for it in range(len(times), len(times) + n):
            for g in opt.param_groups:
                g["lr"] = get_lr(it, 100, a.iters, 1e-3, 1e-4)
            start = time.perf_counter()
            x, y = get_batch("train")
            loss = model(x, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            times.append(time.perf_counter() - start)
            if it % 250 == 0:
                print(f"torch iter {it}: loss {loss.item():.4f}", file=sys.stderr)
        return time.process_time() - cpu_start

    if a.blocks:
        cpu = 0.0
        for line in sys.stdin:
            n = int(line)
            block_cpu = train(n)
            cpu += block_cpu
            print(json.dumps({"times": times[-n:], "cpu_seconds": block_cpu}), flush=True)
    else:
        cpu = train(a.iters)
    cpu_per_iter = cpu / max(1, len(times))
    val = evaluate()
    steady = sorted(times[10:]) or times
    print(
        json.dumps(
            {
                "peer": f"torch {torch.__version__}",
                "threads": torch.get_num_threads(),
                "iters": len(times),
                "val_loss": val,
                "seconds_per_iter_mean": sum(times[10:]) / max(1, len(times) - 10),
                "seconds_per_iter_median": steady[len(steady) // 2],
                "cpu_seconds_per_iter": cpu_per_iter,
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    )


if __name__ == "__main__":
    main()
