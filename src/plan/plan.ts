// The memory plan: every tensor (and every kernel's scratch) at a byte offset in one arena.
//
//   liveness (liveness.ts) -> which values share memory (views.ts: concat elimination, identity
//   views, elementwise ops in place) -> one buffer per root value, live from its first member's definition to its last
//   member's last use -> offsets (arena.ts) -> a placement per value.
//
// The plan is data: checkPlan (check.ts) proves it, the reference executor (runtime/ref) runs it.
import type { Graph, Node, Value } from '../ir/graph.js';
import { elementCount } from '../ir/graph.js';
import { liveness, type Liveness } from './liveness.js';
import { layoutViews, resolve, type Layout } from './views.js';
import { assignOffsets, type Buffer, type Piece } from './arena.js';
import { workspaceElements } from './workspace.js';

/** Buffers start at multiples of this many bytes (a cache line). */
export const ALIGN = 64;

/** Where a tensor's samples lie: sample n at `offset + n * sampleStride * 4` bytes, contiguous. */
export interface Placement {
  readonly offset: number;
  /** Elements from one sample to the next (0 for scratch shared by all samples). */
  readonly sampleStride: number;
  /** Elements of one sample. */
  readonly elements: number;
}

export interface PlannedBuffer extends Buffer {
  readonly kind: 'tensor' | 'workspace';
  /** The value whose memory this is (a tensor), or the node whose scratch it is. */
  readonly owner: Value | Node;
  /** The stage of the node that defines it (`input` for the graph input). */
  readonly stage: string;
  readonly offset: number;
  readonly bytes: number;
}

export interface MemoryPlan {
  readonly batch: number;
  readonly arenaBytes: number;
  /** The arena assignment order that won (arena.ts). */
  readonly heuristic: string;
  readonly liveness: Liveness;
  readonly layout: Layout;
  readonly placement: ReadonlyMap<Value, Placement>;
  readonly workspace: ReadonlyMap<Node, Placement>;
  readonly buffers: readonly PlannedBuffer[];
}

export interface PlanOptions {
  readonly batch?: number;
  /** Default true; false copies every concat, as the naive graph does. */
  readonly eliminateConcats?: boolean;
}

export const alignUp = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

export function planMemory(g: Graph, options: PlanOptions = {}): MemoryPlan {
  const batch = options.batch ?? 1;
  const live = liveness(g);
  const layout = layoutViews(g, options.eliminateConcats ?? true, live);

  // One buffer per root. Its pieces are its values' bytes over their lifetimes: a block buffer's
  // slot is taken only from the step that writes it. With a batch, a slot's samples are strided
  // across the whole buffer, so a piece is the slot's bounding range (exact for batch 1).
  const pieces = new Map<Value, Piece[]>();
  for (const v of live.values) {
    const { root, elemOffset } = resolve(layout, v);
    const end = elemOffset + (batch - 1) * elementCount(root.shape) + elementCount(v.shape);
    const list = pieces.get(root) ?? [];
    list.push({ start: elemOffset * 4, end: end * 4, ...live.interval.get(v)! });
    pieces.set(root, list);
  }
  const pending: Omit<PlannedBuffer, 'offset'>[] = [];
  for (const [root, list] of pieces) {
    const def = Math.min(...list.map((p) => p.def));
    const lastUse = Math.max(...list.map((p) => p.lastUse));
    const stage = root.producer?.stage ?? 'input';
    pending.push({ kind: 'tensor', owner: root, stage, def, lastUse, bytes: alignUp(batch * elementCount(root.shape) * 4), pieces: list });
  }
  for (const n of g.nodes) {
    const elements = workspaceElements(n);
    const step = live.stepOf.get(n)!;
    const bytes = alignUp(elements * 4);
    if (elements > 0) pending.push({ kind: 'workspace', owner: n, stage: n.stage, def: step, lastUse: step, bytes, pieces: [{ start: 0, end: bytes, def: step, lastUse: step }] });
  }

  const { offsets, arenaBytes, heuristic } = assignOffsets(pending, ALIGN);
  const buffers: PlannedBuffer[] = pending.map((b, i) => ({ ...b, offset: offsets[i] }));

  const rootOffset = new Map<Value, number>();
  const workspace = new Map<Node, Placement>();
  for (const b of buffers) {
    if (b.kind === 'tensor') rootOffset.set(b.owner as Value, b.offset);
    else workspace.set(b.owner as Node, { offset: b.offset, sampleStride: 0, elements: workspaceElements(b.owner as Node) });
  }
  const placement = new Map<Value, Placement>();
  for (const v of live.values) {
    const { root, elemOffset } = resolve(layout, v);
    placement.set(v, { offset: rootOffset.get(root)! + elemOffset * 4, sampleStride: elementCount(root.shape), elements: elementCount(v.shape) });
  }
  return { batch, arenaBytes, heuristic, liveness: live, layout, placement, workspace, buffers };
}

/** The plan densec runs, and the two layouts it was chosen from. */
export interface ChosenPlan {
  readonly plan: MemoryPlan;
  readonly layout: 'eliminated' | 'copies';
  /** Concats eliminated: every block's features in one buffer (views.ts). */
  readonly eliminated: MemoryPlan;
  /** The same schedule with copy semantics: each concat a fresh buffer its inputs are copied into. */
  readonly copies: MemoryPlan;
}

/**
 * Plans both layouts with the same arena planner and keeps the smaller arena (a tie keeps
 * elimination), so the peak with copies is never below the peak planned. At batch 1
 * elimination wins or ties; at batch > 1 a block buffer's unwritten channels are strided across
 * samples (NCHW), too thin for other tensors, and copying can need less (densenet121 -O0 at
 * batch 8: 57,860,096 against 60,669,952 bytes).
 */
export function choosePlan(g: Graph, options: { batch?: number } = {}): ChosenPlan {
  const eliminated = planMemory(g, { ...options, eliminateConcats: true });
  const copies = planMemory(g, { ...options, eliminateConcats: false });
  const useCopies = copies.arenaBytes < eliminated.arenaBytes;
  return { plan: useCopies ? copies : eliminated, layout: useCopies ? 'copies' : 'eliminated', eliminated, copies };
}
