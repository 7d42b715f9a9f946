import { describe, expect, it } from 'vitest';
import { planMemory, type MemoryPlan } from '../../../src/plan/plan.js';
import { checkPlan } from '../../../src/plan/check.js';
import { execute } from '../../../src/runtime/ref/execute.js';
import { Rng } from '../../../src/ir/weights.js';
import { elementCount, type Graph } from '../../../src/ir/graph.js';
import { forms, nodeByScope, tinyDenseNet } from '../../plan/fixtures.js';
import { naiveRun } from './naive.js';

function randomInput(g: Graph, batch: number, seed = 3): Float32Array {
  const rng = new Rng(seed, 'input');
  return Float32Array.from({ length: batch * elementCount(g.input.shape) }, () => rng.range(-1, 1));
}

function maxError(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Number.isNaN(a[i]) ? Infinity : Math.abs(a[i] - b[i]));
  return worst;
}

describe('the reference executor', () => {
  for (const [name, form] of Object.entries(forms)) {
    it(`runs the plan and matches the naive interpreter, poisoned, batch 3: ${name}`, () => {
      const g = tinyDenseNet({ ...form, classes: 12 });
      const input = randomInput(g, 3);
      const plan = planMemory(g, { batch: 3 });
      const { output, shape } = execute(g, plan, input, { poison: true });
      expect(shape).toEqual([3, 12]);
      expect(maxError(output, naiveRun(g, input, 3))).toBeLessThan(1e-6);
    });
  }

  it('gives the same output with and without concat elimination, batch 1', () => {
    const g = tinyDenseNet({ bottleneck: 8 });
    const input = randomInput(g, 1);
    const a = execute(g, planMemory(g), input, { poison: true }).output;
    const b = execute(g, planMemory(g, { eliminateConcats: false }), input, { poison: true }).output;
    expect(maxError(a, b)).toBeLessThan(1e-7);
  });
});

describe('the checking mode', () => {
  const g = tinyDenseNet({ bottleneck: 8 });
  const input = randomInput(g, 2);
  const good = planMemory(g, { batch: 2 });
  const expected = execute(g, good, input).output;

  it('turns a plan that frees a value too early into NaN, where a plain run passes by luck', () => {
    // The plan claims layer 2's bottleneck dies at its own step, before conv2 reads it.
    const v = nodeByScope(g, 'features.denseblock1.denselayer2.conv1').output;
    const interval = new Map(good.liveness.interval);
    const iv = interval.get(v)!;
    interval.set(v, { def: iv.def, lastUse: iv.def });
    const early: MemoryPlan = { ...good, liveness: { ...good.liveness, interval } };
    expect(maxError(execute(g, early, input).output, expected)).toBeLessThan(1e-7);
    expect(Array.from(execute(g, early, input, { poison: true }).output).some(Number.isNaN)).toBe(true);
  });

  it('shows a plan that reuses a live range as a wrong output', () => {
    // Layer 1's norm1 output written over x0, which every later layer of the block still reads.
    const x0 = nodeByScope(g, 'features.pool0').output;
    const f1 = nodeByScope(g, 'features.denseblock1.denselayer1.norm1').output;
    const placement = new Map(good.placement);
    placement.set(f1, good.placement.get(x0)!);
    const bad: MemoryPlan = { ...good, placement };
    expect(checkPlan(g, bad).map((v) => v.rule)).toContain('overlap');
    expect(maxError(execute(g, bad, input, { poison: true }).output, expected)).toBeGreaterThan(1e-3);
  });
});
