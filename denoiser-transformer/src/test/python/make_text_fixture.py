"""Writes a small PyTorch-made text Transformer as safetensors, and what PyTorch predicts with it.

The text Transformer ("text-transformer"): token embedding, no position embedding and no time input; pre-norm blocks
of RMSNorm, bidirectional attention with rotary positions on q and k in the rotate-half form of GPT-NeoX, LLaMA and
MDLM's DDiT (base 10,000), and a SwiGLU feed-forward whose gate and up projections are one [2h, d] weight, the gate's
rows first; a final RMSNorm and the head. The Java test loads the file and must predict the same (within 1e-4).

Run from the repository root (needs PyTorch; the build never does):
    python3 denoiser-transformer/src/test/python/make_text_fixture.py
"""
import json
import math
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

from make_pytorch_fixture import RMSNorm, write_safetensors

OUT = Path("denoiser-transformer/src/test/resources/interop")
VOCABULARY = "\n !ABCab"          # ids 0..7, PAD 8, MASK 9
V, L, D, HEADS, LAYERS = len(VOCABULARY) + 2, 8, 16, 2, 2
HIDDEN = (8 * D // 3 + 15) // 16 * 16   # the library's SwiGLU width for d: 8d/3 rounded up to a multiple of 16
BASE = 10_000.0


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class RotaryAttention(nn.Module):
    def __init__(self, d, heads, length):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.proj = nn.Linear(d, d, bias=False)
        hd = d // heads
        inv_freq = 1.0 / (BASE ** (torch.arange(0, hd, 2, dtype=torch.float32) / hd))
        angles = torch.arange(length, dtype=torch.float32)[:, None] * inv_freq[None, :]
        emb = torch.cat((angles, angles), dim=-1)
        self.register_buffer("cos", emb.cos(), persistent=False)
        self.register_buffer("sin", emb.sin(), persistent=False)

    def forward(self, x):
        b, l, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=-1)
        q, k, v = (t.view(b, l, self.heads, d // self.heads).transpose(1, 2) for t in (q, k, v))
        q = q * self.cos + rotate_half(q) * self.sin
        k = k * self.cos + rotate_half(k) * self.sin
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.heads)
        out = F.softmax(scores, dim=-1) @ v
        return self.proj(out.transpose(1, 2).reshape(b, l, d))


class SwiGLU(nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.gate_up = nn.Linear(d, 2 * hidden, bias=False)
        self.down = nn.Linear(hidden, d, bias=False)

    def forward(self, x):
        gate, up = self.gate_up(x).chunk(2, dim=-1)
        return self.down(F.silu(gate) * up)


class Block(nn.Module):
    def __init__(self, d, heads, length):
        super().__init__()
        self.norm1 = RMSNorm(d)
        self.attn = RotaryAttention(d, heads, length)
        self.norm2 = RMSNorm(d)
        self.mlp = SwiGLU(d, HIDDEN)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class TextDenoiser(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok_emb = nn.Embedding(V, D)
        self.blocks = nn.ModuleList([Block(D, HEADS, L) for _ in range(LAYERS)])
        self.norm_f = RMSNorm(D)
        self.lm_head = nn.Linear(D, V, bias=False)

    def forward(self, x):
        h = self.tok_emb(x)
        for block in self.blocks:
            h = block(h)
        return self.lm_head(self.norm_f(h))


def main():
    torch.manual_seed(11)
    model = TextDenoiser().eval()
    OUT.mkdir(parents=True, exist_ok=True)
    write_safetensors(OUT / "tiny-text-transformer.safetensors", model.state_dict(), {
        "denoiser": "text-transformer", "tokenizer": "text", "vocabulary": VOCABULARY, "max_length": str(L),
        "diffusion_steps": "64", "denoiser.d_model": str(D), "denoiser.heads": str(HEADS),
        "denoiser.layers": str(LAYERS)})
    pad, mask = V - 2, V - 1
    inputs = [[mask] * L, [3, mask, 1, 6, mask, 0, mask, 4], [7, 6, 5, 4, 3, 2, 1, mask]]
    with torch.no_grad():
        probs = F.softmax(model(torch.tensor(inputs)), dim=-1)
    (OUT / "tiny-text-transformer-expected.json").write_text(json.dumps({
        "torch": torch.__version__, "tokens": inputs, "times": [1.0, 0.5, 0.1], "probabilities": probs.tolist()}))


if __name__ == "__main__":
    main()
