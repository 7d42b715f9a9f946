# Exports torchvision's densenet121 (random weights, eval mode) to ONNX at opset 14, for the
# picture test (test/graph/onnx.test.ts). Usage: export_torchvision.py OUT.onnx SIZE
import sys

import torch
import torchvision

model = torchvision.models.densenet121().eval()
size = int(sys.argv[2])
torch.onnx.export(model, torch.zeros(1, 3, size, size), sys.argv[1], opset_version=14, input_names=["image"], output_names=["logits"])
