import { describe, expect, it } from 'vitest';
import { foldBnIntoConv, foldedParams } from '../../src/passes/fold-bn-into-conv.js';
import type { OpOf } from '../../src/ir/graph.js';
import { Builder, kinds, randomInput } from './helpers/build.js';
import { closeness, run } from './helpers/interpret.js';
import { runChecked, structure } from './helpers/checked.js';

/** conv -> bn -> relu, the stem's shape. */
function stem(bias = false) {
  const b = new Builder([3, 8, 8]);
  b.relu(b.bn(b.conv(b.input, { k: 3, pad: 1, out: 4, bias })));
  return b;
}

describe('fold-bn-into-conv', () => {
  it('turns conv -> bn into one conv with a bias', () => {
    const before = stem().g;
    const { graph, changed } = runChecked(foldBnIntoConv, before);
    expect(changed).toBe(true);
    const expected = new Builder([3, 8, 8]);
    expected.relu(expected.conv(expected.input, { k: 3, pad: 1, out: 4, bias: true }));
    expect(structure(graph)).toEqual(structure(expected.g));
    expect(closeness(run(graph, randomInput(before)), run(before, randomInput(before)))).toBeLessThanOrEqual(1);
  });

  it('folds into a conv that already has a bias', () => {
    const before = stem(true).g;
    const { graph } = runChecked(foldBnIntoConv, before);
    expect(kinds(graph)).toEqual(['conv', 'relu']);
    expect(closeness(run(graph, randomInput(before)), run(before, randomInput(before)))).toBeLessThanOrEqual(1);
  });

  it('computes in float64 and rounds once', () => {
    const g = stem(true).g;
    const conv = g.nodes[0].op as OpOf<'conv'>;
    const bn = g.nodes[1].op as OpOf<'batchnorm'>;
    const { weight, bias } = foldedParams(conv, bn);
    const s = bn.gamma.data![2] / Math.sqrt(bn.var.data![2] + bn.eps);
    expect(weight.data![2 * 27 + 5]).toBe(Math.fround(conv.weight.data![2 * 27 + 5] * s));
    expect(bias.data![2]).toBe(Math.fround(s * (conv.bias!.data![2] - bn.mean.data![2]) + bn.beta.data![2]));
  });

  it('makes new tensors and leaves the original ones alone', () => {
    const before = stem().g;
    const oldWeight = (before.nodes[0].op as OpOf<'conv'>).weight;
    const copy = Float32Array.from(oldWeight.data!);
    const { graph } = runChecked(foldBnIntoConv, before);
    expect((graph.nodes[0].op as OpOf<'conv'>).weight).not.toBe(oldWeight);
    expect(oldWeight.data).toEqual(copy);
  });

  it('folds a bottleneck conv1 -> norm2 inside a dense layer', () => {
    const b = new Builder([8, 4, 4]);
    const h = b.conv(b.relu(b.bn(b.input)), { out: 16 });
    const f = b.conv(b.relu(b.bn(h)), { k: 3, pad: 1, out: 4 });
    b.concat([b.input, f]);
    const { graph } = runChecked(foldBnIntoConv, b.g);
    expect(kinds(graph)).toEqual(['batchnorm', 'relu', 'conv', 'relu', 'conv', 'concat']);
    expect(closeness(run(graph, randomInput(b.g)), run(b.g, randomInput(b.g)))).toBeLessThanOrEqual(1);
  });

  describe('refuses', () => {
    it('when the conv output has another user', () => {
      const b = new Builder([3, 8, 8]);
      const c = b.conv(b.input, { out: 4 });
      b.concat([b.bn(c), c]);
      const { changed, refusals } = runChecked(foldBnIntoConv, b.g);
      expect(changed).toBe(false);
      expect(refusals.map((r) => r.reason)).toEqual(['the conv output has another user']);
    });

    it('when the parameters have no data', () => {
      const b = stem();
      (b.g.nodes[1].op as OpOf<'batchnorm'>).gamma.data = undefined;
      const { changed, refusals } = runChecked(foldBnIntoConv, b.g);
      expect(changed).toBe(false);
      expect(refusals.map((r) => r.reason)).toEqual(['the parameters have no data (weights not attached)']);
    });

    it('does not match a bn that follows anything but a conv', () => {
      const b = new Builder([3, 8, 8]);
      b.bn(b.relu(b.input));
      const { changed, refusals } = runChecked(foldBnIntoConv, b.g);
      expect(changed).toBe(false);
      expect(refusals).toEqual([]);
    });
  });
});
