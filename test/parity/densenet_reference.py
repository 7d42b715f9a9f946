"""Reference outputs of a torchvision DenseNet with random weights, for densec's parity tests.

Builds torchvision's model (no pretrained weights: nothing is downloaded), draws every parameter
and every BatchNorm statistic from a fixed seed, runs it in eval mode on a seeded input, and
writes two safetensors files (the format written by hand: 8-byte little-endian header length,
JSON header, raw little-endian data):

  <out>/weights.safetensors   the state dict (float32; num_batches_tracked as int64, as torch has it)
  <out>/io.safetensors        `input` [1, 3, S, S], `logits` [1, 1000], `probabilities` [1, 1000]

and prints one JSON line of timings (seconds) and output statistics on stdout.

Usage: $DENSEC_PYTHON densenet_reference.py --out DIR [--arch densenet121] [--seed 0] [--size 224]
Needs only torch, torchvision and the standard library (numpy comes with torch).
"""
import argparse
import json
import os
import sys
import time

import torch
import torchvision

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from torch_reference import randomize, write_safetensors  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--arch", default="densenet121")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    t0 = time.perf_counter()
    torch.manual_seed(args.seed)
    model = getattr(torchvision.models, args.arch)(weights=None)
    generator = torch.Generator().manual_seed(args.seed)
    randomize(model, generator)
    model.eval()
    x = torch.randn(1, 3, args.size, args.size, generator=generator)
    t1 = time.perf_counter()
    with torch.no_grad():
        logits = model(x)
        probabilities = torch.softmax(logits, dim=1)
    t2 = time.perf_counter()
    write_safetensors(f"{args.out}/weights.safetensors", model.state_dict())
    write_safetensors(f"{args.out}/io.safetensors", {"input": x, "logits": logits, "probabilities": probabilities})
    t3 = time.perf_counter()
    print(json.dumps({
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "build_s": round(t1 - t0, 3),
        "forward_s": round(t2 - t1, 3),
        "write_s": round(t3 - t2, 3),
        "logits_absmax": float(logits.abs().max()),
        "logits_std": float(logits.std()),
        "top_probability": float(probabilities.max()),
    }))


if __name__ == "__main__":
    main()
