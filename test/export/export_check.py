"""Checks the PyTorch files that `densec export` wrote, in one process (importing torch takes seconds).

Usage: export_check.py JOBS.json OUT_DIR. Each job (a JSON object) is one of:
  {"kind": "model", "key", "file", "function", "seed"}
      builds file.function(head="logits"), draws every weight and BN statistic at random, and writes
      OUT/key.weights.safetensors (with the generated save_safetensors) and OUT/key.io.safetensors
      (input [N, C, H, W] and the eval output); reports parameter and buffer counts, the state dict's
      names and shapes, and whether dropout is active in train() and inert in eval().
  {"kind": "torchvision", "key", "file", "function", "arch", "size", "seed"}
      loads torchvision's model (random weights and BN statistics) into the generated one with
      strict=True and reports the largest output difference on a [2, 3, size, size] input.
  {"kind": "train", "key", "file", "function", "steps", "seed"}
      a few SGD steps on synthetic data (losses reported), with and without memory_efficient (the
      gradients of the first step compared); then the eval output and the trained weights as above.
Prints one JSON object: key -> report.
"""
import importlib.util
import json
import os
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from torch_reference import randomize  # noqa: E402

torch.set_num_threads(1)
_modules = {}


def load(path):
    if path not in _modules:
        spec = importlib.util.spec_from_file_location("exported_%d" % len(_modules), path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _modules[path] = module
    return _modules[path]


class Holder(nn.Module):
    """Tensors as buffers, so that the generated save_safetensors writes them too."""

    def __init__(self, **tensors):
        super().__init__()
        for name, t in tensors.items():
            self.register_buffer(name, t)


def has_dropout(model):
    return any(isinstance(m, nn.Dropout) and m.p > 0 or getattr(m, "drop_rate", 0) > 0 for m in model.modules())


def describe(model):
    state = model.state_dict()
    return {
        "learnable": sum(p.numel() for p in model.parameters()),
        "buffers": sum(b.numel() for n, b in model.named_buffers() if not n.endswith("num_batches_tracked")),
        "state": [[n, list(t.shape)] for n, t in state.items() if not n.endswith("num_batches_tracked")],
    }


def write_model_io(module, model, key, out, x):
    model.eval()
    with torch.no_grad():
        y = model(x)
    module.save_safetensors(model, "%s/%s.weights.safetensors" % (out, key))
    module.save_safetensors(Holder(input=x, output=y), "%s/%s.io.safetensors" % (out, key))
    return y


def model_job(job, out):
    module = load(job["file"])
    torch.manual_seed(job["seed"])
    generator = torch.Generator().manual_seed(job["seed"])
    model = getattr(module, job["function"])(head="logits")
    randomize(model, generator)
    report = describe(model)
    # A batch of 2 checks that the batch is free; large models run one sample to keep CI fast.
    x = torch.randn(2 if report["learnable"] < 2_000_000 else 1, *model.input_shape, generator=generator)
    if has_dropout(model):
        model.train()
        with torch.no_grad():
            a, b = model(x), model(x)
        model.eval()
        with torch.no_grad():
            c, d = model(x), model(x)
        report["dropout"] = {"train_differs": bool((a != b).any()), "eval_equal": bool((c == d).all())}
    y = write_model_io(module, model, job["key"], out, x)
    report["softmax_head"] = None
    if report["learnable"] < 2_000_000:  # building a second large model costs seconds
        probabilities = getattr(module, job["function"])(head="softmax")
        probabilities.load_state_dict(model.state_dict(), strict=True)
        with torch.no_grad():
            p = probabilities.eval()(x)
        if p.dim() == 2 and p.shape == y.shape and not torch.equal(p, y):
            report["softmax_head"] = float((p - torch.softmax(y, 1)).abs().max())
    return report


def torchvision_job(job):
    import torchvision

    module = load(job["file"])
    torch.manual_seed(job["seed"])
    generator = torch.Generator().manual_seed(job["seed"])
    theirs = getattr(torchvision.models, job["arch"])(weights=None)
    randomize(theirs, generator)
    ours = getattr(module, job["function"])(head="logits")
    missing = ours.load_state_dict(theirs.state_dict(), strict=True)
    x = torch.randn(2, 3, job["size"], job["size"], generator=generator)
    theirs.eval()
    ours.eval()
    with torch.no_grad():
        a, b = ours(x), theirs(x)
    diff = float((a - b).abs().max())
    return {"strict": not missing.missing_keys and not missing.unexpected_keys, "max_abs": diff, "max_ref": float(b.abs().max()), "torchvision": torchvision.__version__}


def train_job(job, out):
    module = load(job["file"])
    torch.manual_seed(job["seed"])
    generator = torch.Generator().manual_seed(job["seed"])
    model = getattr(module, job["function"])(head="logits")
    frugal = getattr(module, job["function"])(head="logits", memory_efficient=True)
    frugal.load_state_dict(model.state_dict(), strict=True)
    x = torch.randn(4, *model.input_shape, generator=generator)
    classes = model(x[:1]).shape[1]
    labels = torch.randint(0, classes, (4,), generator=generator)
    loss_fn = nn.CrossEntropyLoss()

    # The first step's gradients with and without checkpointing (BN in train mode, no dropout here).
    grads = []
    for m in (model, frugal):
        m.train()
        m.zero_grad()
        loss_fn(m(x), labels).backward()
        grads.append({n: p.grad.clone() for n, p in m.named_parameters()})
    grad_diff = max(float((grads[0][n] - grads[1][n]).abs().max()) for n in grads[0])
    grad_max = max(float(g.abs().max()) for g in grads[0].values())

    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    losses = []
    start = time.perf_counter()
    for _ in range(job["steps"]):
        model.train()
        optimizer.zero_grad()
        loss = loss_fn(model(x), labels)
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        eval_loss = float(loss_fn(model(x), labels))
    write_model_io(module, model, job["key"], out, x[:2])
    return {"losses": losses, "eval_loss": eval_loss, "grad_diff": grad_diff, "grad_max": grad_max, "train_s": round(seconds, 3)}


def main():
    jobs = json.load(open(sys.argv[1]))
    out = sys.argv[2]
    reports = {}
    start = time.perf_counter()
    for job in jobs:
        t = time.perf_counter()
        if job["kind"] == "model":
            report = model_job(job, out)
        elif job["kind"] == "torchvision":
            report = torchvision_job(job)
        else:
            report = train_job(job, out)
        report["seconds"] = round(time.perf_counter() - t, 3)
        reports[job["key"]] = report
    reports["_"] = {"torch": torch.__version__, "seconds": round(time.perf_counter() - start, 3)}
    print(json.dumps(reports))


if __name__ == "__main__":
    main()
