// The plan checker: proves, from the placements alone, that executing the plan computes what
// the graph says. It trusts nothing the planner computed except the placements and node modes.
//
//   1. Every placement lies inside the arena, its samples do not overlap one another, and it
//      has as many elements as its value's shape.
//   2. Views are exact: an identity op in view mode sits on its input's bytes; every concat input
//      that is not copied lives exactly at its channel slice of the concat's output (same sample
//      stride). Only identities and concats may be views. An elementwise op in place sits exactly
//      on the input it names, which is read for the last time at its step.
//   3. No write clobbers live data: whatever a step writes (a node's output, a concat's copied
//      slices, a kernel's scratch, the graph input at step 0) shares no byte with any value that
//      was defined earlier and is still read at or after that step — views included, so a buffer
//      stays intact while any view of it lives. Scratch does not overlap its node's output. An
//      in-place write may cover only values inside the input it names that are read last then.
import type { Graph, Value } from '../ir/graph.js';
import { elementCount } from '../ir/graph.js';
import { liveness } from './liveness.js';
import type { MemoryPlan, Placement } from './plan.js';
import { concatOffsets, elementwise } from './views.js';

export interface Violation {
  readonly rule: 'bounds' | 'view' | 'overlap';
  readonly step: number;
  readonly message: string;
}

/** Byte ranges [start, end) of one sample of a placement. */
function sampleRange(p: Placement, n: number): [number, number] {
  const start = p.offset + n * p.sampleStride * 4;
  return [start, start + p.elements * 4];
}

/** Whether two placements share a byte, for `batch` samples each (scratch: sampleStride 0, one range). */
export function intersects(a: Placement, b: Placement, batch: number): boolean {
  const na = a.sampleStride === 0 ? 1 : batch;
  const nb = b.sampleStride === 0 ? 1 : batch;
  const [a0] = sampleRange(a, 0);
  const [, a1] = sampleRange(a, na - 1);
  const [b0] = sampleRange(b, 0);
  const [, b1] = sampleRange(b, nb - 1);
  if (a1 <= b0 || b1 <= a0) return false;
  for (let n = 0; n < na; n++) {
    const [x0, x1] = sampleRange(a, n);
    if (nb === 1) {
      const [y0, y1] = sampleRange(b, 0);
      if (x0 < y1 && y0 < x1) return true;
      continue;
    }
    // Samples m of b with b.offset + m*S < x1 and b.offset + m*S + e > x0.
    const s = b.sampleStride * 4;
    const lo = Math.max(0, Math.floor((x0 - b.elements * 4 - b.offset) / s) + 1);
    const hi = Math.min(nb - 1, Math.ceil((x1 - b.offset) / s) - 1);
    if (lo <= hi) return true;
  }
  return false;
}

/** Whether every sample of `p` lies inside the same sample of `q` (both tensors, one stride). */
function within(p: Placement, q: Placement, batch: number): boolean {
  if (p.sampleStride !== q.sampleStride && batch > 1) return false;
  return p.offset >= q.offset && p.offset + p.elements * 4 <= q.offset + q.elements * 4;
}

export function checkPlan(g: Graph, plan: MemoryPlan): Violation[] {
  const out: Violation[] = [];
  const live = liveness(g);
  const { batch } = plan;
  const at = (v: Value): Placement => {
    const p = plan.placement.get(v);
    if (!p) throw new Error(`value ${v.id} has no placement`);
    return p;
  };

  // 1. Bounds.
  for (const v of live.values) {
    const p = plan.placement.get(v);
    const step = live.interval.get(v)!.def;
    if (!p) {
      out.push({ rule: 'bounds', step, message: `value %${v.id} has no placement` });
      continue;
    }
    const [, end] = sampleRange(p, batch - 1);
    if (p.offset < 0 || p.offset % 4 !== 0 || end > plan.arenaBytes) out.push({ rule: 'bounds', step, message: `%${v.id} at [${p.offset}, ${end}) is outside the arena of ${plan.arenaBytes} bytes` });
    if (batch > 1 && p.sampleStride < p.elements) out.push({ rule: 'bounds', step, message: `%${v.id}: samples of ${p.elements} elements overlap at stride ${p.sampleStride}` });
    if (p.elements !== elementCount(v.shape)) out.push({ rule: 'bounds', step, message: `%${v.id} has ${p.elements} elements placed for shape [${v.shape.join(', ')}]` });
  }
  for (const [n, w] of plan.workspace) {
    const step = live.stepOf.get(n)!;
    if (w.offset < 0 || w.offset + w.elements * 4 > plan.arenaBytes) out.push({ rule: 'bounds', step, message: `scratch of ${n.scope} is outside the arena` });
  }
  if (out.length > 0) return out;

  // 2. Views are exact. 3. Writes clobber nothing live.
  const writes = new Map<number, Placement[]>();
  const write = (step: number, p: Placement) => writes.set(step, [...(writes.get(step) ?? []), p]);
  /** Per step of an in-place op: the placement of the input it writes over. */
  const overwritten = new Map<number, Placement>();
  write(0, at(g.input));
  for (const n of g.nodes) {
    const step = live.stepOf.get(n)!;
    const mode = plan.layout.mode.get(n) ?? { kind: 'write' };
    const y = at(n.output);
    const ws = plan.workspace.get(n);
    if (ws) {
      write(step, ws);
      if (intersects(ws, y, batch)) out.push({ rule: 'overlap', step, message: `scratch of ${n.scope} overlaps its output %${n.output.id}` });
    }
    const kind = n.op.kind;
    if (mode.kind === 'write') {
      write(step, y);
      continue;
    }
    if (mode.kind === 'inPlace') {
      const x = n.inputs[mode.input];
      const p = x ? plan.placement.get(x) : undefined;
      if (!elementwise.has(kind) || !p || p.offset !== y.offset || p.sampleStride !== y.sampleStride || p.elements !== y.elements || live.interval.get(x)!.lastUse !== step) {
        out.push({ rule: 'view', step, message: `${kind} ${n.scope}: in place, but not an elementwise op exactly on an input read last at its step` });
      }
      write(step, y);
      if (p) overwritten.set(step, p);
      continue;
    }
    if (kind === 'dropout' || kind === 'flatten') {
      const x = at(n.inputs[0]);
      if (mode.kind !== 'view' || x.offset !== y.offset || x.sampleStride !== y.sampleStride) out.push({ rule: 'view', step, message: `${kind} ${n.scope}: output %${n.output.id} is not on its input's bytes` });
      continue;
    }
    if (kind !== 'concat') {
      out.push({ rule: 'view', step, message: `${kind} ${n.scope} must write its output, not view it` });
      continue;
    }
    const offsets = concatOffsets(n);
    n.inputs.forEach((x, i) => {
      const slice: Placement = { offset: y.offset + offsets[i] * 4, sampleStride: y.sampleStride, elements: elementCount(x.shape) };
      if (mode.kind === 'copy' && mode.copied[i]) return write(step, slice);
      const p = at(x);
      if (p.offset !== slice.offset || p.sampleStride !== slice.sampleStride) {
        out.push({ rule: 'view', step, message: `concat ${n.scope}: input ${i} (%${x.id}) lives at ${p.offset}/${p.sampleStride}, expected ${slice.offset}/${slice.sampleStride}` });
      }
    });
  }

  for (const [step, ws] of writes) {
    const over = overwritten.get(step);
    for (const v of live.values) {
      const iv = live.interval.get(v)!;
      if (!(iv.def < step && step <= iv.lastUse)) continue;
      const p = at(v);
      // Read for the last time at this step, so by this op alone, inside the input it overwrites.
      if (over && iv.lastUse === step && within(p, over, batch)) continue;
      for (const w of ws) {
        if (intersects(w, p, batch)) {
          out.push({ rule: 'overlap', step, message: `step ${step} writes [${w.offset}, +${w.elements * 4}) over live %${v.id} at ${p.offset} (live ${iv.def}..${iv.lastUse})` });
          break;
        }
      }
    }
  }
  return out;
}
