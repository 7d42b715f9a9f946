import { describe, expect, it } from 'vitest';
import { maxParts, splitBottleneck, splitBottleneckAll } from '../../src/passes/split-bottleneck.js';
import type { OpOf, Value } from '../../src/ir/graph.js';
import { graphCounts } from '../../src/ir/counts.js';
import { Builder, randomInput } from './helpers/build.js';
import { closeness, run } from './helpers/interpret.js';
import { runChecked, structure } from './helpers/checked.js';

/** The composite H (BN-ReLU-conv) on `x`, as fuse-bn-relu-conv leaves it. */
function composite(b: Builder, x: Value, k: number, out: number, scope?: string): Value {
  const c = x.shape[0];
  const conv = b.convParams(c, { k, pad: (k - 1) / 2, out, bias: k === 1 });
  return b.node({ kind: 'bnReluConv', bn: b.bnParams(c), conv }, [x], scope);
}

/** A dense block in the -O2 form before this pass: bottleneck layers on a chain of two-input Concats. */
function block(layers: number) {
  const b = new Builder([4, 5, 5], 13);
  let input: Value = b.input;
  let features: Value | undefined;
  for (let l = 1; l <= layers; l++) {
    if (features) input = b.concat([input, features], `features.denseblock1.denselayer${l}.concat`);
    const bottleneck = composite(b, input, 1, 6, `features.denseblock1.denselayer${l}.conv1`);
    features = b.conv(b.relu(bottleneck), { k: 3, pad: 1, out: 2 });
  }
  b.concat([input, features!], 'features.denseblock1.concat');
  return b;
}

/** A dense block in the `none` form before split-bottleneck-all: each layer reads one Concat of all earlier features. */
function blockOfAll(layers: number, bottleneck: boolean) {
  const b = new Builder([4, 5, 5], 17);
  const features: Value[] = [b.input];
  for (let l = 1; l <= layers; l++) {
    const input = features.length === 1 ? features[0] : b.concat([...features], `features.denseblock1.denselayer${l}.concat`);
    const scope = `features.denseblock1.denselayer${l}.conv1`;
    features.push(bottleneck ? b.conv(b.relu(composite(b, input, 1, 6, scope)), { k: 3, pad: 1, out: 2 }) : composite(b, input, 3, 2, scope));
  }
  b.concat(features, 'features.denseblock1.concat');
  return b;
}

describe('split-bottleneck', () => {
  it(`splits layers whose concat has at most ${maxParts} inputs and materialises every third link`, () => {
    const { graph, changed, refusals } = runChecked(splitBottleneck, block(5).g);
    expect(changed).toBe(true);
    expect(structure(graph)).toEqual([
      '%0 = bnReluConv(%in) [6,5,5] dense_block_1',
      '%1 = relu(%0) [6,5,5] dense_block_1',
      '%2 = conv(%1) [2,5,5] dense_block_1',
      // layer 2: input [in, f1] never materialised
      '%3 = bnReluConv(%in) [6,5,5] dense_block_1',
      '%4 = bnReluConv(%2) [6,5,5] dense_block_1',
      '%5 = add(%3, %4) [6,5,5] dense_block_1',
      '%6 = relu(%5) [6,5,5] dense_block_1',
      '%7 = conv(%6) [2,5,5] dense_block_1',
      // layer 3: input [in, f1, f2] neither
      '%8 = bnReluConv(%in) [6,5,5] dense_block_1',
      '%9 = bnReluConv(%2) [6,5,5] dense_block_1',
      '%10 = add(%8, %9) [6,5,5] dense_block_1',
      '%11 = bnReluConv(%7) [6,5,5] dense_block_1',
      '%12 = add(%10, %11) [6,5,5] dense_block_1',
      '%13 = relu(%12) [6,5,5] dense_block_1',
      '%14 = conv(%13) [2,5,5] dense_block_1',
      // layer 4 reads one materialised concat of four parts
      '%15 = concat(%in, %2, %7, %14) [10,5,5] dense_block_1',
      '%16 = bnReluConv(%15) [6,5,5] dense_block_1',
      '%17 = relu(%16) [6,5,5] dense_block_1',
      '%18 = conv(%17) [2,5,5] dense_block_1',
      // layer 5 splits again, and the block's output concat takes its parts
      '%19 = bnReluConv(%15) [6,5,5] dense_block_1',
      '%20 = bnReluConv(%18) [6,5,5] dense_block_1',
      '%21 = add(%19, %20) [6,5,5] dense_block_1',
      '%22 = relu(%21) [6,5,5] dense_block_1',
      '%23 = conv(%22) [2,5,5] dense_block_1',
      '%24 = concat(%15, %18, %23) [14,5,5] dense_block_1',
      'out %24',
    ]);
    expect(refusals).toEqual([{ scope: 'features.denseblock1.denselayer4.conv1', reason: 'the concat has 4 inputs, more than 3: it stays materialised' }]);
  });

  it('gives each part its channels of the BN and the weight, and the bias to the first part only', () => {
    const before = block(2).g;
    const { graph } = runChecked(splitBottleneck, before);
    const whole = before.nodes.find((n) => n.scope === 'features.denseblock1.denselayer2.conv1')!.op as OpOf<'bnReluConv'>;
    const [p0, p1] = ['part0', 'part1'].map((p) => graph.nodes.find((n) => n.scope === `features.denseblock1.denselayer2.conv1.${p}`)!.op as OpOf<'bnReluConv'>);
    expect([...p1.bn.mean.data!]).toEqual([...whole.bn.mean.data!.slice(4, 6)]);
    expect(p1.conv.weight.shape).toEqual([6, 2, 1, 1]);
    expect(p1.conv.weight.data![1 * 2 + 0]).toBe(whole.conv.weight.data![1 * 6 + 4]); // out 1: its channel 0 is channel 4 of 6
    expect(p0.conv.bias).toBe(whole.conv.bias);
    expect(p1.conv.bias).toBeUndefined();
  });

  it('changes neither values (up to rounding) nor counts', () => {
    const before = block(6).g;
    const { graph } = runChecked(splitBottleneck, before);
    const input = randomInput(before);
    expect(closeness(run(graph, input), run(before, input))).toBeLessThan(1e-3);
    expect(graphCounts(graph).total).toEqual(graphCounts(before).total);
  });

  describe('refuses', () => {
    it('when the conv is not 1x1', () => {
      const b = new Builder([4, 5, 5]);
      composite(b, b.concat([b.input, b.relu(b.input)]), 3, 2);
      const { changed, refusals } = runChecked(splitBottleneck, b.g);
      expect(changed).toBe(false);
      expect(refusals.map((r) => r.reason)).toEqual(['the conv is 3x3, not 1x1']);
    });

    it(`when the concat has more than ${maxParts} inputs`, () => {
      const b = new Builder([4, 5, 5]);
      composite(b, b.concat([b.input, b.relu(b.input), b.relu(b.input), b.relu(b.input)]), 1, 2);
      const { changed, refusals } = runChecked(splitBottleneck, b.g);
      expect(changed).toBe(false);
      expect(refusals.map((r) => r.reason)).toEqual(['the concat has 4 inputs, more than 3: it stays materialised']);
    });

    // split-bottleneck-all (the none form) refuses it too, whatever the kernel.
    for (const [pass, k] of [[splitBottleneck, 1], [splitBottleneckAll, 3]] as const) {
      it(`when the concat output has a user that is not a concat (${pass.name}, ${k}x${k})`, () => {
        const b = new Builder([4, 5, 5]);
        const x = b.concat([b.input, b.relu(b.input)]);
        const h = composite(b, x, k, 2);
        b.concat([b.relu(x), h]);
        const { changed, refusals } = runChecked(pass, b.g);
        expect(changed).toBe(false);
        expect(refusals.map((r) => r.reason)).toEqual(['the concat output has a user that is not a concat']);
      });
    }

    it('when the concat is the output of its stage', () => {
      const b = new Builder([4, 5, 5], 1, ['dense_block_1', 'transition_1']);
      const x = b.concat([b.input, b.relu(b.input)]);
      composite(b.at('transition_1'), x, 1, 2);
      const { changed, refusals } = runChecked(splitBottleneck, b.g);
      expect(changed).toBe(false);
      expect(refusals.map((r) => r.reason)).toEqual(['the concat is the output of its stage']);
    });
  });

  describe('-all (the none form)', () => {
    for (const bottleneck of [true, false]) {
      it(`splits every layer whatever its parts${bottleneck ? '' : ', 3x3 convs too'}: only the block output's concat is left, values and counts unchanged`, () => {
        const before = blockOfAll(7, bottleneck).g;
        const { graph, changed, refusals } = runChecked(splitBottleneckAll, before);
        expect(changed).toBe(true);
        expect(refusals).toEqual([]);
        expect(graph.nodes.filter((n) => n.op.kind === 'concat').map((n) => n.inputs.length)).toEqual([8]);
        const layer7 = graph.nodes.filter((n) => n.scope.startsWith('features.denseblock1.denselayer7.conv1.part'));
        expect(layer7.map((n) => n.inputs[0].shape[0])).toEqual([4, 2, 2, 2, 2, 2, 2]);
        const input = randomInput(before);
        expect(closeness(run(graph, input), run(before, input))).toBeLessThan(1e-3);
        expect(graphCounts(graph).total).toEqual(graphCounts(before).total);
      });
    }
  });
});
