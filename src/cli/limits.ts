// The resource limits of the command line, each checked before the work it bounds, each named in
// its diagnostic with the environment variable that raises it (README, "Limits").
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { pilMaxPixels } from '../image/pixels.js';
import { grouped } from '../diagnostics/grouped.js';

export interface Limit {
  readonly env: string;
  readonly fallback: number;
  readonly what: string;
}

const MiB = 2 ** 20;
const GiB = 2 ** 30;

export const limits = {
  /** A .dense file (and each file it `use`s): the largest zoo spec is under 2 KB. */
  specBytes: { env: 'DENSEC_MAX_SPEC_BYTES', fallback: 16 * MiB, what: 'bytes in a spec file' },
  /** Weights, ONNX models and images: Node reads at most 2 GiB into one buffer. */
  inputBytes: { env: 'DENSEC_MAX_INPUT_BYTES', fallback: 2 * GiB - 1, what: 'bytes in an input file' },
  /** `run --batch` and `plan --batch`. */
  batch: { env: 'DENSEC_MAX_BATCH', fallback: 1024, what: 'samples in a batch' },
  /** `run --threads`: each is an OS thread of onnxruntime's pool. */
  threads: { env: 'DENSEC_MAX_THREADS', fallback: 256, what: 'onnxruntime threads' },
  /** What `run` allocates for activations: the input plus the planned arena, times the batch. */
  activationBytes: { env: 'DENSEC_MAX_ACTIVATION_BYTES', fallback: 4 * GiB, what: 'bytes of activations' },
  /** A decoded image: PIL's own decompression-bomb limit (the decoder's default). */
  pixels: { env: 'DENSEC_MAX_PIXELS', fallback: pilMaxPixels, what: 'pixels in an image' },
} as const satisfies Record<string, Limit>;

/** The limit's value: its environment variable when that is a whole number, else the default. */
export function limitOf(limit: Limit): number {
  const raw = process.env[limit.env];
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : limit.fallback;
}

/** D0630: `{subject}` needs more than the limit; the help names the variable that raises it. */
export function overLimit(limit: Limit, subject: string, needed: number): Diagnostic {
  return diagnostic('D0630', undefined, {
    subject,
    needed: grouped(needed),
    limit: grouped(limitOf(limit)),
    what: limit.what,
    env: limit.env,
  });
}
