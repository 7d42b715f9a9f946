import { describe, expect, it } from 'vitest';
import { maxpoolBeforeRelu } from '../../src/passes/maxpool-before-relu.js';
import { stageOutput } from '../../src/ir/graph.js';
import { Builder, randomInput } from './helpers/build.js';
import { closeness, evaluate, run } from './helpers/interpret.js';
import { runChecked, structure } from './helpers/checked.js';

/** The stem: conv, relu, 3x3/2 pad 1 pool (the BN already folded). */
function stem(pool: 'maxpool' | 'avgpool' = 'maxpool') {
  const b = new Builder([3, 16, 16], 5, ['convolution', 'pooling', 'dense_block_1']);
  b.at('convolution');
  const r = b.relu(b.conv(b.input, { k: 7, stride: 2, pad: 3, out: 4, bias: true }));
  b.at('pooling');
  b.pool(pool, r, 3, 2, 1);
  return { b, relu: r };
}

describe('maxpool-before-relu', () => {
  it('pools first, the relu joining the pooling stage', () => {
    const before = stem().b.g;
    const { graph, changed } = runChecked(maxpoolBeforeRelu, before);
    expect(changed).toBe(true);
    const e = new Builder([3, 16, 16], 5, ['convolution', 'pooling', 'dense_block_1']);
    e.at('convolution');
    const c = e.conv(e.input, { k: 7, stride: 2, pad: 3, out: 4, bias: true });
    e.at('pooling');
    e.relu(e.pool('maxpool', c, 3, 2, 1));
    expect(structure(graph)).toEqual(structure(e.g));
  });

  it('is exact, padding included, and the pooling stage ends with the same value', () => {
    const before = stem().b.g;
    const { graph } = runChecked(maxpoolBeforeRelu, before);
    const input = randomInput(before);
    expect(closeness(run(graph, input), run(before, input))).toBe(0);
    const a = evaluate(graph, input).get(stageOutput(graph, 'pooling')!)!;
    const b = evaluate(before, input).get(stageOutput(before, 'pooling')!)!;
    expect(a).toEqual(b);
    expect(stageOutput(graph, 'convolution')!.shape).toEqual(stageOutput(before, 'convolution')!.shape);
  });

  describe('refuses', () => {
    it('an average pool', () => {
      const { changed, refusals } = runChecked(maxpoolBeforeRelu, stem('avgpool').b.g);
      expect(changed).toBe(false);
      expect(refusals.map((r) => r.reason)).toEqual(['the pool is an average pool, which does not commute with relu']);
    });

    it('a relu whose output has another user', () => {
      const { b, relu } = stem();
      const pooled = b.g.output;
      b.concat([b.pool('maxpool', relu, 3, 2, 1), pooled]);
      const { changed, refusals } = runChecked(maxpoolBeforeRelu, b.g);
      expect(changed).toBe(false);
      expect(refusals.map((r) => r.reason)).toEqual(['the relu output has another user', 'the relu output has another user']);
    });
  });
});
