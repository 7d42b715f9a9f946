// The language's arithmetic, each rule in one place: lowering, shape inference, the passes,
// emission and the reference executor use these. The verifier's closed form (verify/formula.ts)
// is written separately from the paper on purpose, and a property test makes the two agree.
//
//   transition channels   floor(theta * m), exact: theta is a rational (check/exact.ts)
//   layers per block      (L - N - 1) / (N * c), c = 2 convs per layer with a bottleneck, else 1
//   window output size    floor((n + 2p - k) / s) + 1 (ONNX, ceil_mode 0)
//   BatchNorm at inference  scale = gamma / sqrt(var + eps), shift = beta - mean * scale
import { div, exactOfInteger, floorExact, mul, sub, type Exact } from '../check/exact.js';
import type { BnParams } from './graph.js';

/** Channels a transition keeps of its `m`: floor(theta * m), computed exactly. */
export function transitionChannels(theta: Exact, m: number): number {
  return Number(floorExact(mul(theta, exactOfInteger(m))));
}

/** Layers per block of `dense depth L blocks N`: an exact rational, whole when L fits. */
export function layersPerBlock(depth: number, blocks: number, convsPerLayer: 1 | 2): Exact {
  const L = exactOfInteger(depth);
  const N = exactOfInteger(blocks);
  return div(sub(sub(L, N), exactOfInteger(1)), mul(N, exactOfInteger(convsPerLayer)));
}

/** floor((n + 2p - k) / s) + 1, as ONNX computes it with ceil_mode 0. */
export function windowOut(n: number, kernel: number, stride: number, pad: number): number {
  return Math.floor((n + 2 * pad - kernel) / stride) + 1;
}

/** scale = gamma / sqrt(var + eps), shift = beta - mean * scale, per channel, in float64. */
export function bnScaleShift(bn: BnParams): { scale: Float64Array; shift: Float64Array } {
  const [gamma, beta, mean, variance] = [bn.gamma.data, bn.beta.data, bn.mean.data, bn.var.data];
  if (!gamma || !beta || !mean || !variance) throw new Error('batchnorm parameters have no data');
  const scale = new Float64Array(gamma.length);
  const shift = new Float64Array(gamma.length);
  for (let c = 0; c < gamma.length; c++) {
    scale[c] = gamma[c] / Math.sqrt(variance[c] + bn.eps);
    shift[c] = beta[c] - mean[c] * scale[c];
  }
  return { scale, shift };
}
