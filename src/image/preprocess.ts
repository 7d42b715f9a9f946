// The standard ImageNet evaluation preprocessing, as torchvision's reference scripts write it:
//   Resize(256) -> CenterCrop(224) -> ToTensor() -> Normalize(mean, std)
// - Resize: the shorter side becomes `resize`, the longer int(resize * long / short) (truncated,
//   as torchvision computes it), by antialiased bilinear resampling: PIL's, to the bit, for 8-bit
//   images (resize-pil8.ts: what torchvision does to the PIL images it loads); PIL's algorithm in
//   float64, without rounding between passes, for 16-bit ones (resize.ts), which PIL cannot hold.
// - CenterCrop: offsets int(round((size - crop) / 2)) with Python's round, half to even.
// - ToTensor: samples / maxValue, so [0, 1] (16-bit PNGs keep their precision).
// - Normalize: (x - mean) / std per channel, ImageNet's statistics by default.
// Output: float32 NCHW with batch 1. For a model whose input is not 224 x 224, the crop is the
// model's input size and the resize defaults to the same 256/224 ratio.
import type { RgbImage } from './decode.js';
import { resizeCrop } from './resize.js';
import { resizeCropPil8 } from './resize-pil8.js';

export const imagenetMean = [0.485, 0.456, 0.406] as const;
export const imagenetStd = [0.229, 0.224, 0.225] as const;

export interface PreprocessOptions {
  /** [height, width] of the centre crop: the model's input size. Default [224, 224]. */
  readonly crop?: readonly [number, number];
  /** The shorter side after resizing. Default round(max(crop) * 256 / 224): 256 for 224. */
  readonly resize?: number;
  readonly mean?: readonly [number, number, number];
  readonly std?: readonly [number, number, number];
}

export interface InputTensor {
  /** [1, 3, height, width] */
  readonly shape: readonly [number, number, number, number];
  readonly data: Float32Array;
}

/** The size after torchvision's `Resize(shorter)`: [width, height]. */
export function resizedSize(width: number, height: number, shorter: number): [number, number] {
  if (width <= height) return [shorter, Math.trunc((shorter * height) / width)];
  return [Math.trunc((shorter * width) / height), shorter];
}

/** Python's round(): to nearest, ties to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The first kept index when centre-cropping `size` to `crop`, as torchvision's center_crop. */
export function cropOffset(size: number, crop: number): number {
  return Math.trunc(roundHalfEven((size - crop) / 2));
}

export function preprocess(image: RgbImage, options: PreprocessOptions = {}): InputTensor {
  const [cropH, cropW] = options.crop ?? [224, 224];
  const shorter = options.resize ?? Math.round((Math.max(cropH, cropW) * 256) / 224);
  if (!(shorter >= cropH && shorter >= cropW)) {
    throw new RangeError(`resize ${shorter} is smaller than the crop ${cropH}x${cropW}`);
  }
  const mean = options.mean ?? imagenetMean;
  const std = options.std ?? imagenetStd;
  const [outW, outH] = resizedSize(image.width, image.height, shorter);
  const resample = image.maxValue === 255 ? resizeCropPil8 : resizeCrop;
  const planes = resample(image.data, 3, image.height, image.width, {
    height: outH,
    width: outW,
    top: cropOffset(outH, cropH),
    left: cropOffset(outW, cropW),
    rows: cropH,
    cols: cropW,
  });
  const data = new Float32Array(3 * cropH * cropW);
  const plane = cropH * cropW;
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < plane; i++) data[c * plane + i] = (planes[c * plane + i] / image.maxValue - mean[c]) / std[c];
  }
  return { shape: [1, 3, cropH, cropW], data };
}
