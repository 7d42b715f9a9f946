// Property: for random small DenseNets in every form, the plan passes the checker, eliminates
// every concat, stays between its lower bound and the naive total, and the poisoned executor
// running it agrees with the naive interpreter.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { elementCount } from '../../src/ir/graph.js';
import { checkPlan } from '../../src/plan/check.js';
import { liveDataBytes, planFigures } from '../../src/plan/figures.js';
import { choosePlan, planMemory } from '../../src/plan/plan.js';
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
  batch: fc.integer({ min: 1, max: 4 }),
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

// The figure `plan` sets against elimination: the same schedule with every concat copying,
// planned by the same arena planner. The plan kept is never above it; elimination's live data is
// never above copying's at any step (a concat's inputs are slices of its output instead of
// buffers beside it); and at batch 1 elimination wins or ties, so the plan kept is elimination's.
it('the peak with copies is never below the plan, and at batch 1 the plan eliminates', () => {
  fc.assert(
    fc.property(config, ({ batch, ...options }) => {
      const g = tinyDenseNet({ ...options, size: 16 });
      const chosen = choosePlan(g, { batch });
      expect(checkPlan(g, chosen.copies)).toEqual([]);
      expect(chosen.copies.arenaBytes).toBeGreaterThanOrEqual(chosen.plan.arenaBytes);
      expect(chosen.plan.arenaBytes).toBe(Math.min(chosen.eliminated.arenaBytes, chosen.copies.arenaBytes));
      const live = liveDataBytes(g, chosen.eliminated);
      const copied = liveDataBytes(g, chosen.copies);
      live.forEach((bytes, step) => expect(bytes).toBeLessThanOrEqual(copied[step]));
      if (batch === 1) expect(chosen.layout).toBe('eliminated');
    }),
    { numRuns: 60, seed: 2027 },
  );
});
