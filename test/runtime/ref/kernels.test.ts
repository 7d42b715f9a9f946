import { describe, expect, it } from 'vitest';
import type { BnParams, ConvParams } from '../../../src/ir/graph.js';
import { Rng } from '../../../src/ir/weights.js';
import { conv2d } from '../../../src/runtime/ref/conv.js';
import { bnScaleShift, pool } from '../../../src/runtime/ref/kernels.js';
import type { View } from '../../../src/runtime/ref/tensor.js';
import { convScratch } from '../../../src/plan/workspace.js';
import { naiveConv, naivePool } from './naive.js';

const rng = new Rng(11, 'kernels');
const random = (n: number, lo = -1, hi = 1) => Float32Array.from({ length: n }, () => rng.range(lo, hi));
const t = (shape: number[], lo = -1, hi = 1) => ({ shape, data: random(shape.reduce((a, b) => a * b, 1), lo, hi) });

function expectClose(actual: Float32Array, expected: Float32Array, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i])));
  expect(worst).toBeLessThan(tol);
}

/**
 * Lays x and y out in one arena as strided views (each sample followed by a gap, as a slice of a
 * wider block buffer is) and runs `kernel`; returns y's samples packed.
 */
function inArena(x: Float32Array, xShape: number[], yShape: number[], batch: number, scratch: number, kernel: (x: View, y: View, scratchAt: number) => void): Float32Array {
  const xe = xShape.reduce((a, b) => a * b, 1);
  const ye = yShape.reduce((a, b) => a * b, 1);
  const gap = 5;
  const arena = new Float32Array(batch * (xe + ye + 2 * gap) + scratch).fill(NaN);
  const xv: View = { data: arena, offset: gap, sampleStride: xe + gap, shape: xShape };
  const yv: View = { data: arena, offset: batch * (xe + gap) + gap, sampleStride: ye + gap, shape: yShape };
  for (let n = 0; n < batch; n++) arena.set(x.subarray(n * xe, (n + 1) * xe), xv.offset + n * xv.sampleStride);
  kernel(xv, yv, batch * (xe + ye + 2 * gap));
  const y = new Float32Array(batch * ye);
  for (let n = 0; n < batch; n++) y.set(arena.subarray(yv.offset + n * yv.sampleStride, yv.offset + n * yv.sampleStride + ye), n * ye);
  return y;
}

const bn = (c: number): BnParams => ({ eps: 1e-5, gamma: t([c], 0.5, 1.5), beta: t([c], -0.5, 0.5), mean: t([c], -0.5, 0.5), var: t([c], 0.5, 1.5) });

describe('reference convolution', () => {
  const cases: [string, number[], number, number, number, number, boolean][] = [
    // name, [c, h, w], out, kernel, stride, pad, bias
    ['1x1 (direct rows)', [6, 9, 11], 7, 1, 1, 0, false],
    ['3x3 pad 1, more pixels than a tile', [5, 10, 9], 12, 3, 1, 1, true],
    ['7x7 stride 2 pad 3 (a stem)', [3, 15, 13], 5, 7, 2, 3, true],
    ['1x1 stride 2', [4, 7, 7], 3, 1, 2, 0, false],
  ];
  for (const [name, [c, h, w], out, k, s, pad, bias] of cases) {
    for (const fused of [false, true]) {
      it(`${name}${fused ? ', with BN-ReLU applied while packing' : ''}, batch 2, strided views`, () => {
        const p: ConvParams = { kernel: [k, k], stride: [s, s], pad: [pad, pad], outChannels: out, weight: t([out, c, k, k]), bias: bias ? t([out]) : undefined };
        const ho = Math.floor((h + 2 * pad - k) / s) + 1;
        const wo = Math.floor((w + 2 * pad - k) / s) + 1;
        const x = random(2 * c * h * w);
        const b = fused ? bn(c) : undefined;
        const { panel, padded } = convScratch(p, [c, h, w]);
        const y = inArena(x, [c, h, w], [out, ho, wo], 2, panel + padded, (xv, yv, ws) => conv2d(xv, yv, p, 2, ws, b && bnScaleShift(b)));
        expectClose(y, naiveConv(x, [c, h, w], p, 2, [out, ho, wo], b));
      });
    }
  }
});

describe('reference pooling', () => {
  for (const kind of ['max', 'avg'] as const) {
    it(`${kind} pool 3x3 stride 2 pad 1 matches the textbook loop (padding ${kind === 'max' ? 'ignored' : 'counted as zero'})`, () => {
      const p = { kernel: [3, 3], stride: [2, 2], pad: [1, 1] } as const;
      const x = random(2 * 3 * 9 * 8);
      const y = inArena(x, [3, 9, 8], [3, 5, 4], 2, 0, (xv, yv) => pool(kind, xv, yv, 2, p));
      expectClose(y, naivePool(kind, x, [3, 9, 8], p, 2, [3, 5, 4]));
    });
  }
});
