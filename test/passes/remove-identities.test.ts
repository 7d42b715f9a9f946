import { describe, expect, it } from 'vitest';
import { removeIdentities } from '../../src/passes/remove-identities.js';
import { Builder, kinds, randomInput } from './helpers/build.js';
import { closeness, run } from './helpers/interpret.js';
import { runChecked, structure } from './helpers/checked.js';

describe('remove-identities', () => {
  it('removes dropout after a conv', () => {
    const b = new Builder([4, 6, 6]);
    b.relu(b.dropout(b.conv(b.input, { out: 4 })));
    const { graph, changed } = runChecked(removeIdentities, b.g);
    expect(changed).toBe(true);
    const e = new Builder([4, 6, 6]);
    e.relu(e.conv(e.input, { out: 4 }));
    expect(structure(graph)).toEqual(structure(e.g));
    expect(closeness(run(graph, randomInput(b.g)), run(b.g, randomInput(b.g)))).toBe(0);
  });

  it('moves the graph output when the identity produced it', () => {
    const b = new Builder([4, 6, 6]);
    b.dropout(b.relu(b.input));
    const { graph } = runChecked(removeIdentities, b.g);
    expect(structure(graph)).toEqual(['%0 = relu(%in) [4,6,6] dense_block_1', 'out %0']);
  });

  it('removes a one-input concat and 1x1 pools with stride 1', () => {
    const b = new Builder([4, 6, 6]);
    b.relu(b.pool('avgpool', b.pool('maxpool', b.concat([b.input]), 1), 1));
    const { graph } = runChecked(removeIdentities, b.g);
    expect(kinds(graph)).toEqual(['relu']);
  });

  it('keeps pools that are not identities', () => {
    const b = new Builder([4, 6, 6]);
    b.pool('maxpool', b.pool('avgpool', b.pool('maxpool', b.input, 1, 2), 2, 1), 1, 1, 0);
    const { graph } = runChecked(removeIdentities, b.g);
    expect(kinds(graph)).toEqual(['maxpool', 'avgpool']);
  });

  it('leaves a graph without identities as it is', () => {
    const b = new Builder([4, 6, 6]);
    b.concat([b.input, b.relu(b.input)]);
    const { graph, changed, refusals } = runChecked(removeIdentities, b.g);
    expect(changed).toBe(false);
    expect(graph).toBe(b.g);
    expect(refusals).toEqual([]);
  });
});
