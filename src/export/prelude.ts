// The fixed part of an exported PyTorch file: torchvision's DenseNet building blocks, generalized
// to everything a spec can say, a DenseNet that assembles a model from its list of modules, and
// a safetensors writer. Kept as Python text here (tsc copies no .py files into dist/).
export const prelude = String.raw`import json
import struct
import sys
from typing import List, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.utils.checkpoint as cp


class _DenseLayer(nn.Module):
    """BN-ReLU-Conv1x1 to bottleneck channels, then BN-ReLU-Conv3x3 to growth_rate (DenseNet-B);
    with bottleneck=None only BN-ReLU-Conv3x3. Dropout after each conv, as densec lowers it, active
    in train(). memory_efficient recomputes concat-BN-ReLU-conv1 in backward, as torchvision does."""

    def __init__(self, num_input_features: int, growth_rate: int, bottleneck, drop_rate: float, memory_efficient: bool) -> None:
        super().__init__()
        width, kernel = (bottleneck, 1) if bottleneck is not None else (growth_rate, 3)
        self.norm1 = nn.BatchNorm2d(num_input_features)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv1 = nn.Conv2d(num_input_features, width, kernel_size=kernel, stride=1, padding=kernel // 2, bias=False)
        if bottleneck is not None:
            self.norm2 = nn.BatchNorm2d(bottleneck)
            self.relu2 = nn.ReLU(inplace=True)
            self.conv2 = nn.Conv2d(bottleneck, growth_rate, kernel_size=3, stride=1, padding=1, bias=False)
        self.has_bottleneck = bottleneck is not None
        self.drop_rate = float(drop_rate)
        self.memory_efficient = memory_efficient

    def bn_function(self, inputs: List[torch.Tensor]) -> torch.Tensor:
        return self.conv1(self.relu1(self.norm1(torch.cat(inputs, 1))))

    def forward(self, inputs: List[torch.Tensor]) -> torch.Tensor:
        if self.memory_efficient and any(t.requires_grad for t in inputs):
            out = cp.checkpoint(lambda *xs: self.bn_function(list(xs)), *inputs, use_reentrant=False)
        else:
            out = self.bn_function(inputs)
        if self.drop_rate > 0:
            out = F.dropout(out, p=self.drop_rate, training=self.training)
        if self.has_bottleneck:
            out = self.conv2(self.relu2(self.norm2(out)))
            if self.drop_rate > 0:
                out = F.dropout(out, p=self.drop_rate, training=self.training)
        return out


class _DenseBlock(nn.ModuleDict):
    """num_layers dense layers, each reading the concatenation of the block input and all earlier
    layers' outputs; the block returns that concatenation. Children not named denselayer* are layers
    the spec writes after the block (torchvision's naming puts them here); they run on its output."""

    def __init__(self, num_layers: int, num_input_features: int, growth_rate: int, bottleneck, drop_rate: float, memory_efficient: bool) -> None:
        super().__init__()
        self.num_layers = num_layers
        for i in range(num_layers):
            layer = _DenseLayer(num_input_features + i * growth_rate, growth_rate, bottleneck, drop_rate, memory_efficient)
            self.add_module("denselayer%d" % (i + 1), layer)

    def forward(self, init_features: torch.Tensor) -> torch.Tensor:
        features = [init_features]
        for i in range(self.num_layers):
            features.append(self["denselayer%d" % (i + 1)](features))
        out = torch.cat(features, 1)
        for name, module in self.items():
            if not name.startswith("denselayer"):
                out = module(out)
        return out


class _Transition(nn.Sequential):
    """BN-ReLU-Conv1x1 to floor(compression * m) channels, [dropout], 2x2 average pool."""

    def __init__(self, num_input_features: int, num_output_features: int, drop_rate: float = 0.0) -> None:
        super().__init__()
        self.norm = nn.BatchNorm2d(num_input_features)
        self.relu = nn.ReLU(inplace=True)
        self.conv = nn.Conv2d(num_input_features, num_output_features, kernel_size=1, stride=1, bias=False)
        if drop_rate > 0:
            self.dropout = nn.Dropout(p=drop_rate)
        self.pool = nn.AvgPool2d(kernel_size=2, stride=2)


class DenseNet(nn.Module):
    """A model from its modules in forward order, each under its torchvision path: features.* in
    self.features, classifier and the like at the top, a.b.c inside the block or transition
    a.b. Weights start as torchvision's: Kaiming-normal convs, BN 1 and 0, linear bias 0.

    head="softmax" keeps a final softmax (probabilities, as densec compile writes by default);
    head="logits" drops it (as densec compile --head logits; use it with nn.CrossEntropyLoss)."""

    def __init__(self, input_shape: Tuple[int, int, int], modules: Sequence[Tuple[str, nn.Module]], head: str = "softmax") -> None:
        super().__init__()
        if head not in ("softmax", "logits"):
            raise ValueError("head is 'softmax' or 'logits', not %r" % (head,))
        if head == "logits" and modules and isinstance(modules[-1][1], nn.Softmax):
            modules = modules[:-1]
        self.input_shape = tuple(input_shape)
        self.head = head
        self.features = nn.Sequential()
        self.steps: List[str] = []
        for path, module in modules:
            parent, _, name = path.rpartition(".")
            self.get_submodule(parent).add_module(name, module)
            if parent in ("", "features"):
                self.steps.append(path)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight)
            elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)
            elif isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.constant_(m.bias, 0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for path in self.steps:
            x = self.get_submodule(path)(x)
        return x


_DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64", torch.int64: "I64", torch.int32: "I32", torch.uint8: "U8", torch.bool: "BOOL"}


def save_safetensors(module: nn.Module, path: str) -> None:
    """Writes module.state_dict() as safetensors (8-byte little-endian header length, JSON header,
    raw little-endian data), for densec compile SPEC --weights path."""
    header, chunks, offset = {"__metadata__": {"format": "pt", "densec_spec": SPEC}}, [], 0
    for name, t in module.state_dict().items():
        t = t.detach().to("cpu").contiguous()
        data = t.reshape(-1).view(torch.uint8).numpy().tobytes()
        if sys.byteorder != "little" and t.element_size() > 1:
            raise RuntimeError("save_safetensors writes little-endian data; this machine is big-endian")
        header[name] = {"dtype": _DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for chunk in chunks:
            f.write(chunk)
`;
