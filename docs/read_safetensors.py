"""Reads a model saved by microdiffusion (or any F32/F64 safetensors file) with NumPy alone."""
import json
import struct
import sys

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))          # 8-byte little-endian header length
        header = json.loads(f.read(n))                  # JSON header
        data = f.read()                                 # raw little-endian tensors
    metadata = header.pop("__metadata__", {})
    dtypes = {"F32": "<f4", "F64": "<f8"}
    tensors = {name: np.frombuffer(data[e["data_offsets"][0]:e["data_offsets"][1]], dtype=dtypes[e["dtype"]])
               .reshape(e["shape"]) for name, e in header.items()}
    return tensors, metadata


if __name__ == "__main__":
    tensors, metadata = read_safetensors(sys.argv[1])
    print(metadata)
    for name, t in tensors.items():
        print(f"{name:32s} {str(t.shape):12s} mean {t.mean():+.5f}")
