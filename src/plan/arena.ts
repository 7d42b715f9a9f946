// Static arena assignment: every buffer gets a byte offset in one arena so that no two pieces of
// different buffers that live at the same step share a byte. A plain tensor is one piece; a dense
// block's buffer has a piece per feature map (and per view), each live from the step that writes
// it, so bytes of the block buffer that no layer has written yet can hold other tensors.
//
// This is interval-graph "dynamic storage allocation" (NP-hard in general). We place buffers one
// at a time at the lowest offset where none of their pieces collides with a placed piece live at
// the same step, and try a few orders (largest first, as in Pisarchyk & Lee 2020, "Efficient
// Memory Management for Deep Neural Net Inference"; longest lived first; largest area first;
// definition order, latest definition first), then the largest-first order with sizes jittered
// by a seeded generator (a few restarts: greedy order is what goes wrong, e.g. a block buffer as
// large as a stem tensor placed after it), keeping the smallest arena. Deterministic.
import { overlaps, type Interval } from './liveness.js';

/** Bytes [start, end) of a buffer, relative to its offset, holding data over [def, lastUse]. */
export interface Piece extends Interval {
  readonly start: number;
  readonly end: number;
}

export interface Buffer extends Interval {
  /** Multiple of `align`. */
  readonly bytes: number;
  /** Within [0, bytes); their intervals lie within the buffer's. */
  readonly pieces: readonly Piece[];
}

export interface Assignment {
  readonly offsets: number[];
  readonly arenaBytes: number;
  /** The order that won. */
  readonly heuristic: string;
}

const orders: Record<string, (a: Buffer, b: Buffer) => number> = {
  'largest first': (a, b) => b.bytes - a.bytes || a.def - b.def,
  'longest lived first': (a, b) => b.lastUse - b.def - (a.lastUse - a.def) || b.bytes - a.bytes,
  'largest area first': (a, b) => b.bytes * (b.lastUse - b.def + 1) - a.bytes * (a.lastUse - a.def + 1) || a.def - b.def,
  'definition order': (a, b) => a.def - b.def || b.bytes - a.bytes,
  'latest definition first': (a, b) => b.def - a.def || b.bytes - a.bytes,
};

/** Restarts of the largest-first order with each size scaled by a random factor in [1/2, 2). */
const RESTARTS = 4;
/** At most this many rounds of moving the top buffer to the front of the order, */
const IMPROVE = 40;
/** ... stopping after this many rounds without a gain. */
const PATIENCE = 10;

/** A small seeded generator (LCG) for the restarts: same plan on every run. */
function jitter(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/** The lowest aligned offset for `b` at which it collides with none of the placed buffers. */
function lowestFit(b: Buffer, placed: readonly number[], buffers: readonly Buffer[], offsets: readonly number[], align: number): number {
  // Offsets x with [x + p.start, x + p.end) meeting [o + q.start, o + q.end) form the open interval
  // (o + q.start - p.end, o + q.end - p.start).
  const forbidden: [number, number][] = [];
  for (const i of placed) {
    const other = buffers[i];
    if (!overlaps(b, other)) continue;
    for (const p of b.pieces) {
      for (const q of other.pieces) {
        if (overlaps(p, q)) forbidden.push([offsets[i] + q.start - p.end, offsets[i] + q.end - p.start]);
      }
    }
  }
  forbidden.sort((x, y) => x[0] - y[0]);
  let at = 0;
  for (const [lo, hi] of forbidden) {
    if (lo >= at) break;
    if (hi > at) at = Math.ceil(hi / align) * align;
  }
  return at;
}

interface Tried {
  readonly order: number[];
  readonly offsets: number[];
  readonly arenaBytes: number;
}

function assignInOrder(buffers: readonly Buffer[], order: number[], align: number): Tried {
  const offsets = new Array<number>(buffers.length).fill(0);
  const placed: number[] = [];
  for (const i of order) {
    offsets[i] = lowestFit(buffers[i], placed, buffers, offsets, align);
    placed.push(i);
  }
  const arenaBytes = buffers.reduce((m, b, i) => Math.max(m, offsets[i] + b.bytes), 0);
  return { order, offsets, arenaBytes };
}

export function assignOffsets(buffers: readonly Buffer[], align: number): Assignment {
  const sorted = (compare: (a: Buffer, b: Buffer) => number) => buffers.map((_, i) => i).sort((i, j) => compare(buffers[i], buffers[j]) || i - j);
  let best: Tried & { heuristic: string } = { order: [], offsets: [], arenaBytes: Infinity, heuristic: '' };
  const attempt = (heuristic: string, order: number[]): Tried => {
    const tried = assignInOrder(buffers, order, align);
    if (tried.arenaBytes < best.arenaBytes) best = { ...tried, heuristic };
    return tried;
  };
  for (const [heuristic, compare] of Object.entries(orders)) attempt(heuristic, sorted(compare));
  for (let r = 1; r <= RESTARTS; r++) {
    const random = jitter(r);
    const key = new Map(buffers.map((b) => [b, b.bytes * 2 ** (2 * random() - 1)]));
    attempt(`largest first, jittered (${r})`, sorted((a, b) => key.get(b)! - key.get(a)!));
  }
  // Then walk from the best order: the buffer that reaches the top goes first, and again from
  // the order that gives (even when it is no better), keeping the best seen.
  const start = best.heuristic;
  let current: Tried = best;
  let lastGain = 0;
  for (let round = 1; round <= IMPROVE && round - lastGain <= PATIENCE; round++) {
    const top = current.order.find((i) => current.offsets[i] + buffers[i].bytes === current.arenaBytes)!;
    const before = best.arenaBytes;
    current = attempt(`${start}, then ${round} top buffer${round > 1 ? 's' : ''} moved first`, [top, ...current.order.filter((i) => i !== top)]);
    if (best.arenaBytes < before) lastGain = round;
  }
  return { offsets: best.offsets, arenaBytes: best.arenaBytes, heuristic: best.heuristic };
}
