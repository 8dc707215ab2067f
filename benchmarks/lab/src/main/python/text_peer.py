"""The PyTorch peer of `train --text`: a masked diffusion model of characters on a running text, written as a PyTorch
user would, on OpenBLAS.

Pre-RMSNorm blocks with rotary positions (rotate-half, base 10,000), bidirectional attention, a GELU feed-forward 4d
wide, no time input; MDLM's objective on the linear schedule (each row's t drawn uniformly in (1e-3, 1), every token
masked with probability t, the masked positions' cross-entropy weighted 1/t and averaged over every position, so the
loss is a NELBO per character); AdamW (β 0.9/0.99, weight decay 0.1), 200 warm-up steps, a cosine decay to 10 %,
gradients clipped at ±1 element-wise as the library's text recipe does. Windows at random offsets of the first 90 %;
the held-out NELBO over consecutive windows of the last 10 %, 16 Gauss–Legendre nodes, one mask draw — the library's
estimator. Prints tokens/s of the training steps and the NELBO in nats per character.

Run from the repository root (needs python3-torch and libopenblas0-pthread; the build never does), one thread:
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/lab/src/main/python/text_peer.py \\
        ../shared/data/tinyshakespeare.txt LAYERS D HEADS LENGTH BATCH STEPS LR [EVAL]
EVAL 0 skips the held-out NELBO (a speed run).
"""
import math
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-8):
        super().__init__()
        self.eps = eps
        self.scale = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.scale


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Block(nn.Module):
    def __init__(self, d, heads, length):
        super().__init__()
        self.heads = heads
        self.norm1, self.norm2 = RMSNorm(d), RMSNorm(d)
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.proj = nn.Linear(d, d, bias=False)
        self.fc1 = nn.Linear(d, 4 * d, bias=False)
        self.fc2 = nn.Linear(4 * d, d, bias=False)
        hd = d // heads
        inv = 1.0 / (10000.0 ** (torch.arange(0, hd, 2, dtype=torch.float32) / hd))
        angles = torch.arange(length, dtype=torch.float32)[:, None] * inv[None, :]
        emb = torch.cat((angles, angles), dim=-1)
        self.register_buffer("cos", emb.cos(), persistent=False)
        self.register_buffer("sin", emb.sin(), persistent=False)

    def forward(self, x):
        b, l, d = x.shape
        q, k, v = self.qkv(self.norm1(x)).split(d, dim=-1)
        q, k, v = (t.view(b, l, self.heads, d // self.heads).transpose(1, 2) for t in (q, k, v))
        q = q * self.cos + rotate_half(q) * self.sin
        k = k * self.cos + rotate_half(k) * self.sin
        a = F.scaled_dot_product_attention(q, k, v) if hasattr(F, "scaled_dot_product_attention") else \
            F.softmax(q @ k.transpose(-2, -1) / math.sqrt(d // self.heads), dim=-1) @ v
        x = x + self.proj(a.transpose(1, 2).reshape(b, l, d))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class Denoiser(nn.Module):
    def __init__(self, vocab, d, heads, layers, length):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList([Block(d, heads, length) for _ in range(layers)])
        self.norm = RMSNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, x):
        h = self.tok(x)
        for block in self.blocks:
            h = block(h)
        return self.head(self.norm(h))


def masked_nats(model, clean, t, mask_id, generator):
    """Σ over masked positions of −log p(x | x_t), per row, for rows masked at rate t."""
    masked = torch.rand(clean.shape, generator=generator) < t[:, None]
    noisy = torch.where(masked, torch.full_like(clean, mask_id), clean)
    logits = model(noisy)
    logits[..., mask_id] = float("-inf")
    nats = F.cross_entropy(logits.transpose(1, 2), clean, reduction="none")
    return (nats * masked).sum(1)


def main():
    path, layers, d, heads, length, batch, steps, lr = sys.argv[1:9]
    layers, d, heads, length, batch, steps, lr = int(layers), int(d), int(heads), int(length), int(batch), int(steps), float(lr)
    evaluate = len(sys.argv) < 10 or sys.argv[9] != "0"
    text = open(path, encoding="utf-8").read()
    chars = sorted(set(text))
    ids = torch.tensor([chars.index(c) for c in text], dtype=torch.long)
    vocab, mask_id = len(chars) + 2, len(chars) + 1
    cut = int(len(ids) * 0.9)
    train, held = ids[:cut], ids[cut:]
    torch.manual_seed(1)
    model = Denoiser(vocab, d, heads, layers, length)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.99), weight_decay=0.1)
    warm = 200
    schedule = lambda s: (s + 1) / warm if s < warm else 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * (s - warm) / max(1, steps - warm)))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, schedule)
    generator = torch.Generator().manual_seed(2)
    start = time.perf_counter()
    for step in range(steps):
        offsets = torch.randint(0, len(train) - length, (batch,), generator=generator)
        clean = torch.stack([train[o:o + length] for o in offsets])
        t = 1e-3 + (1 - 1e-3) * torch.rand(batch, generator=generator)
        loss = (masked_nats(model, clean, t, mask_id, generator) / t).mean() / length
        opt.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.grad.clamp_(-1, 1)
        opt.step()
        sched.step()
        if (step + 1) % max(1, steps // 10) == 0:
            print("step %d loss %.4f" % (step + 1, loss.item()), flush=True)
    seconds = time.perf_counter() - start
    print("trained %d steps in %.1f s: %.2f steps/s, %.0f tokens/s (torch %s, %d thread)" % (
        steps, seconds, steps / seconds, steps * batch * length / seconds, torch.__version__, torch.get_num_threads()))
    if not evaluate:
        return
    model.eval()
    windows = held[: len(held) // length * length].view(-1, length)
    nodes, weights = np.polynomial.legendre.leggauss(16)
    nodes, weights = (nodes + 1) / 2, weights / 2
    total = torch.zeros(len(windows), dtype=torch.float64)
    generator = torch.Generator().manual_seed(3)
    with torch.no_grad():
        for t, w in zip(nodes, weights):
            for i in range(0, len(windows), 64):
                rows = windows[i:i + 64]
                tt = torch.full((len(rows),), float(t))
                total[i:i + 64] += w / t * masked_nats(model, rows, tt, mask_id, generator).double()
    print("validation NELBO %.4f nats/char over %d windows" % (total.sum().item() / (len(windows) * length), len(windows)))


if __name__ == "__main__":
    main()
