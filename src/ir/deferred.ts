// Weights made as the file is written (`densec compile`): a seeded conv or linear weight carries
// the recipe of its values instead of the values, the passes compose recipes (the BN fold scales
// rows, the splits take columns), and the emitter's part for the tensor runs the recipe into a
// small reused buffer just before the bytes are written. The values are those of the eager path
// bit for bit (the same draws, the same float64 products rounded once to float32, the same
// copies). Why: on a virtual machine a first touch of new memory costs more than drawing into
// it, and densenet121's 32 MB of weights held at once were 8,000 first touches, then copied into
// the page cache from memory the TLB no longer held.
import { paramTensors } from './counts.js';
import type { Graph } from './graph.js';
import { Rng } from './weights.js';

export type Deferred =
  /** `length` values of `std` times standard normals from the stream (Rng.fillNormal). */
  | { readonly kind: 'normal'; readonly seed: number; readonly stream: string; readonly length: number; readonly std: number }
  /** `length` values uniform in [lo, hi) from the stream (Rng.fillRange). */
  | { readonly kind: 'uniform'; readonly seed: number; readonly stream: string; readonly length: number; readonly lo: number; readonly hi: number }
  /** Row r of `source` (seen as scale.length rows) times scale[r], rounded to float32: a BN folded into a conv. */
  | { readonly kind: 'scaleRows'; readonly source: Deferred; readonly scale: ArrayLike<number> }
  /** Columns [from, to) of every row of `source` seen as `rows` rows: a weight's input-channel slice. */
  | { readonly kind: 'columns'; readonly source: Deferred; readonly rows: number; readonly from: number; readonly to: number };

export function deferredLength(d: Deferred): number {
  switch (d.kind) {
    case 'normal':
    case 'uniform':
      return d.length;
    case 'scaleRows':
      return deferredLength(d.source);
    case 'columns':
      return d.rows * (d.to - d.from);
  }
}

/** `source` with each row scaled, as foldedParams scales a conv's weight. */
export const scaledRows = (source: Deferred, scale: ArrayLike<number>): Deferred => ({ kind: 'scaleRows', source, scale });

/** Columns [from, to) of `source`'s rows; a slice of a slice with the same rows is one slice of the first source. */
export function columnsOf(source: Deferred, rows: number, from: number, to: number): Deferred {
  if (source.kind === 'columns' && source.rows === rows) return { kind: 'columns', source: source.source, rows, from: source.from + from, to: source.from + to };
  return { kind: 'columns', source, rows, from, to };
}

/** Runs `d` into `out` (exactly deferredLength(d) values). */
export function materialize(d: Deferred, out: Float32Array): void {
  switch (d.kind) {
    case 'normal':
      return new Rng(d.seed, d.stream).fillNormal(out, d.std);
    case 'uniform':
      return new Rng(d.seed, d.stream).fillRange(out, d.lo, d.hi);
    case 'scaleRows': {
      materialize(d.source, out);
      const rows = d.scale.length;
      const perRow = out.length / rows;
      for (let r = 0, i = 0; r < rows; r++) {
        const s = d.scale[r];
        for (const end = i + perRow; i < end; i++) out[i] = out[i] * s;
      }
      return;
    }
    case 'columns': {
      // The parts of one split are written one after another: their source is made once.
      const src = sourceValues(d.source);
      const width = src.length / d.rows;
      const n = d.to - d.from;
      for (let r = 0; r < d.rows; r++) out.set(src.subarray(r * width + d.from, r * width + d.to), r * n);
      return;
    }
  }
}

// The sources most recently sliced, with their values, and buffers to reuse: new memory for every
// source would be the first touches this module is here to avoid. A buffer in use further up a
// nested materialization is out of both lists until its entry is made, so it is never handed out.
const keep = 2;
const cache: { source: Deferred; values: Float32Array; buffer: Float32Array }[] = [];
const spare: Float32Array[] = [];

function sourceValues(source: Deferred): Float32Array {
  const hit = cache.find((e) => e.source === source);
  if (hit) return hit.values;
  const n = deferredLength(source);
  const at = spare.findIndex((b) => b.length >= n);
  // Capacities are powers of two, so that a block's growing weights reuse a few buffers.
  const buffer = at >= 0 ? spare.splice(at, 1)[0] : new Float32Array(2 ** Math.ceil(Math.log2(Math.max(n, 1024))));
  const values = buffer.subarray(0, n);
  materialize(source, values);
  cache.unshift({ source, values, buffer });
  for (const old of cache.splice(keep)) spare.push(old.buffer);
  return values;
}

/** Gives every deferred parameter of `g` its values (for a reader of values, such as the reference executor). */
export function materializeWeights(g: Graph): void {
  for (const n of g.nodes) {
    for (const { tensor } of paramTensors(n.op)) {
      if (!tensor.deferred) continue;
      const data = new Float32Array(deferredLength(tensor.deferred));
      materialize(tensor.deferred, data);
      tensor.data = data;
      tensor.deferred = undefined;
    }
  }
}
