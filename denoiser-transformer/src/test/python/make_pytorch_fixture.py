"""Writes a small PyTorch-made Transformer denoiser as safetensors, and what PyTorch predicts with it.

The model is the reference's architecture (token + position + time embedding, pre-norm blocks of RMSNorm, bidirectional
attention and a GELU MLP, no biases but the time MLP's), in PyTorch, with PyTorch's own initialisation. The file is
written from its state_dict with the reference's tensor names; the expected probabilities are PyTorch's softmax of the
logits for a few inputs. The Java test loads the file and must predict the same (within 1e-4).

Run from the repository root (needs PyTorch; the build never does):
    python3 denoiser-transformer/src/test/python/make_pytorch_fixture.py
"""
import json
import math
import struct
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = Path("denoiser-transformer/src/test/resources/interop")
VOCABULARY = "abcdef"          # ids 0..5, PAD 6, MASK 7
V, L, D, HEADS, LAYERS = len(VOCABULARY) + 2, 8, 16, 2, 2


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-8):
        super().__init__()
        self.eps = eps
        self.scale = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.scale


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.head_scale = math.sqrt(d // heads)  # a constant, not traced from the input's shape when exported
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.proj = nn.Linear(d, d, bias=False)

    def forward(self, x):
        b, l, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=-1)
        q, k, v = (t.view(b, l, self.heads, d // self.heads).transpose(1, 2) for t in (q, k, v))
        scores = q @ k.transpose(-2, -1) / self.head_scale
        out = F.softmax(scores, dim=-1) @ v
        return self.proj(out.transpose(1, 2).reshape(b, l, d))


class MLP(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.fc1 = nn.Linear(d, 4 * d, bias=False)
        self.fc2 = nn.Linear(4 * d, d, bias=False)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.norm1 = RMSNorm(d)
        self.attn = Attention(d, heads)
        self.norm2 = RMSNorm(d)
        self.mlp = MLP(d)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class Denoiser(nn.Module):
    """The reference's Transformer: V ids, rows of L, width d, `heads` heads, `layers` blocks."""

    def __init__(self, v=V, l=L, d=D, heads=HEADS, layers=LAYERS):
        super().__init__()
        self.tok_emb = nn.Embedding(v, d)
        self.pos_emb = nn.Embedding(l, d)
        self.time_mlp = nn.Sequential(nn.Linear(1, d), nn.GELU(), nn.Linear(d, d))
        self.blocks = nn.ModuleList([Block(d, heads) for _ in range(layers)])
        self.norm_f = RMSNorm(d)
        self.lm_head = nn.Linear(d, v, bias=False)

    def forward(self, x, t):
        h = self.tok_emb(x) + self.pos_emb(torch.arange(x.shape[1], device=x.device))[None] + self.time_mlp(t[:, None])[:, None, :]
        for block in self.blocks:
            h = block(h)
        return self.lm_head(self.norm_f(h))


def write_safetensors(path, tensors, metadata):
    """The whole format: 8-byte little-endian header length, JSON header, raw little-endian float32 data."""
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header).encode()
    head += b" " * (-len(head) % 8)
    path.write_bytes(struct.pack("<Q", len(head)) + head + b"".join(blobs))


def main():
    torch.manual_seed(7)
    model = Denoiser().eval()
    OUT.mkdir(parents=True, exist_ok=True)
    write_safetensors(OUT / "tiny-transformer.safetensors", model.state_dict(), {
        "denoiser": "transformer", "vocabulary": VOCABULARY, "max_length": str(L), "diffusion_steps": "50",
        "denoiser.d_model": str(D), "denoiser.heads": str(HEADS), "denoiser.layers": str(LAYERS)})
    pad, mask = V - 2, V - 1
    inputs = [[mask] * L, [0, mask, 2, 3, mask, pad, pad, pad], [5, 4, 3, 2, 1, 0, mask, pad]]
    times = [1.0, 0.5, 0.1]
    with torch.no_grad():
        probs = F.softmax(model(torch.tensor(inputs), torch.tensor(times)), dim=-1)
    (OUT / "tiny-transformer-expected.json").write_text(json.dumps({
        "torch": torch.__version__, "tokens": inputs, "times": times, "probabilities": probs.tolist()}))


if __name__ == "__main__":
    main()
