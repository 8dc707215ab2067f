"""The Python peers of the JMH figures, at their best: NumPy and PyTorch on OpenBLAS, one thread.

Measures what TrainingStepBenchmark and the model-call benchmark measure, on the same shapes:
  - the 2-layer MLP's training step in NumPy (the reference's: one-hot(12·28) ‖ t → 256 → ReLU → 336, cross-entropy
    over every position, element-wise clipping, Adam), batch 64;
  - the Transformer's training step in PyTorch (d 64, 4 heads, 4 pre-norm layers, RMSNorm, GELU, time MLP; AdamW
    3e-4, weight decay 0.01), batch 64, and its forward pass on 64 rows of 16 (no gradient).

Run from the repository root (needs python3-numpy, python3-torch and libopenblas0-pthread; the build never does):
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/lab/src/main/python/peers.py
With two arguments, "mlp STEPS", "mlp-gather STEPS" or "transformer STEPS", it trains that many steps and exits (a whole run, for
WholeProcessBenchmark).
OpenBLAS chooses its kernels from the processor's model; on a virtual machine that hides it (the KVM Xeon of
2026-12-02, model 207, came up as "Prescott", SSE3 only) give the core yourself, e.g. OPENBLAS_CORETYPE=SkylakeX for
an AVX-512 processor; the script prints the core in use.
"""
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
B, V = 64, 28


def rate(t):
    return 1 - math.cos(((t + 0.008) / 1.008) * math.pi / 2) ** 2


def best_of(fn, seconds=3.0, rounds=5):
    """Calls per second of fn: the best of a few rounds, after a warm-up."""
    for _ in range(20):
        fn()
    best = 0.0
    for _ in range(rounds):
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / rounds:
            fn()
            n += 1
        best = max(best, n / (time.perf_counter() - start))
    return best


def numpy_mlp(gather=False):
    return best_of(numpy_mlp_step(gather))


def numpy_mlp_step(gather=False):
    """One training step; with gather, the first layer as a NumPy user writes it: the rows of W1 the one-hot input
    picks, summed (W1[ids].sum(1)), and their gradients scattered back, not a product with a one-hot."""
    L, H = 12, 256
    rng = np.random.default_rng(1)
    w1 = (rng.standard_normal((L * V + 1, H)) * math.sqrt(2 / (L * V + 1))).astype(np.float32)
    b1 = np.zeros(H, np.float32)
    w2 = (rng.standard_normal((H, L * V)) * math.sqrt(2 / H)).astype(np.float32)
    b2 = np.zeros(L * V, np.float32)
    params = [w1, b1, w2, b2]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    data = rng.integers(0, V - 1, (5000, L))
    step = [0]

    def train_step():
        rows = data[rng.integers(0, len(data), B)]
        k = rng.integers(1, 41)
        noisy = np.where(rng.random(rows.shape) < rate(k / 40), V - 1, rows)
        ids = np.arange(L) * V + noisy
        if gather:
            h = np.maximum(w1[ids].sum(1) + (k / 40) * w1[-1] + b1, 0)
        else:
            x = np.zeros((B, L * V + 1), np.float32)
            x[np.arange(B)[:, None], ids] = 1
            x[:, -1] = k / 40
            h = np.maximum(x @ w1 + b1, 0)
        logits = (h @ w2 + b2).reshape(B, L, V)
        p = np.exp(logits - logits.max(-1, keepdims=True))
        p /= p.sum(-1, keepdims=True)
        p[np.arange(B)[:, None], np.arange(L), rows] -= 1
        d = (p / (B * L)).reshape(B, L * V)
        g2, gb2 = h.T @ d, d.sum(0)
        dh = (d @ w2.T) * (h > 0)
        gb1 = dh.sum(0)
        if gather:
            # the scatter-add of each picked row's gradient: np.bincount, far faster than np.add.at on NumPy < 1.25
            cells = (ids[:, :, None] * H + np.arange(H)).ravel()
            g1 = np.bincount(cells, weights=np.broadcast_to(dh[:, None, :], (B, L, H)).ravel(),
                             minlength=w1.size).astype(np.float32).reshape(w1.shape)
            g1[-1] = (k / 40) * gb1
        else:
            g1 = x.T @ dh
        step[0] += 1
        lr = 5e-4
        for i, g in enumerate([g1, gb1, g2, gb2]):
            g = np.clip(g, -1, 1)
            m[i] = 0.9 * m[i] + 0.1 * g
            v[i] = 0.999 * v[i] + 0.001 * g * g
            mh = m[i] / (1 - 0.9 ** step[0])
            vh = v[i] / (1 - 0.999 ** step[0])
            params[i] -= lr * mh / (np.sqrt(vh) + 1e-8)

    return train_step


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-8):
        super().__init__()
        self.eps = eps
        self.scale = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.scale


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.norm1, self.norm2 = RMSNorm(d), RMSNorm(d)
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.proj = nn.Linear(d, d, bias=False)
        self.fc1 = nn.Linear(d, 4 * d, bias=False)
        self.fc2 = nn.Linear(4 * d, d, bias=False)

    def forward(self, x):
        b, l, d = x.shape
        q, k, v = self.qkv(self.norm1(x)).split(d, dim=-1)
        q, k, v = (t.view(b, l, self.heads, d // self.heads).transpose(1, 2) for t in (q, k, v))
        att = F.softmax(q @ k.transpose(-2, -1) / math.sqrt(d // self.heads), dim=-1) @ v
        x = x + self.proj(att.transpose(1, 2).reshape(b, l, d))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class Transformer(nn.Module):
    def __init__(self, L=16, d=64, heads=4, layers=4):
        super().__init__()
        self.tok = nn.Embedding(V, d)
        self.pos = nn.Embedding(L, d)
        self.time = nn.Sequential(nn.Linear(1, d), nn.GELU(), nn.Linear(d, d))
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.norm = RMSNorm(d)
        self.head = nn.Linear(d, V, bias=False)

    def forward(self, x, t):
        h = self.tok(x) + self.pos.weight[: x.shape[1]] + self.time(t[:, None])[:, None, :]
        for block in self.blocks:
            h = block(h)
        return self.head(self.norm(h))


def torch_transformer():
    train_step, model = torch_transformer_step(with_model=True)
    steps = best_of(train_step)
    x = torch.full((B, 16), V - 1)
    t = torch.ones(B)
    with torch.no_grad():
        calls = best_of(lambda: model(x, t))
    return steps, 1000.0 / calls


def torch_transformer_step(with_model=False):
    torch.manual_seed(1)
    L = 16
    model = Transformer(L)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.01)
    data = torch.randint(0, V - 1, (5000, L))

    def train_step():
        rows = data[torch.randint(0, len(data), (B,))]
        k = int(torch.randint(1, 51, ()))
        noisy = torch.where(torch.rand(rows.shape) < rate(k / 50), V - 1, rows)
        logits = model(noisy, torch.full((B,), k / 50))
        loss = F.cross_entropy(logits.reshape(-1, V), rows.reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    return (train_step, model) if with_model else train_step


def whole_run(kind, steps):
    """A whole training run as a process would do it (WholeProcessBenchmark times the process): STEPS steps."""
    if kind in ("mlp", "mlp-gather"):
        step = numpy_mlp_step(gather=kind == "mlp-gather")
    else:
        step = torch_transformer_step()
    for _ in range(steps):
        step()


if __name__ == "__main__":
    import sys
    if len(sys.argv) == 3:
        whole_run(sys.argv[1], int(sys.argv[2]))
        sys.exit(0)
    core = os.popen("OPENBLAS_VERBOSE=2 %s -c 'import numpy' 2>&1" % "/usr/bin/python3").read().strip()
    print("numpy %s, torch %s, torch threads %d, OpenBLAS %s, OPENBLAS_CORETYPE=%s" % (
        np.__version__, torch.__version__, torch.get_num_threads(), core or "(not verbose)",
        os.environ.get("OPENBLAS_CORETYPE", "(unset)")))
    print("NumPy MLP training step, batch 64, one-hot product: %.0f steps/s" % numpy_mlp())
    print("NumPy MLP training step, batch 64, first layer by gather: %.0f steps/s" % numpy_mlp(gather=True))
    steps, forward_ms = torch_transformer()
    print("PyTorch Transformer training step, batch 64: %.1f steps/s" % steps)
    print("PyTorch Transformer forward, 64 x 16: %.2f ms" % forward_ms)
