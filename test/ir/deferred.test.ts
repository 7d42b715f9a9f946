// Deferred weights (ir/deferred.ts, what `densec compile` uses): a seeded conv or linear weight is
// a recipe, the passes compose recipes, and the emitter runs them as the file is written. The
// file must be the eager path's byte for byte, whatever the spec and the options.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import { readModel } from '../../src/emit/decode.js';
import { paramTensors } from '../../src/ir/counts.js';
import { columnsOf, deferredLength, materialize, materializeWeights, scaledRows, type Deferred } from '../../src/ir/deferred.js';
import type { Graph } from '../../src/ir/graph.js';
import { lower } from '../../src/ir/lower.js';
import { initWeights, Rng } from '../../src/ir/weights.js';
import { concatForms, optimize } from '../../src/passes/pipeline.js';
import { compileAll, type CompileOptions } from '../../src/index.js';
import { sourceOptions } from '../fuzz/check.js';
import { validSpec } from '../fuzz/generate.js';
import { imagenet } from './handmade.js';

const seed = 20261203;

/** The values the eager path computes for a recipe: draws, then the same products and copies on arrays. */
function eager(d: Deferred): Float32Array {
  switch (d.kind) {
    case 'normal': {
      const out = new Float32Array(d.length);
      new Rng(d.seed, d.stream).fillNormal(out, d.std);
      return out;
    }
    case 'uniform': {
      const out = new Float32Array(d.length);
      new Rng(d.seed, d.stream).fillRange(out, d.lo, d.hi);
      return out;
    }
    case 'scaleRows': {
      const src = eager(d.source);
      const perRow = src.length / d.scale.length;
      return src.map((v, i) => v * d.scale[Math.floor(i / perRow)]);
    }
    case 'columns': {
      const src = eager(d.source);
      const width = src.length / d.rows;
      const out: number[] = [];
      for (let r = 0; r < d.rows; r++) out.push(...src.subarray(r * width + d.from, r * width + d.to));
      return Float32Array.from(out);
    }
  }
}

const run = (d: Deferred): Float32Array => {
  const out = new Float32Array(deferredLength(d));
  materialize(d, out);
  return out;
};

const bits = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);

// A draw of rows x width, then a few scalings and column slices of it (as BN folds and splits make).
const recipe: fc.Arbitrary<Deferred> = fc
  .record({ rows: fc.integer({ min: 1, max: 9 }), width: fc.integer({ min: 1, max: 40 }), s: fc.nat(), normal: fc.boolean(), steps: fc.array(fc.tuple(fc.boolean(), fc.nat(), fc.nat()), { maxLength: 4 }) })
  .map(({ rows, width, s, normal, steps }) => {
    const at = { seed: s, stream: `w${s % 7}`, length: rows * width };
    let d: Deferred = normal ? { kind: 'normal', ...at, std: 0.3 } : { kind: 'uniform', ...at, lo: -0.5, hi: 0.5 };
    let w = width;
    for (const [scale, a, b] of steps) {
      if (scale) d = scaledRows(d, Array.from({ length: rows }, (_, r) => 0.5 + ((a + r * 31) % 17) / 8));
      else {
        const from = a % w;
        const to = from + 1 + (b % (w - from));
        d = columnsOf(d, rows, from, to);
        w = to - from;
      }
    }
    return d;
  });

describe('a recipe', () => {
  test('materializes to the eager values bit for bit, in any order of recipes sharing sources (the source cache)', () => {
    fc.assert(
      fc.property(fc.array(recipe, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 12 }), (recipes, order) => {
        // Siblings: slices of one recipe (a split's parts), materialized in a shuffled order between the others.
        const all = recipes.flatMap((d) => {
          const n = deferredLength(d);
          return [d, columnsOf(d, 1, 0, Math.ceil(n / 2)), columnsOf(d, 1, Math.floor(n / 2), n)];
        });
        for (const i of [...order, ...all.keys()]) {
          const d = all[i % all.length];
          expect(bits(run(d))).toEqual(bits(eager(d)));
        }
      }),
      { seed, numRuns: 150 },
    );
  });

  test('a slice of a slice with the same rows is one slice of the first source', () => {
    const source: Deferred = { kind: 'normal', seed: 1, stream: 's', length: 60, std: 1 };
    const twice = columnsOf(columnsOf(source, 3, 4, 16), 3, 2, 7);
    expect(twice).toEqual({ kind: 'columns', source, rows: 3, from: 6, to: 11 });
    expect(deferredLength(twice)).toBe(15);
  });
});

const seeded = (defer: boolean): Graph => {
  const g = lower(imagenet([2, 3, 2], 8, 16, 10, 32)).graph!;
  initWeights(g, { seed: 3, randomBnStats: true, defer });
  return g;
};

const values = (g: Graph): Float32Array[] => g.nodes.flatMap((n) => paramTensors(n.op).map((p) => p.tensor.data!));

describe('materializeWeights', () => {
  test.each([
    ['lowered', -1],
    ['-O1', 1],
    ['-O2', 2],
  ] as const)('%s: a deferred graph gets the eager values, and no recipe is left', (_, level) => {
    const pick = (defer: boolean): Graph => (level < 0 ? seeded(defer) : optimize(seeded(defer), level, { consumeWeights: true }).graph);
    const deferred = pick(true);
    expect(deferred.nodes.some((n) => paramTensors(n.op).some((p) => p.tensor.deferred !== undefined))).toBe(true);
    materializeWeights(deferred);
    expect(deferred.nodes.every((n) => paramTensors(n.op).every((p) => p.tensor.deferred === undefined))).toBe(true);
    expect(values(deferred).map(bits)).toEqual(values(pick(false)).map(bits));
  });
});

const options: fc.Arbitrary<CompileOptions> = fc.record(
  {
    optLevel: fc.constantFrom(0 as const, 1 as const, 2 as const),
    dtype: fc.constantFrom('float32' as const, 'float16' as const),
    externalData: fc.boolean(),
    randomBnStats: fc.boolean(),
    concat: fc.constantFrom(...concatForms),
    fusedForm: fc.constantFrom('bn' as const, 'affine' as const),
    stageOutputs: fc.boolean(),
    seed: fc.nat(1000),
  },
  { requiredKeys: ['optLevel'] },
);

describe('densec compile with deferred weights', () => {
  test('property: any generated spec, any options: the model and its data file are the eager bytes', () => {
    fc.assert(
      fc.property(validSpec, options, fc.boolean(), (s, o, dataFirst) => {
        const base = { ...sourceOptions(s), ...o, consumeWeights: true };
        const [eagerModel] = compileAll(s.text, base).models;
        const [deferredModel] = compileAll(s.text, { ...base, deferWeights: true }).models;
        // The data file written before the model (as `densec compile` writes them) or after it.
        const data = dataFirst ? deferredModel.externalData?.bytes : undefined;
        expect(Buffer.from(deferredModel.model).equals(Buffer.from(eagerModel.model))).toBe(true);
        if (eagerModel.externalData) expect(Buffer.from(data ?? deferredModel.externalData!.bytes).equals(Buffer.from(eagerModel.externalData.bytes))).toBe(true);
        // The weights were made as they were written, not held by the graph.
        const held = deferredModel.graph.nodes.flatMap((n) => paramTensors(n.op)).filter((p) => p.tensor.deferred !== undefined);
        expect(held.length).toBeGreaterThan(0);
      }),
      { seed, numRuns: 40 },
    );
  }, 120_000);

  test('property: with the data file written first, each weight is drawn once, and the model names the data file by its SHA-256', () => {
    const draws = vi.spyOn(Rng.prototype, 'fillNormal');
    const uniform = vi.spyOn(Rng.prototype, 'fillRange');
    const count = (write: () => void): number => {
      draws.mockClear();
      uniform.mockClear();
      write();
      return draws.mock.calls.length + uniform.mock.calls.length;
    };
    try {
      fc.assert(
        fc.property(validSpec, fc.boolean(), (s, randomBnStats) => {
          const base = { ...sourceOptions(s), optLevel: 2 as const, randomBnStats, consumeWeights: true, deferWeights: true };
          const compiling = count(() => compileAll(s.text, { ...base, externalData: true }));
          const inline = count(() => compileAll(s.text, base).models[0].model);
          const deferred = inline - compiling;
          expect(deferred).toBeGreaterThan(0);
          let data = new Uint8Array(0);
          let model = new Uint8Array(0);
          const external = count(() => {
            const [m] = compileAll(s.text, { ...base, externalData: true }).models;
            data = m.externalData!.bytes;
            model = m.model;
          });
          expect(external).toBe(inline);
          expect(readModel(model).metadata.get('external_data_sha256')).toBe(createHash('sha256').update(data).digest('hex'));
          // The model first: its digest makes the weights once more (a split's source may still be
          // in the source cache the second time), then the data file again.
          const modelFirst = count(() => {
            const [m] = compileAll(s.text, { ...base, externalData: true }).models;
            expect(Buffer.from(m.model).equals(Buffer.from(model))).toBe(true);
            expect(Buffer.from(m.externalData!.bytes).equals(Buffer.from(data))).toBe(true);
          });
          expect(modelFirst).toBeGreaterThan(inline);
        }),
        { seed, numRuns: 25 },
      );
    } finally {
      draws.mockRestore();
      uniform.mockRestore();
    }
  }, 120_000);
});
