// SHA-256 of a spec's text (or a weights file's bytes), hex, for the model's metadata.
import { createHash } from 'node:crypto';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
