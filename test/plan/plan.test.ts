import { describe, expect, it } from 'vitest';
import { planMemory, type MemoryPlan, type Placement } from '../../src/plan/plan.js';
import { checkPlan } from '../../src/plan/check.js';
import { planFigures } from '../../src/plan/figures.js';
import { liveness, overlaps } from '../../src/plan/liveness.js';
import { forms, nodeByScope, tinyDenseNet } from './fixtures.js';

/** The same plan with one value moved. */
function moved(plan: MemoryPlan, value: import('../../src/ir/graph.js').Value, to: Placement): MemoryPlan {
  const placement = new Map(plan.placement);
  placement.set(value, to);
  return { ...plan, placement };
}

describe('the memory plan', () => {
  for (const [name, form] of Object.entries(forms)) {
    for (const batch of [1, 3]) {
      it(`passes the checker: ${name}, batch ${batch}`, () => {
        const g = tinyDenseNet(form);
        expect(checkPlan(g, planMemory(g, { batch }))).toEqual([]);
        expect(checkPlan(g, planMemory(g, { batch, eliminateConcats: false }))).toEqual([]);
      });
    }

    it(`eliminates every concat: ${name}`, () => {
      const g = tinyDenseNet(form);
      const plan = planMemory(g, { batch: 2 });
      const f = planFigures(g, plan);
      expect(f.concatCopyBytes.planned).toBe(0);
      expect(f.concatCopyBytes.withoutElimination).toBeGreaterThan(0);
      for (const n of g.nodes.filter((n) => n.op.kind === 'concat')) expect(plan.layout.mode.get(n)).toEqual({ kind: 'view' });
    });

    it(`orders lower bound <= peak <= naive: ${name}`, () => {
      const g = tinyDenseNet(form);
      const f = planFigures(g, planMemory(g));
      expect(f.lowerBoundBytes).toBeLessThanOrEqual(f.peakBytes);
      expect(f.peakBytes).toBeLessThan(f.naiveBytes);
    });
  }

  it('puts a block in one buffer: each layer writes its channels into its slice', () => {
    const g = tinyDenseNet({ bottleneck: 8, size: 8, stem: 8, growth: 4, blocks: [3] });
    const plan = planMemory(g, { batch: 2 });
    const out = plan.placement.get(nodeByScope(g, 'features.denseblock1.cat').output)!;
    const conv2 = plan.placement.get(nodeByScope(g, 'features.denseblock1.denselayer2.conv2').output)!;
    // x0 is 8 channels and layer 1 adds 4: layer 2 writes channels 12..15 of 20, at 4 x 4 pixels.
    expect(out.sampleStride).toBe(20 * 16);
    expect(conv2).toEqual({ offset: out.offset + 12 * 16 * 4, sampleStride: 20 * 16, elements: 4 * 16 });
    const pool0 = plan.placement.get(nodeByScope(g, 'features.pool0').output)!;
    expect(pool0.offset).toBe(out.offset);
  });

  it('keeps a value whose concat slot is taken elsewhere as a copy', () => {
    // x feeds two concats at different channel offsets: one of them must copy it.
    const g = tinyDenseNet({ blocks: [2], growth: 4 });
    const cat = nodeByScope(g, 'features.denseblock1.cat');
    cat.inputs = [...cat.inputs].reverse();
    const plan = planMemory(g);
    expect(checkPlan(g, plan)).toEqual([]);
    expect(planFigures(g, plan).concatCopyBytes.planned).toBeGreaterThan(0);
  });
});

describe('the plan checker', () => {
  it('catches two live tensors on the same bytes', () => {
    const g = tinyDenseNet({ bottleneck: 8 });
    const plan = planMemory(g);
    const live = liveness(g);
    // The stem's output is read again by the block's later layers: a ReLU may not write over it
    // (over its own input, read last by it, it may: that is in place).
    const stem = nodeByScope(g, 'features.pool0').output;
    const relu = nodeByScope(g, 'features.denseblock1.denselayer2.relu1').output;
    expect(overlaps(live.interval.get(stem)!, live.interval.get(relu)!)).toBe(true);
    const stemBytes = plan.placement.get(stem)!;
    const bad = moved(plan, relu, { ...plan.placement.get(relu)!, offset: stemBytes.offset });
    const violations = checkPlan(g, bad);
    expect(violations.map((v) => v.rule)).toContain('overlap');
    expect(violations.filter((v) => v.rule === 'overlap')[0].message).toMatch(/over live/);
  });

  it('takes an elementwise op in place only on an input read last at its step', () => {
    const g = tinyDenseNet({ bottleneck: 8 });
    const plan = planMemory(g);
    const relu = nodeByScope(g, 'features.denseblock1.denselayer2.relu1');
    expect(plan.layout.mode.get(relu)).toEqual({ kind: 'inPlace', input: 0 });
    expect(plan.placement.get(relu.output)).toEqual(plan.placement.get(relu.inputs[0]));
    // A BatchNorm over the block's features, which later layers read again, may not be: forced in
    // place there, the checker refuses it.
    const norm = nodeByScope(g, 'features.denseblock1.denselayer2.norm1');
    expect(plan.layout.mode.get(norm)).toEqual({ kind: 'write' });
    const mode = new Map(plan.layout.mode).set(norm, { kind: 'inPlace', input: 0 });
    const forced = { ...moved(plan, norm.output, plan.placement.get(norm.inputs[0])!), layout: { ...plan.layout, mode } };
    const rules = checkPlan(g, forced).map((v) => v.rule);
    expect(rules).toContain('view');
    expect(rules).toContain('overlap');
  });

  it('catches a concat input that is not where the concat expects it', () => {
    const g = tinyDenseNet({ bottleneck: 8 });
    const plan = planMemory(g);
    const conv = nodeByScope(g, 'features.denseblock1.denselayer1.conv2').output;
    const p = plan.placement.get(conv)!;
    const violations = checkPlan(g, moved(plan, conv, { ...p, offset: p.offset + 4 }));
    expect(violations.some((v) => v.rule === 'view' && /concat/.test(v.message))).toBe(true);
  });

  it('catches a placement outside the arena', () => {
    const g = tinyDenseNet();
    const plan = planMemory(g);
    const v = g.nodes[0].output;
    expect(checkPlan(g, moved(plan, v, { ...plan.placement.get(v)!, offset: plan.arenaBytes })).map((x) => x.rule)).toEqual(['bounds']);
  });

  it('catches samples of a batch that overlap one another', () => {
    const g = tinyDenseNet();
    const plan = planMemory(g, { batch: 2 });
    const v = g.nodes[0].output;
    const p = plan.placement.get(v)!;
    expect(checkPlan(g, moved(plan, v, { ...p, sampleStride: p.elements - 1 })).map((x) => x.rule)).toContain('bounds');
  });
});
