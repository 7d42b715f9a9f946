// The graph IR: a closed union of ops with typed attributes and parameters, values connected by
// object references (producer, users). Names are given only when emitting ONNX; `scope` is the
// structural path (torchvision's module names) that the emitter turns into tensor names.
//
// Shapes are per sample: the batch dimension is symbolic and not stored. [C, H, W] for feature
// maps, [F] after `flatten`.
import type { Span } from '../diagnostics/span.js';
import type { Deferred } from './deferred.js';
import { inferShape } from './shapes.js';

export type Dims = readonly number[];
export type Pair = readonly [number, number];

/**
 * A parameter tensor. `data` is absent until weights are attached (ir/weights.ts or import);
 * a seeded weight that `densec compile` makes only as it writes it has `deferred` instead
 * (ir/deferred.ts).
 */
export interface Tensor {
  readonly shape: Dims;
  data: Float32Array | undefined;
  deferred?: Deferred;
}

/** The tensor has values: attached, or deferred to when it is written. */
export const hasValues = (t: Tensor): boolean => t.data !== undefined || t.deferred !== undefined;

export interface BnParams {
  readonly eps: number;
  readonly gamma: Tensor;
  readonly beta: Tensor;
  readonly mean: Tensor;
  readonly var: Tensor;
}

export interface ConvParams {
  readonly kernel: Pair;
  readonly stride: Pair;
  /** Symmetric padding [h, w]. */
  readonly pad: Pair;
  readonly outChannels: number;
  /** [out, in, kh, kw] */
  readonly weight: Tensor;
  /** [out], or undefined for a conv without bias. */
  readonly bias: Tensor | undefined;
}

export interface PoolParams {
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly pad: Pair;
}

export type Op =
  | ({ readonly kind: 'conv' } & ConvParams)
  | ({ readonly kind: 'batchnorm' } & BnParams)
  | { readonly kind: 'relu' }
  | ({ readonly kind: 'maxpool' } & PoolParams)
  | ({ readonly kind: 'avgpool' } & PoolParams)
  | { readonly kind: 'globalavgpool' }
  | { readonly kind: 'flatten' }
  /** Concatenation along channels, inputs in order. */
  | { readonly kind: 'concat' }
  /** y = x W^T + b; weight [out, in], bias [out]. */
  | { readonly kind: 'linear'; readonly outFeatures: number; readonly weight: Tensor; readonly bias: Tensor | undefined }
  | { readonly kind: 'softmax' }
  /** Kept from the spec; an identity at inference. */
  | { readonly kind: 'dropout'; readonly rate: number }
  /** The paper's composite function H: BN, ReLU, then conv, as one node (made by passes). */
  | { readonly kind: 'bnReluConv'; readonly bn: BnParams; readonly conv: ConvParams }
  /** Per-channel y = x * scale + shift (scale, shift: [C]). */
  | { readonly kind: 'affine'; readonly scale: Tensor; readonly shift: Tensor }
  /** Elementwise sum of two values of the same shape (made by passes). */
  | { readonly kind: 'add' };

export type OpKind = Op['kind'];
export type OpOf<K extends OpKind> = Extract<Op, { kind: K }>;

export interface Value {
  readonly id: number;
  shape: Dims;
  /** Undefined for the graph input. */
  producer: Node | undefined;
  users: Node[];
}

export interface Node {
  readonly id: number;
  op: Op;
  inputs: Value[];
  readonly output: Value;
  /** The source that made this node, so that errors point into the .dense file. */
  readonly span: Span;
  /** Structural path, e.g. `features.denseblock1.denselayer1.conv1`. */
  readonly scope: string;
  /** The Table 1 stage this node belongs to, e.g. `dense_block_1` (see Stage). */
  readonly stage: string;
}

/** A stage of Table 1: `convolution`, `pooling`, `dense_block_1`, `transition_1`, ..., `classification`. */
export interface Stage {
  readonly name: string;
  /** For people: `Dense Block (1)`. */
  readonly label: string;
  readonly span: Span;
}

export interface Graph {
  readonly name: string;
  readonly input: Value;
  output: Value;
  /** In topological order. */
  nodes: Node[];
  readonly stages: readonly Stage[];
  /** Next free id for nodes and values. */
  nextId: number;
}

export class IrError extends Error {}

export function exhaustive(x: never): never {
  throw new IrError(`unhandled case: ${JSON.stringify(x)}`);
}

export function createGraph(name: string, inputShape: Dims, stages: readonly Stage[] = []): Graph {
  const input: Value = { id: 0, shape: inputShape, producer: undefined, users: [] };
  return { name, input, output: input, nodes: [], stages, nextId: 1 };
}

export interface NodeInfo {
  readonly span: Span;
  readonly scope: string;
  readonly stage: string;
}

/**
 * Makes a node (its output shape inferred from the op and inputs) and inserts it in `g.nodes`
 * at `at` (default: the end). Does not change `g.output`.
 */
export function addNode(g: Graph, op: Op, inputs: Value[], info: NodeInfo, at: number = g.nodes.length): Node {
  const shape = inferShape(op, inputs.map((v) => v.shape));
  const output: Value = { id: g.nextId++, shape, producer: undefined, users: [] };
  const node: Node = { id: g.nextId++, op, inputs: [...inputs], output, ...info };
  output.producer = node;
  for (const v of inputs) v.users.push(node);
  g.nodes.splice(at, 0, node);
  return node;
}

/** Points every user of `from` (and the graph output) at `to`. */
export function replaceAllUses(g: Graph, from: Value, to: Value): void {
  for (const user of from.users) {
    user.inputs = user.inputs.map((v) => (v === from ? to : v));
    if (!to.users.includes(user)) to.users.push(user);
  }
  from.users = [];
  if (g.output === from) g.output = to;
}

/** Removes a node that has no users left, unlinking it from its inputs. */
export function removeNode(g: Graph, node: Node): void {
  if (node.output.users.length > 0 || g.output === node.output) {
    throw new IrError(`cannot remove node ${node.id} (${node.op.kind}): its output is still used`);
  }
  for (const v of node.inputs) v.users = v.users.filter((u) => u !== node);
  g.nodes = g.nodes.filter((n) => n !== node);
}

/**
 * A deep copy of the graph's structure. Parameter tensors are shared: passes must make new
 * Tensors rather than write into `data` of existing ones.
 */
export function cloneGraph(g: Graph): Graph {
  const values = new Map<Value, Value>();
  const copy = (v: Value): Value => {
    let c = values.get(v);
    if (!c) {
      c = { id: v.id, shape: v.shape, producer: undefined, users: [] };
      values.set(v, c);
    }
    return c;
  };
  const input = copy(g.input);
  const nodes: Node[] = [];
  for (const n of g.nodes) {
    const output = copy(n.output);
    const node: Node = { id: n.id, op: n.op, inputs: n.inputs.map(copy), output, span: n.span, scope: n.scope, stage: n.stage };
    output.producer = node;
    for (const v of node.inputs) v.users.push(node);
    nodes.push(node);
  }
  return { name: g.name, input, output: copy(g.output), nodes, stages: g.stages, nextId: g.nextId };
}

/** The output of a stage: the output of the last node (in order) that belongs to it. */
export function stageOutput(g: Graph, stage: string): Value | undefined {
  for (let i = g.nodes.length - 1; i >= 0; i--) if (g.nodes[i].stage === stage) return g.nodes[i].output;
  return undefined;
}

export function elementCount(shape: Dims): number {
  return shape.reduce((a, b) => a * b, 1);
}
