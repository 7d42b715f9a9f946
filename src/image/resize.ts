// Bilinear resampling with antialiasing, the algorithm of PIL's `Image.resize(size, BILINEAR)`
// (libImaging/Resample.c, `precompute_coeffs`), which torch's `_upsample_bilinear2d_aa` (used by
// torchvision's `resize(..., antialias=True)` on tensors) also follows:
//   scale = inSize / outSize; the triangle filter's support is 1, widened to `scale` when
//   downscaling, so that every input pixel contributes (no aliasing); output pixel i is centred
//   at (i + 0.5) * scale; taps are the input pixels within the support, weighted by
//   triangle((x - centre + 0.5) * (1 / max(scale, 1))) (Resample.c multiplies by the reciprocal,
//   and resize-pil8.ts needs its weights to the bit) and normalised to sum to 1.
// When upscaling this is ordinary bilinear interpolation with half-pixel centres, edges clamped.
// Separable: columns, then rows. Arithmetic in float64, with no rounding to 8 bits between the
// passes (PIL rounds to uint8 after each pass, so it differs by up to about 1/255 per pass).

/** The taps of each output pixel along one axis. */
export interface Taps {
  /** First input index of output i. */
  readonly start: Int32Array;
  /** Number of taps of output i. */
  readonly count: Int32Array;
  /** `width` weights per output (unused ones 0). */
  readonly weights: Float64Array;
  readonly width: number;
}

function triangle(x: number): number {
  const a = Math.abs(x);
  return a < 1 ? 1 - a : 0;
}

export function bilinearTaps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale; // the triangle's support (1) times filterScale
  const width = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * width);
  const ss = 1 / filterScale;
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale;
    // C's (int) truncates toward zero; the clamp makes that the same as floor here.
    const lo = Math.max(Math.trunc(centre - support + 0.5), 0);
    const hi = Math.min(Math.trunc(centre + support + 0.5), inSize);
    let total = 0;
    for (let x = lo; x < hi; x++) {
      const w = triangle((x - centre + 0.5) * ss);
      weights[i * width + (x - lo)] = w;
      total += w;
    }
    if (total !== 0) for (let x = 0; x < hi - lo; x++) weights[i * width + x] /= total;
    start[i] = lo;
    count[i] = hi - lo;
  }
  return { start, count, weights, width };
}

/**
 * Resamples an interleaved image (inH x inW pixels of `channels` samples, row by row) to
 * outH x outW, computing only output rows [top, top + rows) and columns [left, left + cols):
 * the resize of the whole image, cropped, without computing what the crop throws away.
 * Returns planar float64, `channels` planes of rows x cols.
 */
export function resizeCrop(
  src: ArrayLike<number>,
  channels: number,
  inH: number,
  inW: number,
  out: { height: number; width: number; top: number; left: number; rows: number; cols: number },
): Float64Array {
  const tx = bilinearTaps(inW, out.width);
  const ty = bilinearTaps(inH, out.height);
  // Columns first: every input row, only the kept output columns.
  const horizontal = new Float64Array(channels * inH * out.cols);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < inH; y++) {
      const row = y * inW;
      const dst = (c * inH + y) * out.cols;
      for (let j = 0; j < out.cols; j++) {
        const i = out.left + j;
        const s = tx.start[i];
        let acc = 0;
        for (let k = 0; k < tx.count[i]; k++) acc += src[(row + s + k) * channels + c] * tx.weights[i * tx.width + k];
        horizontal[dst + j] = acc;
      }
    }
  }
  // Then rows: only the kept output rows.
  const result = new Float64Array(channels * out.rows * out.cols);
  for (let c = 0; c < channels; c++) {
    for (let r = 0; r < out.rows; r++) {
      const i = out.top + r;
      const s = ty.start[i];
      const dst = (c * out.rows + r) * out.cols;
      for (let k = 0; k < ty.count[i]; k++) {
        const w = ty.weights[i * ty.width + k];
        const line = (c * inH + s + k) * out.cols;
        for (let j = 0; j < out.cols; j++) result[dst + j] += horizontal[line + j] * w;
      }
    }
  }
  return result;
}
