"""Writes test images with PIL into a folder, for densec's decoding tests (nothing is committed).

  noisy.jpg      a smooth gradient with strong per-pixel noise, 4:2:0, quality 90 (the hard case)
  photo.jpg      a smooth scene, 4:2:0, quality 75 (PIL's defaults), 500 x 375
  wide.jpg       4:4:4, quality 95, 640 x 360
  gray.jpg       grayscale
  cmyk.jpg       CMYK (PIL writes Adobe-inverted CMYK)
  odd.jpg        4:2:0 with odd sizes, 333 x 251
  rgba.png       RGBA (alpha is dropped by convert('RGB'))
  palette.png    a palette image
  photo.webp     lossy WebP

Usage: $DENSEC_PYTHON pil_images.py DIR
"""
import sys

import numpy as np
from PIL import Image


def scene(w, h, seed, noise):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    base = np.stack([
        128 + 100 * np.sin(x / 37.0 + y / 53.0),
        128 + 90 * np.cos(x / 23.0 - y / 41.0),
        128 + 80 * np.sin((x + y) / 61.0),
    ], axis=-1)
    base += rng.normal(0, noise, base.shape)
    return np.clip(np.rint(base), 0, 255).astype(np.uint8)


def main(out):
    Image.fromarray(scene(400, 300, 1, 40)).save(f"{out}/noisy.jpg", quality=90)
    Image.fromarray(scene(500, 375, 2, 4)).save(f"{out}/photo.jpg")
    Image.fromarray(scene(640, 360, 3, 12)).save(f"{out}/wide.jpg", quality=95, subsampling=0)
    Image.fromarray(scene(300, 400, 4, 20)).convert("L").save(f"{out}/gray.jpg", quality=85)
    Image.fromarray(scene(320, 240, 5, 10)).convert("CMYK").save(f"{out}/cmyk.jpg", quality=90)
    Image.fromarray(scene(333, 251, 6, 25)).save(f"{out}/odd.jpg", quality=80)
    rgba = np.dstack([scene(260, 300, 7, 10), scene(260, 300, 8, 60)[..., 0]])
    Image.fromarray(rgba, "RGBA").save(f"{out}/rgba.png")
    Image.fromarray(scene(280, 256, 9, 8)).convert("P", palette=Image.ADAPTIVE, colors=64).save(f"{out}/palette.png")
    Image.fromarray(scene(300, 300, 10, 15)).save(f"{out}/photo.webp", quality=80)


if __name__ == "__main__":
    main(sys.argv[1])
