"""Exports a Transformer model saved by microdiffusion to ONNX, for ONNX Runtime to run as the library's peer.

The model file's weights go into the reference's PyTorch module (the one make_pytorch_fixture.py defines, which the
Java Transformer is held to), and torch.onnx.export writes the graph: inputs `tokens` (int64 [batch, L]) and `times`
(float32 [batch]), output `logits` (float32 [batch, L, V]), the batch dimension dynamic. The Java side checks that
ONNX Runtime's logits match the library's before it times anything (OnnxRuntimeBenchmark).

Run from the repository root (needs PyTorch; the build never does):
    python3 denoiser-transformer/src/test/python/export_onnx.py MODEL.safetensors MODEL.onnx
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np
import torch

from make_pytorch_fixture import Denoiser

OPSET = 17
DEFAULT_HEADS = 4  # the built-in Transformer's default (TransformerProvider.HEADS)


def read_safetensors(path):
    """F32 tensors and the metadata of a safetensors file: 8-byte header length, JSON header, raw data."""
    blob = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    metadata = header.pop("__metadata__", {})
    data = blob[8 + n:]
    tensors = {}
    for name, entry in header.items():
        if entry["dtype"] != "F32":
            sys.exit(f"{path}: tensor {name} is {entry['dtype']}, not F32")
        start, end = entry["data_offsets"]
        tensors[name] = torch.from_numpy(np.frombuffer(data[start:end], dtype="<f4").reshape(entry["shape"]).copy())
    return tensors, metadata


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: export_onnx.py MODEL.safetensors MODEL.onnx")
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    tensors, metadata = read_safetensors(source)
    if metadata.get("denoiser") != "transformer":
        sys.exit(f"{source}: denoiser {metadata.get('denoiser')!r}, not the built-in transformer")
    vocab, d = tensors["tok_emb.weight"].shape
    length = tensors["pos_emb.weight"].shape[0]
    layers = len({name.split(".")[1] for name in tensors if name.startswith("blocks.")})
    # a model saved with the provider's defaults names no options; the head count is the one the shapes do not tell
    heads = int(metadata.get("denoiser.heads", DEFAULT_HEADS))
    if int(metadata.get("denoiser.d_model", d)) != d or int(metadata.get("denoiser.layers", layers)) != layers:
        sys.exit(f"{source}: its options do not match its tensors' shapes")
    model = Denoiser(vocab, length, d, heads, layers).eval()
    wanted = model.state_dict().keys()
    # a checkpoint also holds the optimiser's state: only the model's own tensors are loaded, and all of them
    missing = [key for key in wanted if key not in tensors]
    if missing:
        sys.exit(f"{source}: lacks {', '.join(missing)}")
    model.load_state_dict({key: tensors[key] for key in wanted})
    tokens = torch.full((2, length), vocab - 1, dtype=torch.int64)
    times = torch.ones(2)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    torch.onnx.export(model, (tokens, times), str(partial), opset_version=OPSET, input_names=["tokens", "times"],
                      output_names=["logits"], dynamic_axes={"tokens": {0: "batch"}, "times": {0: "batch"},
                                                             "logits": {0: "batch"}})
    partial.replace(target)  # whole or not at all
    print(f"{target}: V {vocab}, L {length}, d {d}, {heads} heads, {layers} layers, opset {OPSET}, torch "
          f"{torch.__version__}")


if __name__ == "__main__":
    main()
