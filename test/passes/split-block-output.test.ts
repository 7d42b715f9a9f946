import { describe, expect, it } from 'vitest';
import { splitBlockOutput } from '../../src/passes/split-block-output.js';
import type { OpOf, Value } from '../../src/ir/graph.js';
import { graphCounts } from '../../src/ir/counts.js';
import { Builder, randomInput } from './helpers/build.js';
import { closeness, run } from './helpers/interpret.js';
import { runChecked, structure } from './helpers/checked.js';

const stages = ['dense_block_1', 'transition_1', 'dense_block_2'];

/** A dense block's output, Concat(x, f1, f2) of 4 + 2 + 2 channels, at the end of dense_block_1. */
function blockOutput(b: Builder): Value {
  const f1 = b.conv(b.relu(b.input), { k: 3, pad: 1, out: 2 });
  const f2 = b.conv(b.relu(f1), { k: 3, pad: 1, out: 2 });
  return b.concat([b.input, f1, f2], 'features.denseblock1.concat');
}

/** The -O2 transition after pool-before-conv: BN-ReLU-AvgPool-Conv1x1. */
function transition(): Builder {
  const b = new Builder([4, 6, 6], 17, stages);
  const x = blockOutput(b);
  b.at('transition_1');
  b.conv(b.pool('avgpool', b.relu(b.bn(x, 'features.transition1.norm')), 2), { out: 4 }, 'features.transition1.conv');
  return b;
}

/** The head: BN-ReLU-GlobalAvgPool-Flatten-Linear. */
function head(): Builder {
  const b = new Builder([4, 6, 6], 19, stages);
  const x = blockOutput(b);
  b.at('transition_1');
  b.head(b.relu(b.bn(x, 'features.norm5')), 3);
  return b;
}

describe('split-block-output', () => {
  it('splits a transition over the parts of the block output, the concat gone', () => {
    const { graph, changed, refusals } = runChecked(splitBlockOutput(), transition().g);
    expect(changed).toBe(true);
    expect(refusals).toEqual([]);
    expect(structure(graph).slice(4)).toEqual([
      '%4 = batchnorm(%in) [4,6,6] transition_1',
      '%5 = relu(%4) [4,6,6] transition_1',
      '%6 = avgpool(%5) [4,3,3] transition_1',
      '%7 = conv(%6) [4,3,3] transition_1',
      '%8 = batchnorm(%1) [2,6,6] transition_1',
      '%9 = relu(%8) [2,6,6] transition_1',
      '%10 = avgpool(%9) [2,3,3] transition_1',
      '%11 = conv(%10) [4,3,3] transition_1',
      '%12 = add(%7, %11) [4,3,3] transition_1',
      '%13 = batchnorm(%3) [2,6,6] transition_1',
      '%14 = relu(%13) [2,6,6] transition_1',
      '%15 = avgpool(%14) [2,3,3] transition_1',
      '%16 = conv(%15) [4,3,3] transition_1',
      '%17 = add(%12, %16) [4,3,3] transition_1',
      'out %17',
    ]);
  });

  it('gives each part its channels of the BN and the weight', () => {
    const before = transition().g;
    const { graph } = runChecked(splitBlockOutput(), before);
    const op = (g: typeof graph, scope: string) => g.nodes.find((n) => n.scope === scope)!.op;
    const bn = op(before, 'features.transition1.norm') as OpOf<'batchnorm'>;
    const conv = op(before, 'features.transition1.conv') as OpOf<'conv'>;
    const bn2 = op(graph, 'features.transition1.norm.part2') as OpOf<'batchnorm'>;
    const conv2 = op(graph, 'features.transition1.conv.part2') as OpOf<'conv'>;
    expect([...bn2.var.data!]).toEqual([...bn.var.data!.slice(6, 8)]);
    expect(conv2.weight.shape).toEqual([4, 2, 1, 1]);
    expect(conv2.weight.data![3 * 2 + 1]).toBe(conv.weight.data![3 * 8 + 7]); // out 3: its channel 1 is channel 7 of 8
  });

  it('splits the head, the Linear by the columns of each part, its bias on the first part only', () => {
    const before = head().g;
    const { graph, changed } = runChecked(splitBlockOutput(), before);
    expect(changed).toBe(true);
    const linear = before.nodes.find((n) => n.op.kind === 'linear')!.op as OpOf<'linear'>;
    const parts = graph.nodes.filter((n) => n.op.kind === 'linear').map((n) => n.op as OpOf<'linear'>);
    expect(parts.map((p) => p.weight.shape)).toEqual([[3, 4], [3, 2], [3, 2]]);
    expect(parts.map((p) => p.bias)).toEqual([linear.bias, undefined, undefined]);
    expect(parts[1].weight.data![2 * 2 + 0]).toBe(linear.weight.data![2 * 8 + 4]);
  });

  for (const [name, make] of [['a transition', transition], ['the head', head]] as const) {
    it(`changes neither values (up to rounding) nor counts of ${name}`, () => {
      const before = make().g;
      const { graph } = runChecked(splitBlockOutput(), before);
      const input = randomInput(before);
      expect(closeness(run(graph, input), run(before, input))).toBeLessThan(1e-3);
      expect(graphCounts(graph).total).toEqual(graphCounts(before).total);
    });
  }

  describe('refuses', () => {
    const reasons = (b: Builder, keep = false) => {
      const { changed, refusals } = runChecked(splitBlockOutput(keep), b.g);
      expect(changed).toBe(false);
      return refusals.map((r) => r.reason);
    };

    it('when the chain after the BN ends in something other than a conv or linear', () => {
      const b = new Builder([4, 5, 5], 1, stages);
      b.relu(b.bn(b.concat([b.input, b.relu(b.input)])));
      expect(reasons(b)).toEqual(['the chain after the batchnorm ends in nothing, not a conv or linear']);
    });

    it('when the conv is not 1x1', () => {
      const b = new Builder([4, 5, 5], 1, stages);
      b.conv(b.relu(b.bn(b.concat([b.input, b.relu(b.input)]))), { k: 3, pad: 1, out: 2 });
      expect(reasons(b)).toEqual(['the conv is 3x3, not 1x1']);
    });

    it('when the concat output has another user', () => {
      const b = new Builder([4, 5, 5], 1, stages);
      const x = b.concat([b.input, b.relu(b.input)]);
      const y = b.conv(b.relu(b.bn(x)), { out: 2 });
      b.concat([x, y]);
      expect(reasons(b)).toEqual(['the concat output has another user: it stays materialised']);
    });

    it('when a value along the chain has another user', () => {
      const b = new Builder([4, 5, 5], 1, stages);
      const r = b.relu(b.bn(b.concat([b.input, b.relu(b.input)])));
      b.concat([r, b.conv(r, { out: 2 })]);
      expect(reasons(b)).toEqual(['the relu output has another user']);
    });

    it('when the chain spans more than one stage', () => {
      const b = new Builder([4, 6, 6], 1, stages);
      const x = blockOutput(b);
      const pooled = b.at('transition_1').pool('avgpool', b.relu(b.bn(x)), 2);
      b.at('dense_block_2').conv(pooled, { out: 2 });
      expect(reasons(b)).toEqual(['the chain spans more than one stage']);
    });

    it('when the concat is the output of its stage and the build keeps stage outputs', () => {
      expect(reasons(transition(), true)).toEqual(['the concat is the output of its stage, which this build keeps']);
      expect(reasons(head(), true)).toEqual(['the concat is the output of its stage, which this build keeps']);
    });
  });
});
