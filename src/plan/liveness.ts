// Liveness: when each value is defined and when it is last read, in steps of the node order.
// Step 0 writes the graph input; node i runs at step i + 1; the graph output is read out at the
// final step (nodes + 1). A value occupies memory over the closed interval [def, lastUse]: an
// op's output may not share bytes with its own inputs, which are still being read at its step,
// except an elementwise op's over an input it reads last (views.ts decides, check.ts proves).
import type { Graph, Node, Value } from '../ir/graph.js';

export interface Interval {
  readonly def: number;
  readonly lastUse: number;
}

export interface Liveness {
  /** The step at which each node runs. */
  readonly stepOf: ReadonlyMap<Node, number>;
  readonly interval: ReadonlyMap<Value, Interval>;
  /** nodes + 2: steps are 0 .. steps - 1. */
  readonly steps: number;
  /** Every value: the graph input, then node outputs in order. */
  readonly values: readonly Value[];
}

export function liveness(g: Graph): Liveness {
  const stepOf = new Map<Node, number>();
  g.nodes.forEach((n, i) => stepOf.set(n, i + 1));
  const final = g.nodes.length + 1;
  const values = [g.input, ...g.nodes.map((n) => n.output)];
  const interval = new Map<Value, Interval>();
  for (const v of values) {
    const def = v.producer ? stepOf.get(v.producer)! : 0;
    let lastUse = def;
    for (const u of v.users) lastUse = Math.max(lastUse, stepOf.get(u)!);
    if (v === g.output) lastUse = final;
    interval.set(v, { def, lastUse });
  }
  return { stepOf, interval, steps: final + 1, values };
}

export function overlaps(a: Interval, b: Interval): boolean {
  return a.def <= b.lastUse && b.def <= a.lastUse;
}
