// onnxruntime's per-op breakdown of one model (`npm run bench -- --profile`): a profiled session
// runs the bench input `runs` times after one warm-up run, and its kernel events are summed per
// kind of work. Convolutions are told apart by their weight's shape in the event: the stem
// (7x7), 3x3, 1x1, 1x1 with a fused Sum input (the split passes' Adds), and the depthwise 1x1
// convs that onnxruntime's layout transformer makes of BatchNormalization (+ Relu).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { benchInput, runOnce } from './latency.js';
import { peakOfProfile } from '../src/runtime/profile.js';

export interface OpTime {
  readonly kind: string;
  /** Milliseconds per run. */
  readonly ms: number;
  /** Kernels per run. */
  readonly kernels: number;
}

export interface Profile {
  readonly runs: number;
  /** Sum of the kernels' times per run (ms). */
  readonly total: number;
  readonly ops: readonly OpTime[];
  /** onnxruntime's activation peaks in this run (bytes), as bench/memory.ts reads them. */
  readonly arenaPeakBytes: number;
  readonly requestedPeakBytes: number;
  readonly inUsePeakBytes: number;
}

interface KernelEvent {
  readonly cat: string;
  readonly name: string;
  readonly dur: number;
  readonly args?: { op_name?: string; input_type_shape?: Record<string, number[]>[]; mem_arena_held?: string; mem_bytes_requested_in_use?: string };
}

/** What kind of work a kernel event is. */
export function kindOf(e: KernelEvent): string {
  const op = e.args?.op_name ?? '?';
  if (op !== 'Conv' && op !== 'FusedConv') return op;
  const shapes = (e.args?.input_type_shape ?? []).map((s) => Object.values(s)[0] ?? []);
  const [x, w] = [shapes[0] ?? [], shapes[1] ?? []];
  if (w.length !== 4) return 'Conv';
  const [, perGroup, kh, kw] = w;
  if (perGroup === 1 && kh === 1 && kw === 1 && w[0] === x[1] && x[1] !== 1) return 'BN (depthwise Conv)';
  if (kh === 7) return 'Conv 7x7 (stem)';
  if (kh === 3) return 'Conv 3x3';
  if (kh === 1) return shapes.length > 3 ? 'Conv 1x1 + Sum' : 'Conv 1x1';
  return `Conv ${kh}x${kw}`;
}

/** The events of onnxruntime's profile of `file`: one warm-up run and `runs` more on the bench input, all profiled. */
export async function profileEvents(file: string, dims: readonly number[], threads: number, runs: number): Promise<KernelEvent[]> {
  const dir = mkdtempSync(join(tmpdir(), 'densec-profile-'));
  try {
    const session = await ort.InferenceSession.create(file, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      enableProfiling: true,
      profileFilePrefix: join(dir, 'profile'),
      logSeverityLevel: 3,
    });
    const input = benchInput(dims);
    await runOnce(session, input, dims);
    for (let r = 0; r < runs; r++) await runOnce(session, input, dims);
    session.endProfiling();
    await session.release();
    return readdirSync(dir).flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as KernelEvent[]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** onnxruntime's activation peaks over the Node events of a profile (bytes): what its arena held, what live tensors asked for. */
export function peaksOf(events: readonly KernelEvent[]): { arenaPeakBytes: number; requestedPeakBytes: number; inUsePeakBytes: number } {
  const peak = (key: string): number => peakOfProfile(events, key) ?? 0;
  return { arenaPeakBytes: peak('mem_arena_held'), requestedPeakBytes: peak('mem_bytes_requested_in_use'), inUsePeakBytes: peak('mem_in_use_peak') };
}

export async function profileOps(file: string, dims: readonly number[], threads: number, runs: number): Promise<Profile> {
  const events = await profileEvents(file, dims, threads, runs);
  const kernels = events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time'));
  // The first 1/(runs + 1) of the kernels belong to the warm-up run.
  const measured = kernels.slice(Math.round(kernels.length / (runs + 1)));
  const byKind = new Map<string, { us: number; n: number }>();
  for (const e of measured) {
    const k = kindOf(e);
    const a = byKind.get(k) ?? { us: 0, n: 0 };
    byKind.set(k, { us: a.us + e.dur, n: a.n + 1 });
  }
  const ops = [...byKind].map(([kind, a]) => ({ kind, ms: a.us / 1000 / runs, kernels: a.n / runs })).sort((a, b) => b.ms - a.ms);
  return { runs, total: ops.reduce((t, o) => t + o.ms, 0), ops, ...peaksOf(kernels) };
}
