// The bench's arithmetic: ratios taken round by round, and onnxruntime's kernels told apart.
import { describe, expect, test } from 'vitest';
import { ratioOf } from '../../bench/matrix.js';
import { kindOf } from '../../bench/profile.js';
import type { Latency } from '../../bench/latency.js';

const row = (name: string, times: number[]): Latency => ({ name, median: 0, p10: 0, p90: 0, runs: times.length, times });

describe('ratioOf', () => {
  test('divides the two files round by round, so a slow round moves both and cancels', () => {
    // Round 3 is slowed 3x for both: its ratio stays 1.2; the medians alone would not say so.
    const r = ratioOf([row('-O2', [10, 10, 30, 10, 10]), row('peer', [12, 12, 36, 12, 12])], '-O2', 'peer')!;
    expect(r.median).toBeCloseTo(1.2, 12);
    expect([r.p10, r.p90].map((x) => Number(x.toFixed(12)))).toEqual([1.2, 1.2]);
  });

  test('reports the spread of the per-round ratios, and nothing for a missing file', () => {
    const rounds = Array.from({ length: 11 }, (_, i) => 1 + i / 10); // ratios 1.0 .. 2.0
    const r = ratioOf([row('a', rounds.map(() => 1)), row('b', rounds)], 'a', 'b')!;
    expect([r.median, r.p10, r.p90]).toEqual([1.5, 1.1, 1.9]);
    expect(ratioOf([row('a', [1])], 'a', 'peer')).toBeUndefined();
  });
});

describe('kindOf', () => {
  const conv = (x: number[], w: number[], inputs = 3) => ({
    cat: 'Node', name: 'n_kernel_time', dur: 1,
    args: { op_name: 'Conv', input_type_shape: [{ float: x }, { float: w }, ...Array.from({ length: inputs - 2 }, () => ({ float: [w[0]] }))] },
  });
  test.each([
    [conv([1, 3, 224, 224], [64, 3, 7, 7]), 'Conv 7x7 (stem)'],
    [conv([1, 128, 56, 56], [32, 128, 3, 3]), 'Conv 3x3'],
    [conv([1, 256, 56, 56], [128, 256, 1, 1]), 'Conv 1x1'],
    [conv([1, 256, 56, 56], [128, 256, 1, 1], 4), 'Conv 1x1 + Sum'],
    [conv([1, 256, 56, 56], [256, 1, 1, 1]), 'BN (depthwise Conv)'],
    [{ cat: 'Node', name: 'c_kernel_time', dur: 1, args: { op_name: 'Concat' } }, 'Concat'],
  ])('%#: %s', (event, kind) => {
    expect(kindOf(event)).toBe(kind);
  });
});
