"""An independent oracle for generated specs: a PyTorch module built from the structure the
generator wrote (test/fuzz/generate.ts), not from anything densec computed.

Usage: torch_harness.py JOBS.json. JOBS is a list of {"dir": ..., "structure": {...}}; for each,
the module is built, given random weights and BatchNorm statistics (seeded), run in eval mode on
a random input, and written to <dir>/weights.safetensors (torchvision state-dict names) and
<dir>/io.safetensors (`input`, `output`). Prints one JSON line per job: learnable parameters,
BN running statistics, output shape. One process for all jobs: importing torch takes seconds.
Exit 3 when torch cannot be imported (the caller skips, saying why).
"""
import json
import os
import sys
from fractions import Fraction

try:
    import torch
    from torch import nn
except Exception as e:  # noqa: BLE001 - any import failure means "no torch here"
    print(json.dumps({"skip": f"import torch failed: {e}"}))
    sys.exit(3)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from torch_reference import randomize, write_safetensors  # noqa: E402


class DenseLayer(nn.Module):
    """BN-ReLU-Conv1x1(b)-BN-ReLU-Conv3x3(k) (DenseNet-B), or BN-ReLU-Conv3x3(k); dropout is an identity here."""

    def __init__(self, c, growth, bottleneck):
        super().__init__()
        if bottleneck is None:
            self.norm1, self.conv1 = nn.BatchNorm2d(c), nn.Conv2d(c, growth, 3, padding=1, bias=False)
        else:
            self.norm1, self.conv1 = nn.BatchNorm2d(c), nn.Conv2d(c, bottleneck, 1, bias=False)
            self.norm2, self.conv2 = nn.BatchNorm2d(bottleneck), nn.Conv2d(bottleneck, growth, 3, padding=1, bias=False)
        self.bottleneck = bottleneck is not None

    def forward(self, x):
        h = self.conv1(torch.relu(self.norm1(x)))
        if self.bottleneck:
            h = self.conv2(torch.relu(self.norm2(h)))
        return torch.cat([x, h], 1)


class Transition(nn.Module):
    def __init__(self, c, out):
        super().__init__()
        self.norm, self.conv = nn.BatchNorm2d(c), nn.Conv2d(c, out, 1, bias=False)

    def forward(self, x):
        return nn.functional.avg_pool2d(self.conv(torch.relu(self.norm(x))), 2, 2)


class Names:
    """torchvision's module names as densec gives them (ir/stages.ts): a loose layer's scope from its
    stage (features.<base>0 in the stem, features.denseblock<i>.<base> or features.transition<i>.<base>
    after a block or transition, features.<base>5 or classifier in the head), `_2`, `_3`, ... for
    repeats, in the order of the spec."""

    BASE = {"conv": "conv", "bn": "norm", "linear": "classifier"}

    def __init__(self):
        self.taken = set()

    def take(self, name):
        unique, n = name, 2
        while unique in self.taken:
            unique, n = f"{name}_{n}", n + 1
        self.taken.add(unique)
        return unique

    def loose(self, kind, stage):
        base = self.BASE[kind]
        if stage == "stem":
            return self.take(f"features.{base}0")
        if stage == "head":
            return self.take(f"features.{base}5" if kind != "linear" else base)
        return self.take(f"features.{stage}.{base}")


class Net(nn.Module):
    """The spec's layers in order, each module registered under its torchvision-style name."""

    def __init__(self, s):
        super().__init__()
        self.steps = []  # (kind, module or None)
        names = Names()
        c = s["input"][0]
        last_dense = max(i for i, l in enumerate(s["layers"]) if l["kind"] in ("block", "transition"))
        stage, blocks, transitions = "stem", 0, 0
        for i, l in enumerate(s["layers"]):
            kind = l["kind"]
            if i > last_dense:
                stage = "head"
            if kind == "conv":
                m = nn.Conv2d(c, l["out"], tuple(l["kernel"]), stride=tuple(l["stride"]), padding=tuple(l["pad"]), bias=l["bias"])
                self.put(names.loose("conv", stage), m)
                c = l["out"]
            elif kind == "bn":
                m = nn.BatchNorm2d(c)
                self.put(names.loose("bn", stage), m)
            elif kind in ("maxpool", "avgpool"):
                cls = nn.MaxPool2d if kind == "maxpool" else nn.AvgPool2d
                m = cls(tuple(l["kernel"]), stride=tuple(l["stride"]), padding=tuple(l["pad"]))
            elif kind == "block":
                blocks += 1
                stage = f"denseblock{blocks}"
                layers = []
                for j in range(l["layers"]):
                    layers.append(DenseLayer(c, l["growth"], l["bottleneck"]))
                    self.put(f"features.{stage}.denselayer{j + 1}", layers[-1])
                    c += l["growth"]
                m = nn.Sequential(*layers)  # run in order; registered above under torchvision's names
            elif kind == "transition":
                transitions += 1
                stage = f"transition{transitions}"
                out = int(Fraction(l["theta"]) * c // 1)  # floor(theta * m), exactly
                m = Transition(c, out)
                self.put(f"features.{stage}", m)
                names.take(f"features.{stage}.norm")
                names.take(f"features.{stage}.conv")
                c = out
            elif kind == "linear":
                m = nn.Linear(c, l["out"])
                self.put(names.loose("linear", stage), m)
                c = l["out"]
            else:  # relu, softmax, globalpool, dropout
                m = None
            self.steps.append((kind, m))

    def put(self, path, module):
        *parents, last = path.split(".")
        at = self
        for p in parents:
            if not hasattr(at, p):
                at.add_module(p, nn.Module())
            at = getattr(at, p)
        at.add_module(last, module)

    def forward(self, x):
        for kind, m in self.steps:
            if m is not None:
                x = m(x)
            elif kind == "relu":
                x = torch.relu(x)
            elif kind == "globalpool":
                x = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
            elif kind == "softmax":
                x = torch.softmax(x, 1)
        return x


def run(job, seed):
    s = job["structure"]
    g = torch.Generator().manual_seed(seed)
    model = Net(s)
    randomize(model, g)
    model.eval()
    x = torch.rand((1, *s["input"]), generator=g) * 2 - 1
    with torch.no_grad():
        y = model(x)
    state = {k: v for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    write_safetensors(f"{job['dir']}/weights.safetensors", state)
    write_safetensors(f"{job['dir']}/io.safetensors", {"input": x, "output": y})
    learnable = sum(p.numel() for p in model.parameters())
    stats = sum(b.numel() for n, b in model.named_buffers() if n.endswith("running_mean") or n.endswith("running_var"))
    return {"dir": job["dir"], "learnable": learnable, "runningStats": stats, "output": list(y.shape[1:])}


def main():
    torch.set_num_threads(1)
    with open(sys.argv[1]) as f:
        jobs = json.load(f)
    for i, job in enumerate(jobs):
        try:
            print(json.dumps(run(job, 1000 + i)), flush=True)
        except Exception as e:  # noqa: BLE001 - a failure is data for the caller
            print(json.dumps({"dir": job["dir"], "error": f"{type(e).__name__}: {e}"[:2000]}), flush=True)


if __name__ == "__main__":
    main()
