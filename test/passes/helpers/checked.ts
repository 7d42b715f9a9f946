// Runs a pass the way every pass test does: on a graph that must not change, followed by the IR
// invariants checker, with the result's structure as text for before/expected comparisons.
import { expect } from 'vitest';
import type { Graph, Value } from '../../../src/ir/graph.js';
import type { Pass, PassResult } from '../../../src/passes/pass.js';
import { checkInvariants } from '../../../src/ir/invariants.js';

/** One line per node: `%2 = conv(%1) [8,4,4] transition_1`, values numbered by position. */
export function structure(g: Graph): string[] {
  const names = new Map<Value, string>([[g.input, '%in']]);
  const lines = g.nodes.map((n, i) => {
    names.set(n.output, `%${i}`);
    return `%${i} = ${n.op.kind}(${n.inputs.map((v) => names.get(v) ?? '?').join(', ')}) [${n.output.shape.join(',')}] ${n.stage}`;
  });
  return [...lines, `out ${names.get(g.output)}`];
}

export function expectWellFormed(g: Graph): void {
  expect(checkInvariants(g)).toEqual([]);
}

/** Runs `pass` on `g`, checks that `g` is untouched and that both graphs are well formed. */
export function runChecked(pass: Pass, g: Graph): PassResult {
  expectWellFormed(g);
  const before = structure(g);
  const result = pass.run(g);
  expect(structure(g)).toEqual(before);
  expectWellFormed(result.graph);
  if (!result.changed) expect(result.graph).toBe(g);
  return result;
}
