import { describe, expect, it } from 'vitest';
import { chainConcat } from '../../src/passes/chain-concat.js';
import type { Value } from '../../src/ir/graph.js';
import { Builder, randomInput } from './helpers/build.js';
import { closeness, run } from './helpers/interpret.js';
import { runChecked, structure } from './helpers/checked.js';

/** A dense block of `layers` layers (BN-ReLU-Conv3x3, growth 2), torchvision's concat form. */
function block(layers: number) {
  const b = new Builder([4, 5, 5], 11);
  const features: Value[] = [b.input];
  for (let l = 0; l < layers; l++) {
    const x = features.length === 1 ? features[0] : b.concat([...features]);
    features.push(b.conv(b.relu(b.bn(x)), { k: 3, pad: 1, out: 2 }));
  }
  b.concat(features);
  return b;
}

describe('chain-concat', () => {
  it('makes each layer input the previous input plus the newest features', () => {
    const before = block(4).g;
    const { graph, changed } = runChecked(chainConcat, before);
    expect(changed).toBe(true);
    expect(structure(graph).filter((l) => l.includes('concat'))).toEqual([
      '%3 = concat(%in, %2) [6,5,5] dense_block_1',
      '%7 = concat(%3, %6) [8,5,5] dense_block_1',
      '%11 = concat(%7, %10) [10,5,5] dense_block_1',
      '%15 = concat(%11, %14) [12,5,5] dense_block_1',
    ]);
  });

  it('is exact', () => {
    const before = block(5).g;
    const { graph } = runChecked(chainConcat, before);
    const input = randomInput(before);
    expect(closeness(run(graph, input), run(before, input))).toBe(0);
  });

  it('takes the longest earlier prefix', () => {
    const b = new Builder([2, 3, 3]);
    const [x, y] = [b.relu(b.input), b.relu(b.input)];
    const u = b.relu(b.concat([x, y]));
    const v = b.relu(b.concat([x, y, u]));
    b.concat([x, y, u, v]);
    const { graph } = runChecked(chainConcat, b.g);
    expect(structure(graph).filter((l) => l.includes('concat'))).toEqual([
      '%2 = concat(%0, %1) [4,3,3] dense_block_1',
      '%4 = concat(%2, %3) [8,3,3] dense_block_1',
      '%6 = concat(%4, %5) [16,3,3] dense_block_1',
    ]);
  });

  describe('refuses', () => {
    it('when no earlier concat computes a prefix of its inputs', () => {
      const b = new Builder([2, 3, 3]);
      const [x, y, z] = [b.relu(b.input), b.relu(b.input), b.relu(b.input)];
      const u = b.relu(b.concat([y, z]));
      b.concat([x, y, u]);
      const { changed, refusals } = runChecked(chainConcat, b.g);
      expect(changed).toBe(false);
      expect(refusals.map((r) => r.reason)).toEqual(['no earlier concat computes a prefix of its inputs']);
    });

    it('when the only such concat comes after it', () => {
      const b = new Builder([2, 3, 3]);
      const [x, y, z] = [b.relu(b.input), b.relu(b.input), b.relu(b.input)];
      const u = b.relu(b.concat([x, y, z]));
      b.concat([b.concat([x, y]), u]);
      const { changed, refusals } = runChecked(chainConcat, b.g);
      expect(changed).toBe(false);
      expect(refusals.map((r) => r.reason)).toEqual(['no earlier concat computes a prefix of its inputs']);
    });
  });
});
