import { describe, expect, it } from 'vitest';
import { poolBeforeConv } from '../../src/passes/pool-before-conv.js';
import { stageOutput } from '../../src/ir/graph.js';
import { graphCounts } from '../../src/ir/counts.js';
import { Builder, randomInput } from './helpers/build.js';
import { closeness, evaluate, run } from './helpers/interpret.js';
import { runChecked, structure } from './helpers/checked.js';

interface TransitionOptions {
  readonly pool?: 'avgpool' | 'maxpool';
  readonly poolPad?: number;
  readonly k?: number;
  readonly stride?: number;
  readonly pad?: number;
  readonly bias?: boolean;
}

/** A dense block's output, then BN-ReLU-Conv-Pool as a transition, then one more node. */
function transition(o: TransitionOptions = {}) {
  const b = new Builder([8, 8, 8], 3, ['dense_block_1', 'transition_1', 'dense_block_2']);
  b.at('dense_block_1');
  const x = b.relu(b.input);
  b.at('transition_1');
  const c = b.conv(b.relu(b.bn(x)), { k: o.k ?? 1, stride: o.stride, pad: o.pad, out: 4, bias: o.bias });
  const p = b.pool(o.pool ?? 'avgpool', c, 2, 2, o.poolPad ?? 0);
  b.at('dense_block_2');
  b.relu(p);
  return { b, conv: c };
}

describe('pool-before-conv', () => {
  it('moves the average pool before the 1x1 conv of a transition', () => {
    const before = transition().b.g;
    const { graph, changed } = runChecked(poolBeforeConv, before);
    expect(changed).toBe(true);
    const e = new Builder([8, 8, 8], 3, ['dense_block_1', 'transition_1', 'dense_block_2']);
    e.at('dense_block_1');
    const x = e.relu(e.input);
    e.at('transition_1');
    const c = e.conv(e.pool('avgpool', e.relu(e.bn(x)), 2), { out: 4 });
    e.at('dense_block_2');
    e.relu(c);
    expect(structure(graph)).toEqual(structure(e.g));
  });

  it('keeps the values exact, the transition output included', () => {
    const before = transition({ bias: true }).b.g;
    const { graph } = runChecked(poolBeforeConv, before);
    const input = randomInput(before);
    expect(closeness(run(graph, input), run(before, input))).toBeLessThanOrEqual(1);
    const a = evaluate(graph, input).get(stageOutput(graph, 'transition_1')!)!;
    const b = evaluate(before, input).get(stageOutput(before, 'transition_1')!)!;
    expect(closeness(a, b)).toBeLessThanOrEqual(1);
  });

  it('divides the conv MACs by the pool area', () => {
    const before = transition().b.g;
    const { graph } = runChecked(poolBeforeConv, before);
    expect(graphCounts(graph).total.macs * 4).toBe(graphCounts(before).total.macs);
  });

  describe('refuses', () => {
    const cases: [string, TransitionOptions, string][] = [
      ['a max pool', { pool: 'maxpool' }, 'the pool is a max pool, which does not commute with a conv'],
      ['a padded pool', { poolPad: 1 }, 'the pool pads its input'],
      ['a 3x3 conv', { k: 3, pad: 1 }, 'the conv is 3x3, not 1x1'],
      ['a strided conv', { stride: 2 }, 'the conv has stride 2x2'],
      ['a padded conv', { pad: 1 }, 'the conv pads its input'],
    ];
    for (const [what, options, reason] of cases) {
      it(`${what}`, () => {
        const { changed, refusals } = runChecked(poolBeforeConv, transition(options).b.g);
        expect(changed).toBe(false);
        expect(refusals.map((r) => r.reason)).toEqual([reason]);
      });
    }

    // Found by the spec generator (test/fuzz/regressions/stem-1x1-conv-then-avgpool.dense).
    it('a conv and a pool in different stages (a stem 1x1 conv, then its pool)', () => {
      const b = new Builder([8, 8, 8], 3, ['convolution', 'pooling', 'dense_block_1']);
      b.at('convolution');
      const c = b.conv(b.input, { k: 1, out: 4 });
      b.at('pooling');
      const p = b.pool('avgpool', c, 2, 1);
      b.at('dense_block_1');
      b.relu(p);
      const { changed, refusals } = runChecked(poolBeforeConv, b.g);
      expect(changed).toBe(false);
      expect(refusals.map((r) => r.reason)).toEqual(['the conv ends the stage `convolution` and the pool is in `pooling`']);
    });

    it('a conv whose output has another user', () => {
      const { b, conv } = transition();
      b.concat([b.g.output, b.pool('avgpool', conv, 2)]);
      const { changed, refusals } = runChecked(poolBeforeConv, b.g);
      expect(changed).toBe(false);
      expect(refusals.map((r) => r.reason)).toEqual(['the conv output has another user', 'the conv output has another user']);
    });

    it('a stem conv 1x1 then an average pool: two stages, whose outputs must not change', () => {
      const b = new Builder([3, 8, 8], 3, ['convolution', 'pooling', 'dense_block_1']);
      b.at('convolution');
      const c = b.conv(b.input, { k: 1, out: 4 });
      b.at('pooling');
      const p = b.pool('avgpool', c, 2);
      b.at('dense_block_1');
      b.relu(p);
      const { changed, refusals, graph } = runChecked(poolBeforeConv, b.g);
      expect(changed).toBe(false);
      expect(refusals.map((r) => r.reason)).toEqual(['the conv ends the stage `convolution` and the pool is in `pooling`']);
      expect(stageOutput(graph, 'convolution')!.shape).toEqual([4, 8, 8]);
    });
  });
});
