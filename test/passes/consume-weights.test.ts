// OptimizeOptions.consumeWeights (what `densec compile` uses): the folds write into the lowered
// graph's arrays and the split passes drop a weight once its slices exist, so a model's weights
// are in memory once. The optimized graph must emit the very same bytes as without it.
import { describe, expect, test } from 'vitest';
import { emitOnnx } from '../../src/emit/onnx.js';
import { prepare, emitPrepared, stagedGraph } from '../../src/emit/build.js';
import { lower } from '../../src/ir/lower.js';
import { initWeights } from '../../src/ir/weights.js';
import { concatForms, optimize } from '../../src/passes/pipeline.js';
import { imagenet } from '../ir/handmade.js';

const seeded = () => {
  const g = lower(imagenet([2, 3, 2], 8, 16, 10, 32)).graph!;
  initWeights(g, { seed: 3, randomBnStats: true });
  return g;
};

describe('consumeWeights', () => {
  test('emits the same bytes as the copying passes, for every concat form', () => {
    for (const concat of concatForms) {
      const copied = emitOnnx(optimize(seeded(), 2, { concat }).graph).model;
      const consumed = emitOnnx(optimize(seeded(), 2, { concat, consumeWeights: true }).graph).model;
      expect(Buffer.from(consumed).equals(Buffer.from(copied))).toBe(true);
    }
  });

  test('the weights it split are gone from the input graph; without it the input graph is untouched', () => {
    const g = seeded();
    const convWeights = () => g.nodes.flatMap((n) => (n.op.kind === 'conv' ? [n.op.weight.data] : []));
    const before = convWeights().map((d) => Float32Array.from(d!));
    optimize(g, 2);
    expect(convWeights()).toEqual(before);
    optimize(g, 2, { consumeWeights: true });
    expect(convWeights().filter((d) => d === undefined).length).toBeGreaterThan(0);
  });

  test('a build that consumed its weights emits only the optimized graph', () => {
    const { prepared } = prepare(imagenet([2, 2], 8, 16, 10, 32), { consumeWeights: true });
    expect(() => emitPrepared(prepared!)).not.toThrow();
    expect(() => emitPrepared(prepared!, {}, prepared!.lowered)).toThrow(/gave up its weights/);
    expect(() => stagedGraph(prepared!)).toThrow(/gave up its weights/);
  });
});
