// PIL's bilinear resize of an 8-bit image, to the bit: what torchvision's `Resize` does to the
// PIL images its ImageNet pipelines load. Same taps as resize.ts (Resample.c `precompute_coeffs`),
// then PIL's fixed point (`normalize_coeffs_8bpc`, `ImagingResampleHorizontal_8bpc` and
// `..._Vertical_8bpc`): each weight becomes round(w * 2^22), each pass starts its sum at 2^21 and
// clips `sum >> 22` to 0..255, so the image is rounded to 8 bits after each pass. Columns first
// (over the rows the kept output rows need), then rows. Sums stay below 2^31, exact in a double.
import { bilinearTaps, type Taps } from './resize.js';

const precisionBits = 32 - 8 - 2;
const one = 2 ** precisionBits;

/** PIL's taps (resize.ts `bilinearTaps`, Resample.c `precompute_coeffs`), also in fixed point. */
export function pilTaps(inSize: number, outSize: number): Taps & { readonly fixed: Int32Array } {
  const taps = bilinearTaps(inSize, outSize);
  const fixed = new Int32Array(taps.weights.length);
  for (let i = 0; i < fixed.length; i++) {
    const w = taps.weights[i];
    fixed[i] = Math.trunc(w < 0 ? -0.5 + w * one : 0.5 + w * one);
  }
  return { ...taps, fixed };
}

function clip8(sum: number): number {
  if (sum >= one * 256) return 255;
  if (sum <= 0) return 0;
  return Math.floor(sum / one);
}

/**
 * As resizeCrop (resize.ts) for 8-bit samples, rounding as PIL does: interleaved `channels`
 * samples per pixel in, planar values 0..255 (integers) of the kept rows x cols out.
 */
export function resizeCropPil8(
  src: ArrayLike<number>,
  channels: number,
  inH: number,
  inW: number,
  out: { height: number; width: number; top: number; left: number; rows: number; cols: number },
): Float64Array {
  const tx = pilTaps(inW, out.width);
  const ty = pilTaps(inH, out.height);
  // PIL skips a pass whose size does not change; with these taps that pass is the identity anyway.
  const first = ty.start[out.top];
  const last = ty.start[out.top + out.rows - 1] + ty.count[out.top + out.rows - 1];
  const rows = last - first;
  const horizontal = new Uint8Array(channels * rows * out.cols);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < rows; y++) {
      const row = (first + y) * inW;
      for (let j = 0; j < out.cols; j++) {
        const i = out.left + j;
        const s = tx.start[i];
        let acc = one / 2;
        for (let k = 0; k < tx.count[i]; k++) acc += src[(row + s + k) * channels + c] * tx.fixed[i * tx.width + k];
        horizontal[(c * rows + y) * out.cols + j] = clip8(acc);
      }
    }
  }
  const result = new Float64Array(channels * out.rows * out.cols);
  for (let c = 0; c < channels; c++) {
    for (let r = 0; r < out.rows; r++) {
      const i = out.top + r;
      const s = ty.start[i] - first;
      for (let j = 0; j < out.cols; j++) {
        let acc = one / 2;
        for (let k = 0; k < ty.count[i]; k++) acc += horizontal[(c * rows + s + k) * out.cols + j] * ty.fixed[i * ty.width + k];
        result[(c * out.rows + r) * out.cols + j] = clip8(acc);
      }
    }
  }
  return result;
}
