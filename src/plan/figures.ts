// The figures `densec plan` reports, all computed from the graph and its plan.
//
// - peak: the arena's size.
// - naive: every tensor in its own buffer, nothing reused or shared.
// - concat copies: bytes the concats copy, as planned and with every concat copying.
// - lower bound: the most bytes that hold live data at one step, given which values share
//   memory: for each buffer, the union of the slices of its values live at that step, plus the
//   scratch of that step's kernel. Any offset assignment needs at least this much; the plan's
//   gap to it is fragmentation plus the unwritten tail of a preallocated block buffer.
import type { Graph, Value } from '../ir/graph.js';
import { elementCount } from '../ir/graph.js';
import type { MemoryPlan } from './plan.js';
import { resolve } from './views.js';

export interface StageFigures {
  readonly stage: string;
  /** The highest arena byte in use during the stage. */
  readonly highWaterBytes: number;
  readonly lowerBoundBytes: number;
}

export interface PlanFigures {
  readonly batch: number;
  readonly peakBytes: number;
  readonly naiveBytes: number;
  readonly concatCopyBytes: { readonly planned: number; readonly withoutElimination: number };
  readonly lowerBoundBytes: number;
  /** peak / lower bound. */
  readonly ratio: number;
  /** The largest kernel scratch. */
  readonly workspaceBytes: number;
  readonly heuristic: string;
  readonly tensors: number;
  readonly buffers: number;
  readonly stages: readonly StageFigures[];
}

/** Bytes that hold live data at each step (see the file comment). */
export function liveDataBytes(g: Graph, plan: MemoryPlan): number[] {
  const { liveness: live, layout, batch } = plan;
  const bytes = new Array<number>(live.steps).fill(0);
  const byRoot = new Map<Value, { start: number; end: number; def: number; lastUse: number }[]>();
  for (const v of live.values) {
    const { root, elemOffset } = resolve(layout, v);
    const iv = live.interval.get(v)!;
    const list = byRoot.get(root) ?? [];
    list.push({ start: elemOffset, end: elemOffset + elementCount(v.shape), ...iv });
    byRoot.set(root, list);
  }
  for (const ranges of byRoot.values()) {
    ranges.sort((a, b) => a.start - b.start);
    const first = Math.min(...ranges.map((r) => r.def));
    const last = Math.max(...ranges.map((r) => r.lastUse));
    for (let s = first; s <= last; s++) {
      let covered = 0;
      let end = -Infinity;
      for (const r of ranges) {
        if (r.def > s || r.lastUse < s) continue;
        if (r.end > end) {
          covered += r.end - Math.max(r.start, end);
          end = r.end;
        }
      }
      bytes[s] += covered * batch * 4;
    }
  }
  for (const [n, w] of plan.workspace) bytes[live.stepOf.get(n)!] += w.elements * 4;
  return bytes;
}

export function planFigures(g: Graph, plan: MemoryPlan): PlanFigures {
  const { liveness: live, batch } = plan;
  const size = (v: Value) => batch * elementCount(v.shape) * 4;
  const naiveBytes = live.values.reduce((a, v) => a + size(v), 0);
  let planned = 0;
  let withoutElimination = 0;
  for (const n of g.nodes) {
    if (n.op.kind !== 'concat') continue;
    withoutElimination += size(n.output);
    const mode = plan.layout.mode.get(n);
    if (mode?.kind === 'copy') n.inputs.forEach((x, i) => (planned += mode.copied[i] ? size(x) : 0));
    else if (mode?.kind !== 'view') planned += size(n.output);
  }

  const data = liveDataBytes(g, plan);
  const lowerBoundBytes = Math.max(...data);
  const highAt = new Array<number>(live.steps).fill(0);
  for (const b of plan.buffers) {
    for (const p of b.pieces) for (let s = p.def; s <= p.lastUse; s++) highAt[s] = Math.max(highAt[s], b.offset + p.end);
  }
  const stages = new Map<string, { highWaterBytes: number; lowerBoundBytes: number }>();
  for (const n of g.nodes) {
    const s = live.stepOf.get(n)!;
    const f = stages.get(n.stage) ?? { highWaterBytes: 0, lowerBoundBytes: 0 };
    stages.set(n.stage, { highWaterBytes: Math.max(f.highWaterBytes, highAt[s]), lowerBoundBytes: Math.max(f.lowerBoundBytes, data[s]) });
  }
  const workspaceBytes = Math.max(0, ...[...plan.workspace.values()].map((w) => w.elements * 4));
  return {
    batch,
    peakBytes: plan.arenaBytes,
    naiveBytes,
    concatCopyBytes: { planned, withoutElimination },
    lowerBoundBytes,
    ratio: plan.arenaBytes / lowerBoundBytes,
    workspaceBytes,
    heuristic: plan.heuristic,
    tensors: live.values.length,
    buffers: plan.buffers.length,
    stages: [...stages].map(([stage, f]) => ({ stage, ...f })),
  };
}

/**
 * The most bytes of live data at a step of each dense block: where eliminating concatenations
 * pays (the arena's peak may be set elsewhere, by the stem), independent of offsets.
 */
export function denseBlockLiveBytes(g: Graph, plan: MemoryPlan): Map<string, number> {
  const data = liveDataBytes(g, plan);
  const most = new Map<string, number>();
  for (const n of g.nodes) {
    if (n.stage.startsWith('dense_block_')) most.set(n.stage, Math.max(most.get(n.stage) ?? 0, data[plan.liveness.stepOf.get(n)!]));
  }
  return most;
}
