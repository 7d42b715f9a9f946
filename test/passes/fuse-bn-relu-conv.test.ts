import { describe, expect, it } from 'vitest';
import { fuseBnReluConv } from '../../src/passes/fuse-bn-relu-conv.js';
import type { OpOf } from '../../src/ir/graph.js';
import { graphCounts } from '../../src/ir/counts.js';
import { Builder, randomInput } from './helpers/build.js';
import { closeness, run } from './helpers/interpret.js';
import { runChecked, structure } from './helpers/checked.js';

/** A dense layer without bottleneck: concat -> BN -> ReLU -> 3x3 conv, concatenated on. */
function layer() {
  const b = new Builder([6, 5, 5], 9);
  const x = b.concat([b.input, b.relu(b.input)]);
  const bn = b.bn(x, 'features.denseblock1.denselayer1.norm1');
  const relu = b.relu(bn, 'features.denseblock1.denselayer1.relu1');
  const f = b.conv(relu, { k: 3, pad: 1, out: 4 }, 'features.denseblock1.denselayer1.conv1');
  b.concat([x, f]);
  return { b, bn, relu };
}

describe('fuse-bn-relu-conv', () => {
  it('makes one bnReluConv node carrying both parameter sets, named after the conv', () => {
    const before = layer().b.g;
    const { graph, changed } = runChecked(fuseBnReluConv, before);
    expect(changed).toBe(true);
    expect(structure(graph)).toEqual([
      '%0 = relu(%in) [6,5,5] dense_block_1',
      '%1 = concat(%in, %0) [12,5,5] dense_block_1',
      '%2 = bnReluConv(%1) [4,5,5] dense_block_1',
      '%3 = concat(%1, %2) [16,5,5] dense_block_1',
      'out %3',
    ]);
    const fused = graph.nodes[2];
    expect(fused.scope).toBe('features.denseblock1.denselayer1.conv1');
    const op = fused.op as OpOf<'bnReluConv'>;
    expect(op.bn.gamma).toBe((before.nodes[2].op as OpOf<'batchnorm'>).gamma);
    expect(op.conv.weight).toBe((before.nodes[4].op as OpOf<'conv'>).weight);
  });

  it('changes neither values nor counts', () => {
    const before = layer().b.g;
    const { graph } = runChecked(fuseBnReluConv, before);
    const input = randomInput(before);
    expect(closeness(run(graph, input), run(before, input))).toBe(0);
    expect(graphCounts(graph).total).toEqual(graphCounts(before).total);
  });

  describe('refuses', () => {
    it('when the batchnorm output has another user', () => {
      const { b, bn } = layer();
      b.concat([b.g.output, bn]);
      const { changed, refusals } = runChecked(fuseBnReluConv, b.g);
      expect(changed).toBe(false);
      expect(refusals.map((r) => r.reason)).toEqual(['the batchnorm output has another user']);
    });

    it('when the relu output has another user', () => {
      const { b, relu } = layer();
      b.concat([b.g.output, relu]);
      const { changed, refusals } = runChecked(fuseBnReluConv, b.g);
      expect(changed).toBe(false);
      expect(refusals.map((r) => r.reason)).toEqual(['the relu output has another user']);
    });
  });
});
