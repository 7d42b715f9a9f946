// The IR's well-formedness rules, checked after lowering and, in tests, after every pass.
// Each violation names the rule and the offending node (id, op kind, scope).
//
//  1. Ids: node and value ids are unique, and below `g.nextId`.
//  2. Order: `g.nodes` is topological: every input is the graph input or the output of an
//     earlier node (defined before use); no node appears twice.
//  3. Producers: a node's output names the node as its producer; the graph input has none.
//  4. Users: v.users holds exactly the graph's nodes that read v.
//  5. Arity: concat has at least one input, add exactly two, every other op exactly one.
//  6. Shapes: every dimension is a positive integer, and each output shape equals inferShape of
//     the node's op and input shapes. Spatial ops (conv, pools, bnReluConv) read [C, H, W].
//  7. Parameters: tensor shapes match the op's attributes and input (conv weight
//     [out, in, kh, kw], bias [out]; BatchNorm and affine tensors [C]; linear weight
//     [out, in], bias [out]); attached data has as many elements as the shape.
//  8. Attributes: kernels and strides are positive integers, pads non-negative integers,
//     BatchNorm eps positive, dropout rate in [0, 1).
//  9. Output: `g.output` is the graph input (an empty graph) or the output of a node in the graph.
// 10. No dangling nodes: every node's output is used by another node or is the graph output.
// 11. Stages: names are valid Table 1 stage names and unique; every node's stage is one of
//     `g.stages`; nodes appear in the order of their stages.
// 12. Scopes: nodes that hold parameters have unique scopes (initializer names derive from them).
import { paramTensors } from './counts.js';
import { deferredLength } from './deferred.js';
import { elementCount, exhaustive, type Dims, type Graph, type Node, type Op, type Value } from './graph.js';
import { inferShape } from './shapes.js';
import { isStageName } from './stages.js';

const same = (a: Dims, b: Dims): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
const show = (s: Dims): string => `[${s.join(',')}]`;
const isPosInt = (n: number): boolean => Number.isInteger(n) && n >= 1;
const isNatural = (n: number): boolean => Number.isInteger(n) && n >= 0;

function who(n: Node): string {
  return `node ${n.id} (${n.op.kind}, \`${n.scope}\`)`;
}

/** Every violation of the rules above, as `invariant N: node ... : what is wrong`; empty if well formed. */
export function checkInvariants(g: Graph): string[] {
  const out: string[] = [];
  const fail = (rule: number, n: Node | undefined, what: string) => out.push(`invariant ${rule}: ${n ? `${who(n)}: ` : ''}${what}`);
  const inGraph = new Set(g.nodes);

  // 1. Ids
  const ids = new Set<number>([g.input.id]);
  if (g.input.id >= g.nextId) fail(1, undefined, `graph input id ${g.input.id} is not below nextId ${g.nextId}`);
  for (const n of g.nodes) {
    for (const id of [n.id, n.output.id]) {
      if (ids.has(id)) fail(1, n, `id ${id} is used twice`);
      if (id >= g.nextId) fail(1, n, `id ${id} is not below nextId ${g.nextId}`);
      ids.add(id);
    }
  }

  // 2-6. Order, producers, users, arity, shapes
  const defined = new Set<Value>([g.input]);
  const seen = new Set<Node>();
  if (g.input.producer !== undefined) fail(3, undefined, 'the graph input has a producer');
  for (const n of g.nodes) {
    if (seen.has(n)) fail(2, n, 'appears twice in g.nodes');
    seen.add(n);
    for (const v of n.inputs) {
      if (!defined.has(v)) {
        const late = v.producer && inGraph.has(v.producer);
        fail(2, n, `reads value ${v.id}, which is ${late ? `defined later, by ${who(v.producer!)}` : 'not defined in the graph'}`);
      }
      if (!v.users.includes(n)) fail(4, n, `reads value ${v.id} but is not among its users`);
    }
    if (n.output.producer !== n) fail(3, n, `its output ${n.output.id} names another producer`);
    defined.add(n.output);
    const arityOk = n.op.kind === 'concat' ? n.inputs.length >= 1 : n.inputs.length === (n.op.kind === 'add' ? 2 : 1);
    if (!arityOk) fail(5, n, `has ${n.inputs.length} inputs`);
    if (!arityOk) continue;
    checkShapes(n, (what) => fail(6, n, what));
    checkParams(n, (what) => fail(7, n, what));
    checkAttributes(n.op, (what) => fail(8, n, what));
  }
  for (const v of [g.input, ...g.nodes.map((n) => n.output)]) {
    for (const u of v.users) {
      if (!inGraph.has(u)) fail(4, u, `is a user of value ${v.id} but is not in the graph`);
      else if (!u.inputs.includes(v)) fail(4, u, `is a user of value ${v.id} but does not read it`);
    }
  }

  // 9-10. Output and dangling nodes
  const outputOk = g.output === g.input ? g.nodes.length === 0 : g.output.producer !== undefined && inGraph.has(g.output.producer);
  if (!outputOk) fail(9, undefined, `the graph output (value ${g.output.id}) is not produced by a node of the graph`);
  for (const n of g.nodes) {
    if (n.output !== g.output && !n.output.users.some((u) => inGraph.has(u))) fail(10, n, 'its output is never used');
  }

  // 11. Stages
  const order = new Map<string, number>();
  g.stages.forEach((s, i) => {
    if (!isStageName(s.name)) fail(11, undefined, `stage \`${s.name}\` is not a Table 1 stage name`);
    if (order.has(s.name)) fail(11, undefined, `stage \`${s.name}\` is listed twice`);
    order.set(s.name, i);
  });
  let last = -1;
  for (const n of g.nodes) {
    const i = order.get(n.stage);
    if (i === undefined) fail(11, n, `its stage \`${n.stage}\` is not in g.stages`);
    else if (i < last) fail(11, n, `its stage \`${n.stage}\` comes after a node of stage \`${g.stages[last].name}\``);
    else last = i;
  }

  // 12. Scopes
  const scopes = new Map<string, Node>();
  for (const n of g.nodes) {
    if (paramTensors(n.op).length === 0) continue;
    const other = scopes.get(n.scope);
    if (other) fail(12, n, `shares its scope with ${who(other)}`);
    else scopes.set(n.scope, n);
  }
  return out;
}

function checkShapes(n: Node, fail: (what: string) => void): void {
  const spatial = ['conv', 'maxpool', 'avgpool', 'globalavgpool', 'bnReluConv', 'concat'];
  for (const v of n.inputs) {
    if (spatial.includes(n.op.kind) && v.shape.length !== 3) fail(`reads ${show(v.shape)}, not a [C, H, W] feature map`);
  }
  if (!n.output.shape.every(isPosInt)) fail(`output shape ${show(n.output.shape)} has a dimension that is not a positive integer`);
  try {
    const expected = inferShape(n.op, n.inputs.map((v) => v.shape));
    if (!same(expected, n.output.shape)) fail(`output shape ${show(n.output.shape)}, but inferShape gives ${show(expected)}`);
  } catch (e) {
    fail(`inferShape fails: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The shape each parameter tensor must have, by op. */
function expectedParams(op: Op, input: Dims): Dims[] {
  const c = input[0];
  const conv = (p: { outChannels: number; kernel: readonly [number, number]; bias: unknown }): Dims[] => {
    const w: Dims = [p.outChannels, c, p.kernel[0], p.kernel[1]];
    return p.bias ? [w, [p.outChannels]] : [w];
  };
  switch (op.kind) {
    case 'conv':
      return conv(op);
    case 'batchnorm':
      return [[c], [c], [c], [c]];
    case 'bnReluConv':
      return [[c], [c], [c], [c], ...conv(op.conv)];
    case 'linear':
      return op.bias ? [[op.outFeatures, elementCount(input)], [op.outFeatures]] : [[op.outFeatures, elementCount(input)]];
    case 'affine':
      return [[c], [c]];
    case 'relu':
    case 'maxpool':
    case 'avgpool':
    case 'globalavgpool':
    case 'flatten':
    case 'concat':
    case 'softmax':
    case 'dropout':
    case 'add':
      return [];
    default:
      return exhaustive(op);
  }
}

function checkParams(n: Node, fail: (what: string) => void): void {
  const params = paramTensors(n.op);
  const expected = expectedParams(n.op, n.inputs[0].shape);
  params.forEach((p, i) => {
    const name = `${p.part ? `${p.part}.` : ''}${p.role}`;
    if (expected[i] && !same(p.tensor.shape, expected[i])) fail(`${name} has shape ${show(p.tensor.shape)}, expected ${show(expected[i])}`);
    if (p.tensor.data && p.tensor.data.length !== elementCount(p.tensor.shape)) {
      fail(`${name} has ${p.tensor.data.length} values for shape ${show(p.tensor.shape)}`);
    }
    if (p.tensor.deferred && deferredLength(p.tensor.deferred) !== elementCount(p.tensor.shape)) {
      fail(`${name} is deferred to ${deferredLength(p.tensor.deferred)} values for shape ${show(p.tensor.shape)}`);
    }
  });
  if (n.op.kind === 'linear' && n.inputs[0].shape.length !== 1) fail(`linear reads ${show(n.inputs[0].shape)}, not a flat vector`);
}

function checkAttributes(op: Op, fail: (what: string) => void): void {
  const window = (k: readonly number[], s: readonly number[], p: readonly number[]) => {
    if (!k.every(isPosInt) || !s.every(isPosInt)) fail(`kernel ${k.join('x')} or stride ${s.join('x')} is not positive integers`);
    if (!p.every(isNatural)) fail(`pad ${p.join('x')} is not non-negative integers`);
  };
  switch (op.kind) {
    case 'conv':
    case 'maxpool':
    case 'avgpool':
      window(op.kernel, op.stride, op.pad);
      break;
    case 'bnReluConv':
      window(op.conv.kernel, op.conv.stride, op.conv.pad);
      if (!(op.bn.eps > 0)) fail(`eps ${op.bn.eps} is not positive`);
      break;
    case 'batchnorm':
      if (!(op.eps > 0)) fail(`eps ${op.eps} is not positive`);
      break;
    case 'dropout':
      if (!(op.rate >= 0 && op.rate < 1)) fail(`rate ${op.rate} is not in [0, 1)`);
      break;
    case 'linear':
    case 'relu':
    case 'globalavgpool':
    case 'flatten':
    case 'concat':
    case 'softmax':
    case 'affine':
    case 'add':
      break;
    default:
      exhaustive(op);
  }
}
