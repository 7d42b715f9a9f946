// Property: for random small DenseNets in every form, the plan passes the checker, eliminates
// every concat, stays between its lower bound and the naive total, and the poisoned executor
// running it agrees with the naive interpreter.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { elementCount } from '../../src/ir/graph.js';
import { checkPlan } from '../../src/plan/check.js';
import { planFigures } from '../../src/plan/figures.js';
import { planMemory } from '../../src/plan/plan.js';
import { execute } from '../../src/runtime/ref/execute.js';
import { naiveRun } from '../runtime/ref/naive.js';
import { tinyDenseNet } from './fixtures.js';

const config = fc.record({
  blocks: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
  growth: fc.integer({ min: 1, max: 5 }),
  bottleneck: fc.constantFrom(0, 3, 8),
  concat: fc.constantFrom('all' as const, 'chain' as const),
  fused: fc.boolean(),
  poolFirst: fc.boolean(),
  dropout: fc.boolean(),
  affineHead: fc.boolean(),
  batch: fc.integer({ min: 1, max: 3 }),
  seed: fc.integer({ min: 0, max: 1000 }),
});

it('plans and runs random small DenseNets correctly', () => {
  fc.assert(
    fc.property(config, ({ batch, ...options }) => {
      const g = tinyDenseNet({ ...options, size: 16 });
      const plan = planMemory(g, { batch });
      expect(checkPlan(g, plan)).toEqual([]);
      const f = planFigures(g, plan);
      expect(f.concatCopyBytes.planned).toBe(0);
      expect(f.lowerBoundBytes).toBeLessThanOrEqual(f.peakBytes);
      const input = Float32Array.from({ length: batch * elementCount(g.input.shape) }, (_, i) => Math.sin(i * 0.37 + options.seed));
      const got = execute(g, plan, input, { poison: true }).output;
      const want = naiveRun(g, input, batch);
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5);
    }),
    { numRuns: 40, seed: 2026 },
  );
});
