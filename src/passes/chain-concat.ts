// Dense blocks as a chain of two-input Concats:
//   x_l = Concat(x0, f1, ..., f(l-1))  ==>  x_l = Concat(x_(l-1), f(l-1))
// where x_(l-1) = Concat(x0, ..., f(l-2)) is the previous layer's input, already computed.
// Exact: concatenation is associative; the values are copied, never computed.
// In general a Concat whose inputs (read through nested Concats) begin with all the inputs of
// an earlier Concat reads that Concat's output instead of those leading inputs; the longest
// such earlier Concat is taken. Refuses when no earlier Concat computes such a prefix.
import type { Graph, Node, OpOf, Value } from '../ir/graph.js';
import type { Pass, PassResult, Rule } from './pass.js';
import { rulePass, setInputs } from './pass.js';

interface Match {
  readonly concat: Node & { op: OpOf<'concat'> };
  /** The longest earlier Concat whose inputs lead this one's, if any. */
  readonly prefix: Node | undefined;
}

/** The values a Concat's output is made of, in order, seen through nested Concats. */
function parts(v: Value, memo: Map<Value, readonly Value[]>): readonly Value[] {
  const known = memo.get(v);
  if (known) return known;
  const p = v.producer;
  const result = p !== undefined && p.op.kind === 'concat' ? p.inputs.flatMap((x) => parts(x, memo)) : [v];
  memo.set(v, result);
  return result;
}

function startsWith(xs: readonly Value[], prefix: readonly Value[]): boolean {
  return prefix.length < xs.length && prefix.every((v, i) => xs[i] === v);
}

function makeRule(): Rule<Match> {
  const memo = new Map<Value, readonly Value[]>();
  const match = (node: Node, g: Graph): Match | undefined => {
    if (node.op.kind !== 'concat' || node.inputs.length < 3) return undefined;
    const mine = parts(node.output, memo);
    let prefix: Node | undefined;
    for (const other of g.nodes) {
      if (other === node) break; // only Concats computed before this one
      if (other.op.kind !== 'concat') continue;
      const theirs = parts(other.output, memo);
      if (theirs.length >= 2 && startsWith(mine, theirs) && theirs.length > (prefix ? parts(prefix.output, memo).length : 0)) prefix = other;
    }
    return { concat: node as Match['concat'], prefix };
  };
  const check = ({ prefix }: Match): string | undefined =>
    prefix === undefined ? 'no earlier concat computes a prefix of its inputs' : undefined;
  const rewrite = ({ concat, prefix }: Match): void => {
    const mine = parts(concat.output, memo);
    setInputs(concat, [prefix!.output, ...mine.slice(parts(prefix!.output, memo).length)]);
  };
  return { name: 'chain-concat', match, check, rewrite };
}

/** A fresh rule per run: the memo of Concat parts belongs to one graph. */
export const chainConcat: Pass = {
  name: 'chain-concat',
  run: (g): PassResult => rulePass<Match>(makeRule()).run(g),
};
