// What a pass is, and the one way a rewrite rule runs: match, check, rewrite.
//
// A pass is a named pure function Graph -> { graph, changed }. It never changes its input: a
// rule pass works on its own copy (cloneGraph) and returns the input itself when nothing fired.
// Parameter tensors are shared between the copies, so a rewrite makes new Tensors and never
// writes into the `data` of an existing one.
import type { Graph, Node, NodeInfo, Op, Tensor, Value } from '../ir/graph.js';
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
 * Undefined data stays undefined.
 */
export function sliceRows(t: Tensor, rows: number, from: number, to: number, shape: readonly number[]): Tensor {
  const d = t.data;
  if (d === undefined) return { shape, data: undefined };
  const width = d.length / rows;
  const n = to - from;
  const out = new Float32Array(rows * n);
  // A plain loop: the rows are short (a conv's input channels), and a subarray per row costs more.
  for (let r = 0, src = from, dst = 0; r < rows; r++, src += width - n) for (let j = 0; j < n; j++) out[dst++] = d[src++];
  return { shape, data: out };
}
