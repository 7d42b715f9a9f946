// SHA-256 of a spec's text (or a weights file's bytes), hex, for the model's metadata; and of an
// external data file, hashed as it is written.
import { createHash } from 'node:crypto';
import { chunks, type Chunks, type LazyPart, type Part } from './frame.js';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The SHA-256 of parts written one after another, without joining them (a part made when written is made here too). */
export function sha256Parts(parts: readonly Part[]): string {
  const h = createHash('sha256');
  let made = new Uint8Array(0);
  for (const p of parts) {
    if (p instanceof Uint8Array) {
      h.update(p);
      continue;
    }
    if (made.length < p.length) made = new Uint8Array(p.length);
    const bytes = made.subarray(0, p.length);
    p.write(bytes);
    h.update(bytes);
  }
  return h.digest('hex');
}

export interface Hashed {
  /** The same parts; those made when written are hashed as they are made. */
  readonly data: Chunks;
  /** The digest, hex: of the parts as written when they were all written in order, else computed (making them again). */
  hex(): string;
}

/**
 * `data`, hashed as it is written: a model whose external data file is written before it takes
 * the file's digest from that write and does not make (draw) its deferred weights a second time.
 * The parts held in memory are hashed whenever the write reaches the next part made when written.
 */
export function hashedAsWritten(data: Chunks): Hashed {
  const h = createHash('sha256');
  let next = 0; // the parts before it are hashed
  let inOrder = true;
  let hex: string | undefined;
  const through = (end: number): void => {
    for (; inOrder && next < end; next++) {
      const p = data.parts[next];
      if (p instanceof Uint8Array) h.update(p);
      else inOrder = false; // a part made when written was skipped: not written in order
    }
  };
  const hashing = (p: LazyPart, i: number): LazyPart => ({
    length: p.length,
    write(into: Uint8Array): void {
      p.write(into);
      if (hex !== undefined || next > i) return; // written again: the same bytes
      through(i);
      if (inOrder) {
        h.update(into);
        next = i + 1;
      }
    },
  });
  return {
    data: chunks(data.parts.map((p, i) => (p instanceof Uint8Array ? p : hashing(p, i)))),
    hex(): string {
      if (hex === undefined) {
        through(data.parts.length);
        hex = inOrder ? h.digest('hex') : sha256Parts(data.parts);
      }
      return hex;
    },
  };
}
