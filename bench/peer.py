# The bench's peer: torchvision's own DenseNets exported by torch.onnx.export, as users make them.
# Usage: peer.py OUT_DIR MODEL[,MODEL...] [--opsets 17,14] [--seed 1]
# Writes OUT_DIR/<model>.tv<opset>.onnx (dynamic batch, input `image`, output `logits`) with
# BatchNorm statistics drawn as densec's --random-bn-stats draws them (gamma and var U[0.5, 1.5],
# beta and mean U[-0.5, 0.5]), and prints JSON: per file its path and how long the export call
# alone took (seconds, model built and in eval mode before the clock starts).
# Opset 17 is what torch 1.13 writes by default for new code; OpenCV 4.6 cannot read its
# BatchNormalization-15 ... Reduce forms, so the OpenCV rows use the opset-14 export.
import json
import sys
import time

import torch
import torchvision


def main(argv):
    out, models = argv[0], argv[1].split(",")
    opsets = [17, 14]
    seed = 1
    rest = argv[2:]
    while rest:
        key, value, rest = rest[0], rest[1], rest[2:]
        if key == "--opsets":
            opsets = [int(x) for x in value.split(",")]
        elif key == "--seed":
            seed = int(value)
        else:
            raise SystemExit(f"unknown option {key}")
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    files = []
    for name in models:
        net = getattr(torchvision.models, name)(weights=None).eval()
        with torch.no_grad():
            for m in net.modules():
                if isinstance(m, torch.nn.BatchNorm2d):
                    m.weight.uniform_(0.5, 1.5)
                    m.bias.uniform_(-0.5, 0.5)
                    m.running_mean.uniform_(-0.5, 0.5)
                    m.running_var.uniform_(0.5, 1.5)
        x = torch.randn(1, 3, 224, 224)
        for opset in opsets:
            path = f"{out}/{name}.tv{opset}.onnx"
            start = time.perf_counter()
            torch.onnx.export(
                net, x, path, opset_version=opset, input_names=["image"], output_names=["logits"],
                dynamic_axes={"image": {0: "N"}, "logits": {0: "N"}},
            )
            files.append({"model": name, "opset": opset, "file": path, "exportSeconds": time.perf_counter() - start})
    print(json.dumps({"torch": torch.__version__, "torchvision": torchvision.__version__, "files": files}))


if __name__ == "__main__":
    main(sys.argv[1:])
