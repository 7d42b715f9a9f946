// SHA-256 of a spec's text (or a weights file's bytes), hex, for the model's metadata.
import { createHash } from 'node:crypto';
import type { Part } from './frame.js';

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
