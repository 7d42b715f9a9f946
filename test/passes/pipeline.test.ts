import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { concatForms, defaultConcat, optimize, passesFor } from '../../src/passes/pipeline.js';
import { lower } from '../../src/ir/lower.js';
import { initWeights } from '../../src/ir/weights.js';
import type { Graph } from '../../src/ir/graph.js';
import { kinds, randomInput } from './helpers/build.js';
import { closeness, run } from './helpers/interpret.js';
import { expectWellFormed, structure } from './helpers/checked.js';
import { tinyDenseNet } from './helpers/specs.js';

function tiny(): Graph {
  const { graph } = lower(tinyDenseNet());
  initWeights(graph!, { seed: 3, randomBnStats: true });
  return graph!;
}

describe('pipeline', () => {
  it('runs nothing at -O0', () => {
    const g = tiny();
    const { graph, log } = optimize(g, 0);
    expect(graph).toBe(g);
    expect(log).toEqual([]);
  });

  it('runs the exact folds at -O1 and everything at -O2, in order', () => {
    expect(passesFor(1).map((p) => p.name)).toEqual(['remove-identities', 'fold-bn-into-conv']);
    expect(passesFor(2, { concat: 'all' }).map((p) => p.name)).toEqual([
      'remove-identities',
      'fold-bn-into-conv',
      'pool-before-conv',
      'maxpool-before-relu',
      'fuse-bn-relu-conv',
    ]);
    expect(passesFor(2, { concat: 'chain' }).map((p) => p.name).slice(-3)).toEqual(['chain-concat', 'split-bottleneck', 'split-block-output']);
    expect(passesFor(2, { concat: 'none' }).map((p) => p.name).slice(-3)).toEqual(['fuse-bn-relu-conv', 'split-bottleneck-all', 'split-block-output']);
    expect(passesFor(2).map((p) => p.name).includes('chain-concat')).toBe(defaultConcat === 'chain');
  });

  it('keeps every intermediate graph well formed and leaves its input alone', () => {
    const g = tiny();
    const before = structure(g);
    let h = g;
    for (const concat of concatForms) {
      for (const pass of passesFor(2, { concat })) {
        h = pass.run(h).graph;
        expectWellFormed(h);
      }
      h = g;
    }
    expect(structure(g)).toEqual(before);
  });

  for (const level of [1, 2] as const) {
    for (const concat of concatForms) {
      it(`is exact at -O${level} with concat ${concat}`, () => {
        const g = tiny();
        const { graph } = optimize(g, level, { concat });
        const input = randomInput(g);
        expect(closeness(run(graph, input), run(g, input))).toBeLessThanOrEqual(1);
      });
    }
  }

  it('logs each pass with figures that chain from one pass to the next', () => {
    const g = tiny();
    const { log } = optimize(g, 2, { concat: 'chain' });
    expect(log.map((r) => r.changed)).toEqual([true, true, true, true, true, true, true, true]);
    for (let i = 1; i < log.length; i++) expect(log[i].before).toEqual(log[i - 1].after);
    const [identities, fold, pool] = log;
    expect(identities.after.nodes).toBeLessThan(identities.before.nodes);
    expect(fold.after.learnable).toBeLessThan(fold.before.learnable);
    expect(pool.after.macs).toBeLessThan(pool.before.macs);
  });

  it('leaves two BatchNorms outside composites, and says why the transition pool stays after its relu', () => {
    const { graph, log } = optimize(tiny(), 2, { keepStageOutputs: true });
    expect(kinds(graph).filter((k) => k === 'batchnorm')).toHaveLength(2); // the transition's and the head's
    const refused = log.flatMap((r) => r.refusals.map((f) => `${r.name}: ${f.scope}: ${f.reason}`));
    expect(refused).toEqual([
      'maxpool-before-relu: features.transition1.pool: the pool is an average pool, which does not commute with relu',
      'split-block-output: features.transition1.norm: the concat is the output of its stage, which this build keeps',
      'split-block-output: features.norm5: the concat is the output of its stage, which this build keeps',
    ]);
  });

  it('splits those two BatchNorms over the parts of their blocks\' outputs when stage outputs need not stay', () => {
    const { graph } = optimize(tiny(), 2);
    // block 1 ends in Concat(x, f1, f2), block 2 in Concat(t, g1, g2, g3): 3 + 4 parts
    expect(kinds(graph).filter((k) => k === 'batchnorm')).toHaveLength(7);
    expect(graph.nodes.map((n) => n.scope).filter((s) => s.startsWith('features.norm5'))).toEqual([0, 1, 2, 3].map((i) => `features.norm5.part${i}`));
  });

  it('is exact for random small DenseNets at every level and form (property)', () => {
    const config = fc.record({
      blocks: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
      k: fc.integer({ min: 2, max: 4 }),
      size: fc.constantFrom(16, 20, 24),
      dropout: fc.constantFrom(0, 0.2),
      level: fc.constantFrom(1 as const, 2 as const),
      concat: fc.constantFrom(...concatForms),
      keepStageOutputs: fc.boolean(),
      seed: fc.integer({ min: 1, max: 1000 }),
    });
    fc.assert(
      fc.property(config, ({ level, concat, keepStageOutputs, seed, ...shape }) => {
        const g = lower(tinyDenseNet(shape)).graph!;
        initWeights(g, { seed, randomBnStats: true });
        const { graph } = optimize(g, level, { concat, keepStageOutputs });
        expectWellFormed(graph);
        const input = randomInput(g, seed);
        return closeness(run(graph, input), run(g, input)) <= 1;
      }),
      { numRuns: 25 },
    );
  });
});
