"""torchvision's ImageNet preprocessing of one image, for densec's image tests.

For each IMAGE (optionally IMAGE:RESIZE:CROP, default 256 and 224) writes IMAGE.ref.safetensors
(F32) with:
  decoded  [H, W, 3]        the image as PIL decodes it, Image.open(f).convert('RGB'), 0..255
  pil      [1, 3, c, c]     Resize(r), CenterCrop(c), ToTensor(), Normalize() on the PIL image
                            (PIL resamples in 8 bits: rounding after each pass)
  tensor   [1, 3, c, c]     the same on a float tensor, resize(..., antialias=True): PIL's
                            algorithm in float, no intermediate rounding

Usage: $DENSEC_PYTHON preprocess_reference.py IMAGE[:RESIZE:CROP]...
One process for many images: importing torch is most of the time.
"""
import argparse
import json
import struct

import torch
from PIL import Image
from torchvision import transforms
from torchvision.transforms import InterpolationMode
from torchvision.transforms import functional as F

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def write_safetensors(path, tensors):
    header, chunks, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().float().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def reference(path, resize, crop):
    image = Image.open(path).convert("RGB")
    decoded = F.pil_to_tensor(image).permute(1, 2, 0).float()
    pil = transforms.Compose([
        transforms.Resize(resize, interpolation=InterpolationMode.BILINEAR),
        transforms.CenterCrop(crop),
        transforms.ToTensor(),
        transforms.Normalize(MEAN, STD),
    ])(image)
    t = F.pil_to_tensor(image).float() / 255
    t = F.resize(t, resize, interpolation=InterpolationMode.BILINEAR, antialias=True)
    t = F.normalize(F.center_crop(t, crop), MEAN, STD)
    write_safetensors(path + ".ref.safetensors", {"decoded": decoded, "pil": pil.unsqueeze(0), "tensor": t.unsqueeze(0)})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("jobs", nargs="+", metavar="IMAGE[:RESIZE:CROP]")
    args = parser.parse_args()
    torch.set_num_threads(1)
    for job in args.jobs:
        path, resize, crop = (job.split(":") + ["256", "224"])[:3]
        reference(path, int(resize), int(crop))


if __name__ == "__main__":
    main()
