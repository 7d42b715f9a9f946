// Concatenation elimination and identity views: decides which values share memory.
//
// A dense block's feature maps live in one buffer: the block's final concat output is allocated
// once and every layer writes its k channels straight into its slice, so each per-layer concat
// is a view (a prefix of that buffer) and copies nothing. Two-input concat chains resolve the
// same way: each link's output is a slot of the next link's output.
//
// Batch layout (N > 1): tensors are NCHW and a slot keeps the layout of the buffer it lives in,
// so a channel slice is contiguous within each sample and strided across samples by the
// buffer's per-sample size. Every placement is therefore (offset, sample stride); kernels loop
// over samples anyway and take the stride per operand.
//
// Dropout (an identity at inference) and flatten (same bytes, new shape) are views of their
// input. An elementwise op (add, relu, batchnorm, affine) writes over an input it is the last
// reader of, when that input owns its bytes (it is no slice of a block buffer) and nothing in
// them is read later: element i is read before it is written, as the kernels do and as
// onnxruntime's fused conv+Add accumulates. Everything else writes a fresh output.
import type { Graph, Node, Value } from '../ir/graph.js';
import { elementCount, exhaustive } from '../ir/graph.js';
import type { Liveness } from './liveness.js';

/** Where a value lives inside another value's memory, in elements of one sample. */
export interface Slot {
  readonly parent: Value;
  readonly elemOffset: number;
}

/** How a node produces its output. */
export type NodeMode =
  | { readonly kind: 'write' }
  /** No work: the output is a view of memory its inputs already fill. */
  | { readonly kind: 'view' }
  /** A concat that copies the inputs flagged `true` into their slots; the rest are in place. */
  | { readonly kind: 'copy'; readonly copied: readonly boolean[] }
  /** An elementwise op whose output is written over the bytes of its input `input`, read last here. */
  | { readonly kind: 'inPlace'; readonly input: number };

export interface Layout {
  /** Identity outputs: the value whose memory they are. */
  readonly origin: ReadonlyMap<Value, Value>;
  /** Origins placed inside another origin's memory. */
  readonly slot: ReadonlyMap<Value, Slot>;
  readonly mode: ReadonlyMap<Node, NodeMode>;
}

export interface Resolved {
  /** The value that owns the buffer. */
  readonly root: Value;
  /** Offset within one sample of the root, in elements. */
  readonly elemOffset: number;
}

export function resolve(layout: Layout, v: Value): Resolved {
  let root = v;
  for (let o = layout.origin.get(root); o !== undefined && o !== root; o = layout.origin.get(root)) root = o;
  let elemOffset = 0;
  for (let s = layout.slot.get(root); s; s = layout.slot.get(root)) {
    elemOffset += s.elemOffset;
    root = s.parent;
  }
  return { root, elemOffset };
}

function isIdentity(n: Node): boolean {
  switch (n.op.kind) {
    case 'dropout':
    case 'flatten':
      return true;
    case 'conv':
    case 'batchnorm':
    case 'relu':
    case 'maxpool':
    case 'avgpool':
    case 'globalavgpool':
    case 'concat':
    case 'linear':
    case 'softmax':
    case 'bnReluConv':
    case 'affine':
    case 'add':
      return false;
    default:
      return exhaustive(n.op);
  }
}

/** Channel offsets of a concat's inputs, in elements of one sample. */
export function concatOffsets(n: Node): number[] {
  const [, h, w] = n.output.shape;
  const offsets: number[] = [];
  let c = 0;
  for (const x of n.inputs) {
    offsets.push(c * h * w);
    c += x.shape[0];
  }
  return offsets;
}

/** Ops that compute each output element from the same element of their inputs: they may write in place. */
export const elementwise: ReadonlySet<Node['op']['kind']> = new Set(['add', 'relu', 'batchnorm', 'affine']);

/**
 * Decides the layout. With `eliminateConcats` false every concat copies all its inputs into its
 * own buffer (the naive graph); identity ops are views either way; with `live`, elementwise ops
 * write in place where they may.
 */
export function layoutViews(g: Graph, eliminateConcats: boolean, live?: Liveness): Layout {
  const origin = new Map<Value, Value>();
  const slot = new Map<Value, Slot>();
  const mode = new Map<Node, NodeMode>();
  const layout: Layout = { origin, slot, mode };
  const originOf = (v: Value) => origin.get(v) ?? v;

  for (const n of g.nodes) {
    if (isIdentity(n)) {
      origin.set(n.output, originOf(n.inputs[0]));
      mode.set(n, { kind: 'view' });
    } else mode.set(n, { kind: 'write' });
  }

  // Latest concat first: a block's final concat claims the buffer before the per-layer ones.
  const concats = g.nodes.filter((n) => n.op.kind === 'concat').reverse();
  for (const c of concats) {
    const offsets = concatOffsets(c);
    if (!eliminateConcats) {
      mode.set(c, { kind: 'copy', copied: c.inputs.map(() => true) });
      continue;
    }
    // Not yet placed: if its inputs already sit side by side in one buffer, it is a view there.
    if (!slot.has(c.output)) {
      const first = resolve(layout, c.inputs[0]);
      const inPlace = c.inputs.every((x, i) => {
        const r = resolve(layout, x);
        return r.root !== originOf(x) && r.root === first.root && r.elemOffset === first.elemOffset + offsets[i];
      });
      if (inPlace && first.root !== c.output) {
        slot.set(c.output, { parent: first.root, elemOffset: first.elemOffset });
        mode.set(c, { kind: 'view' });
        continue;
      }
    }
    // Otherwise each input moves into its slot of this output, unless it already lives elsewhere.
    const here = resolve(layout, c.output);
    const copied = c.inputs.map((x, i) => {
      const a = originOf(x);
      const have = resolve(layout, a);
      if (have.root === here.root && have.elemOffset === here.elemOffset + offsets[i]) return false;
      if (slot.has(a) || a === here.root || a === g.input) return true;
      slot.set(a, { parent: c.output, elemOffset: offsets[i] });
      return false;
    });
    mode.set(c, copied.some((b) => b) ? { kind: 'copy', copied } : { kind: 'view' });
  }
  if (live) inPlace(g, { origin, slot, mode }, live);
  return layout;
}

/** Marks the elementwise ops that write over an input (see the header), in node order. */
function inPlace(g: Graph, layout: { origin: Map<Value, Value>; slot: ReadonlyMap<Value, Slot>; mode: Map<Node, NodeMode> }, live: Liveness): void {
  const parents = new Set([...layout.slot.values()].map((s) => s.parent));
  // The last step at which any value in a root's bytes is read.
  const end = new Map<Value, number>();
  for (const v of live.values) {
    const { root } = resolve(layout, v);
    end.set(root, Math.max(end.get(root) ?? -1, live.interval.get(v)!.lastUse));
  }
  for (const n of g.nodes) {
    if (!elementwise.has(n.op.kind) || layout.slot.has(n.output) || parents.has(n.output)) continue;
    const step = live.stepOf.get(n)!;
    // A root is never a slot (resolve walks past slots), so a whole root of x's size is x's bytes alone.
    const roots = n.inputs.map((x) => resolve(layout, x).root);
    const i = n.inputs.findIndex(
      (x, k) =>
        x !== g.input &&
        roots[k] !== g.input &&
        elementCount(x.shape) === elementCount(n.output.shape) &&
        elementCount(roots[k].shape) === elementCount(x.shape) &&
        (end.get(roots[k]) ?? -1) <= step,
    );
    if (i < 0) continue;
    const root = roots[i];
    const mine = end.get(n.output) ?? -1;
    end.delete(n.output);
    layout.origin.set(n.output, root);
    end.set(root, Math.max(step, mine));
    layout.mode.set(n, { kind: 'inPlace', input: i });
  }
}

/** Elements of one sample of `v`. */
export function sampleElements(v: Value): number {
  return elementCount(v.shape);
}
