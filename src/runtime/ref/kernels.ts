// The element-wise, pooling, classifier and copy kernels of the reference executor. Each reads
// and writes arena views (tensor.ts), one sample at a time; float64 accumulation throughout.
import type { BnParams, PoolParams } from '../../ir/graph.js';
import { bnScaleShift as scaleShift } from '../../ir/rules.js';
import { at, type View } from './tensor.js';
import type { PreActivation } from './conv.js';

/** BatchNorm at inference as y = x * scale + shift, per channel (ir/rules.ts). */
export function bnScaleShift(bn: BnParams): PreActivation {
  const { scale, shift } = scaleShift(bn);
  return { scale: Float32Array.from(scale), shift: Float32Array.from(shift) };
}

/** y = x * scale[c] + shift[c], then max(0, y) if `relu`. */
export function channelAffine(x: View, y: View, batch: number, scale: Float32Array, shift: Float32Array, relu = false): void {
  const [c] = x.shape;
  const hw = x.shape.length === 3 ? x.shape[1] * x.shape[2] : 1;
  for (let n = 0; n < batch; n++) {
    const xo = at(x, n);
    const yo = at(y, n);
    for (let ch = 0; ch < c; ch++) {
      const s = scale[ch];
      const b = shift[ch];
      const xi = xo + ch * hw;
      const yi = yo + ch * hw;
      for (let i = 0; i < hw; i++) {
        const v = x.data[xi + i] * s + b;
        y.data[yi + i] = relu && v < 0 ? 0 : v;
      }
    }
  }
}

/** y = a + b, element by element (same shapes). */
export function add(a: View, b: View, y: View, batch: number, elements: number): void {
  for (let n = 0; n < batch; n++) {
    const ao = at(a, n);
    const bo = at(b, n);
    const yo = at(y, n);
    for (let i = 0; i < elements; i++) y.data[yo + i] = a.data[ao + i] + b.data[bo + i];
  }
}

export function relu(x: View, y: View, batch: number, elements: number): void {
  for (let n = 0; n < batch; n++) {
    const xo = at(x, n);
    const yo = at(y, n);
    for (let i = 0; i < elements; i++) {
      const v = x.data[xo + i];
      y.data[yo + i] = v < 0 ? 0 : v; // NaN stays NaN: the checking mode relies on it
    }
  }
}

/** Max or average pooling; padding is -inf for max and counts as zero for average (ONNX count_include_pad=1, PyTorch's default). */
export function pool(kind: 'max' | 'avg', x: View, y: View, batch: number, p: PoolParams): void {
  const [c, h, w] = x.shape;
  const [, ho, wo] = y.shape;
  const [kh, kw] = p.kernel;
  const [sh, sw] = p.stride;
  const [ph, pw] = p.pad;
  const area = kh * kw;
  for (let n = 0; n < batch; n++) {
    for (let ch = 0; ch < c; ch++) {
      const xc = at(x, n) + ch * h * w;
      const yc = at(y, n) + ch * ho * wo;
      for (let oy = 0; oy < ho; oy++) {
        for (let ox = 0; ox < wo; ox++) {
          let acc = kind === 'max' ? -Infinity : 0;
          for (let i = 0; i < kh; i++) {
            const iy = oy * sh - ph + i;
            if (iy < 0 || iy >= h) continue;
            for (let j = 0; j < kw; j++) {
              const ix = ox * sw - pw + j;
              if (ix < 0 || ix >= w) continue;
              const v = x.data[xc + iy * w + ix];
              acc = kind === 'max' ? (v > acc || Number.isNaN(v) ? v : acc) : acc + v;
            }
          }
          y.data[yc + oy * wo + ox] = kind === 'max' ? acc : acc / area;
        }
      }
    }
  }
}

export function globalAveragePool(x: View, y: View, batch: number): void {
  const [c, h, w] = x.shape;
  const hw = h * w;
  for (let n = 0; n < batch; n++) {
    for (let ch = 0; ch < c; ch++) {
      const xi = at(x, n) + ch * hw;
      let s = 0;
      for (let i = 0; i < hw; i++) s += x.data[xi + i];
      y.data[at(y, n) + ch] = s / hw;
    }
  }
}

/** y = W x + b; W is [out, in]. */
export function linear(x: View, y: View, batch: number, weight: Float32Array, bias: Float32Array | undefined, inF: number, outF: number): void {
  for (let n = 0; n < batch; n++) {
    const xo = at(x, n);
    const yo = at(y, n);
    for (let o = 0; o < outF; o++) {
      let s = bias ? bias[o] : 0;
      const wo = o * inF;
      for (let i = 0; i < inF; i++) s += weight[wo + i] * x.data[xo + i];
      y.data[yo + o] = s;
    }
  }
}

export function softmax(x: View, y: View, batch: number, elements: number): void {
  for (let n = 0; n < batch; n++) {
    const xo = at(x, n);
    const yo = at(y, n);
    let max = -Infinity;
    for (let i = 0; i < elements; i++) max = Math.max(max, x.data[xo + i]);
    let sum = 0;
    for (let i = 0; i < elements; i++) sum += Math.exp(x.data[xo + i] - max);
    for (let i = 0; i < elements; i++) y.data[yo + i] = Math.exp(x.data[xo + i] - max) / sum;
  }
}

/** Copies `elements` per sample from x to y (a concat slice, or an identity that was not viewed). */
export function copy(x: View, y: View, batch: number, elements: number): void {
  for (let n = 0; n < batch; n++) {
    const xo = at(x, n);
    y.data.copyWithin(at(y, n), xo, xo + elements);
  }
}
