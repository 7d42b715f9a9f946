// What a pass is, and the one way a rewrite rule runs: match, check, rewrite.
//
// A pass is a named pure function Graph -> { graph, changed }. It never changes its input: a
// rule pass works on its own copy (cloneGraph) and returns the input itself when nothing fired.
// Parameter tensors are shared between the copies, so a rewrite makes new Tensors and never
// writes into the `data` of an existing one, except under OptimizeOptions.consumeWeights, where
// the input graph's weights are given up (folded into, regrouped in place by splitColumns).
import type { Graph, Node, NodeInfo, Op, Tensor, Value } from '../ir/graph.js';
import { columnsOf } from '../ir/deferred.js';
import { cloneGraph } from '../ir/graph.js';

/** A place where a rule matched but refused to fire, and why (shown by `--explain`). */
export interface Refusal {
  readonly scope: string;
  readonly reason: string;
}

export interface PassResult {
  readonly graph: Graph;
  readonly changed: boolean;
  readonly refusals: readonly Refusal[];
}

export interface Pass {
  readonly name: string;
  readonly run: (g: Graph) => PassResult;
}

/**
 * A local rewrite in three steps. `match` recognises the structure around one anchor node,
 * `check` returns the reason the rewrite would not be exact (undefined when it applies), and
 * `rewrite` performs it on the pass's own copy of the graph.
 */
export interface Rule<M> {
  readonly name: string;
  readonly match: (node: Node, g: Graph) => M | undefined;
  readonly check: (m: M, g: Graph) => string | undefined;
  readonly rewrite: (m: M, g: Graph) => void;
}

/** Runs a rule once over every node, in order, on a copy of the graph. */
export function rulePass<M>(rule: Rule<M>): Pass {
  const run = (input: Graph): PassResult => {
    const g = cloneGraph(input);
    const refusals: Refusal[] = [];
    let changed = false;
    for (const node of [...g.nodes]) {
      if (!g.nodes.includes(node)) continue; // removed by an earlier rewrite
      const m = rule.match(node, g);
      if (m === undefined) continue;
      const reason = rule.check(m, g);
      if (reason !== undefined) {
        refusals.push({ scope: node.scope, reason });
        continue;
      }
      rule.rewrite(m, g);
      changed = true;
    }
    return { graph: changed ? g : input, changed, refusals };
  };
  return { name: rule.name, run };
}

// Small helpers shared by the rules.

/** The node that produced `v` when it is of kind `kind`. */
export function producedBy<K extends Op['kind']>(v: Value, kind: K): (Node & { op: Extract<Op, { kind: K }> }) | undefined {
  const p = v.producer;
  return p !== undefined && p.op.kind === kind ? (p as Node & { op: Extract<Op, { kind: K }> }) : undefined;
}

/** True when `v` feeds exactly one node and is not the graph's output. */
export function hasSoleUser(g: Graph, v: Value): boolean {
  return v.users.length === 1 && g.output !== v;
}

export function infoOf(n: Node): NodeInfo {
  return { span: n.span, scope: n.scope, stage: n.stage };
}

/** Points `node` at new inputs, keeping the users lists of old and new inputs right. */
export function setInputs(node: Node, inputs: Value[]): void {
  for (const v of node.inputs) v.users = v.users.filter((u) => u !== node);
  node.inputs = [...inputs];
  for (const v of node.inputs) if (!v.users.includes(node)) v.users.push(node);
}

export function isPair(p: readonly [number, number], a: number, b: number = a): boolean {
  return p[0] === a && p[1] === b;
}

/**
 * Columns [from, to) of every row of a tensor seen as `rows` rows, as a new tensor of `shape`:
 * the channel slice of a per-channel vector (rows 1) or the input-channel slice of a weight.
 * Undefined data stays undefined; a deferred weight's slice is deferred too (taken when written).
 */
export function sliceRows(t: Tensor, rows: number, from: number, to: number, shape: readonly number[]): Tensor {
  if (t.deferred) return { shape, data: undefined, deferred: columnsOf(t.deferred, rows, from, to) };
  const d = t.data;
  if (d === undefined) return { shape, data: undefined };
  const width = d.length / rows;
  const n = to - from;
  const out = new Float32Array(rows * n);
  if (rows === 1) out.set(d.subarray(from, to));
  else for (let r = 0; r < rows; r++) out.set(d.subarray(r * width + from, r * width + to), r * n);
  return { shape, data: out };
}

/** Where each of `parts` (a Concat's inputs, [C, ...] each) starts along the channels, then the total: [0, c1, c1 + c2, ...]. */
export function channelBounds(parts: readonly Value[]): number[] {
  const bounds = [0];
  for (const p of parts) bounds.push(bounds[bounds.length - 1] + p.shape[0]);
  return bounds;
}

/**
 * A tensor seen as `rows` rows cut into consecutive column ranges (`bounds`: 0 = b0 < b1 < ... =
 * the row width), part i of shape `shapes[i]`: sliceRows of each range. With `consume` the tensor
 * is being released (OptimizeOptions.consumeWeights): its buffer is regrouped in place, part
 * after part, and the parts are views of it, so that splitting touches no new memory (on a
 * virtual machine a first touch costs more than the copy: 10 to 20 us a page here).
 */
export function splitColumns(t: Tensor, rows: number, bounds: readonly number[], shapes: readonly (readonly number[])[], consume: boolean): Tensor[] {
  const d = t.data;
  const ranges = shapes.map((shape, i) => ({ shape, from: bounds[i], to: bounds[i + 1] }));
  if (d === undefined || !consume) return ranges.map(({ shape, from, to }) => sliceRows(t, rows, from, to, shape));
  const width = d.length / rows;
  if (rows > 1) {
    // The later parts' columns go to a scratch copy; the first part's move forward in place
    // (copyWithin is a memmove), then the later parts are written after it.
    const [first, ...rest] = ranges;
    const n0 = first.to - first.from;
    const copy = scratchOf(rows * (width - n0));
    for (let r = 0, at = 0; r < rows; r++, at += width - n0) copy.set(d.subarray(r * width + n0, (r + 1) * width), at);
    for (let r = 0; r < rows; r++) d.copyWithin(r * n0, r * width, r * width + n0);
    let at = rows * n0;
    for (const { from, to } of rest) for (let r = 0; r < rows; r++, at += to - from) d.set(copy.subarray(r * (width - n0) + from - n0, r * (width - n0) + to - n0), at);
  }
  return ranges.map(({ shape, from, to }) => ({ shape, data: d.subarray(rows * from, rows * to) }));
}

// One scratch buffer for splitColumns, grown as needed (to the largest later parts of one
// tensor): a new one per tensor would be new memory.
let scratch = new Float32Array(0);
function scratchOf(n: number): Float32Array {
  if (scratch.length < n) scratch = new Float32Array(n);
  return scratch.subarray(0, n);
}
